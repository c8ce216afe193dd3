/**
 * The lab forwarder, end to end in the running app: swaks submits to the sandbox for
 * carol@forwarder.example; the sandbox signs as example.com and relays to mx.forwarder.example,
 * which queues the message on to carol@example.net from its own lab IP (203.0.113.50) with the
 * envelope sender kept and no new signature. At mx.example.net SPF for example.com fails (the
 * forwarder's IP is not in it), the original DKIM signature still verifies, and DMARC passes on
 * it (RFC 7489 §4.2). Real TCP, real SQLite; no real DNS.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import type { Journey } from '../../../../protocol/world/journey.ts';
import { startApp, type RunningApp } from '../../../../server/app/start-app.ts';
import { testConfig } from '../../app/app-config.ts';

const run = promisify(execFile);
let app: RunningApp;
let base: string;
let workDir: string;

beforeAll(async () => {
  app = await startApp(testConfig());
  base = app.urls.http;
  workDir = mkdtempSync(join(tmpdir(), 'smtp-lab-forward-'));
});
afterAll(async () => {
  await app?.close('test over');
});

async function send(from: string, to: string, subject: string): Promise<void> {
  const file = join(workDir, `${subject.replace(/\W/g, '-')}.eml`);
  writeFileSync(file, `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n\r\nForwarded, not re-signed.`);
  await run('swaks', ['--server', `127.0.0.1:${app.ports.smtp}`, '--from', from, '--to', to, '--data', `@${file}`]);
}

/** Waits (bounded) for a message with `subject` in `mailbox`. */
async function inMailbox(mailbox: string, subject: string, timeoutMs = 15_000): Promise<{ id: number; mailbox?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = (await (await fetch(`${base}api/messages?mailbox=${encodeURIComponent(mailbox)}`)).json()) as { messages: { id: number; subject: string | null; mailbox?: string }[] };
    const found = page.messages.find((message) => message.subject === subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`nothing with subject "${subject}" arrived in ${mailbox}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a message to a forwarder.example mailbox', () => {
  it('still reaches example.net when its MX takes mail only from the forwarder (the allow-list preset)', async () => {
    const { hosts } = (await (await fetch(`${base}api/world/hosts`)).json()) as { hosts: { name: string; allowList: string[] | null }[] };
    const onlyForwarder = hosts.map((host) => (host.name === 'mx.example.net' ? { ...host, allowList: ['203.0.113.50'] } : host));
    const put = await fetch(`${base}api/world/hosts`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hosts: onlyForwarder }) });
    expect(put.status).toBe(200);
    try {
      await send('carol@example.com', 'bob@forwarder.example', 'past the allow-list');
      const listed = await inMailbox('bob@example.net', 'past the allow-list');
      expect(listed.mailbox).toBe('bob@example.net');
    } finally {
      await fetch(`${base}api/world/reset`, { method: 'POST' });
    }
  });

  it('reaches carol@example.net from 203.0.113.50: SPF fails, DKIM d=example.com passes, DMARC passes', async () => {
    await send('alice@example.com', 'carol@forwarder.example', 'via the forwarder');
    const listed = await inMailbox('carol@example.net', 'via the forwarder');
    const raw = Buffer.from(await (await fetch(`${base}api/messages/${listed.id}/raw`)).arrayBuffer()).toString('utf8');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    const trail = readReceivedTrail(head);
    expect(trail.hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx.forwarder.example', 'mx.example.net']);
    expect(trail.hops[2]?.stamp.fromAddress).toBe('203.0.113.50');
    // One signature, the sandbox's: the forwarder did not sign again.
    expect(head.match(/^DKIM-Signature:/gim)).toHaveLength(1);
    const results = head.split(/\r\n(?![ \t])/).filter((field) => /^Authentication-Results: mx\.example\.net/i.test(field));
    expect(results).toHaveLength(1);
    const example = results[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(example).toMatch(/\bspf=fail\b[^;]*smtp\.mailfrom=(alice@)?example\.com/);
    expect(example).toMatch(/\bdkim=pass\b[^;]*header\.[di]=@?example\.com/);
    expect(example).toMatch(/\bdmarc=pass\b[^;]*header\.from=example\.com/);
  });

  it('shows the forwarder as a hop of its own in the journey, sending from 203.0.113.50', async () => {
    await send('bob@example.com', 'alice@forwarder.example', 'journey through the forwarder');
    const listed = await inMailbox('alice@example.net', 'journey through the forwarder');
    const journey = (await (await fetch(`${base}api/messages/${listed.id}/journey`)).json()) as Journey;
    // Every attempt is a hop of its own: on a loaded machine one may meet a 4xx first (a lab MX
    // whose database stayed locked past its busy timeout answers 451) and be tried again. Only
    // such temporary attempts may come between the hops that carried the message.
    const carried = journey.hops.filter((hop) => hop.outcome !== 'temporary');
    for (const retry of journey.hops.filter((hop) => hop.outcome === 'temporary')) expect(retry.reply).toMatch(/^4\d\d /);
    const path = carried.map((hop) => `${hop.kind} ${hop.from.ip ?? '-'} → ${hop.to.host ?? '-'} (${hop.outcome})`);
    expect(path).toEqual([
      expect.stringMatching(/^submission .* → mail\.example\.com \(accepted\)$/),
      'relay 192.0.2.10 → mx.forwarder.example (delivered)',
      'relay 203.0.113.50 → mx.example.net (delivered)',
      expect.stringMatching(/^delivery .* → alice@example\.net \(delivered\)$/),
    ]);
    expect(carried[0]?.recipient).toBe('alice@forwarder.example');
    expect(carried[2]?.recipient).toBe('alice@example.net');
    expect(journey.authentication?.spf.result).toBe('fail');
    expect(journey.authentication?.dmarc.result).toBe('pass');
  });
});
