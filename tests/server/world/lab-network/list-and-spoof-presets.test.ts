/**
 * The "mailing list adds a footer" and "spoofed From" Break it presets, end to end in the
 * running app: each preset is applied to the learner's zone through PUT /api/world/dns exactly
 * as the Break it panel does, then real mail goes through the real loopback listeners (swaks
 * to the sandbox, or straight to mx.example.net as the learner's own client, 203.0.113.99),
 * and the receiver's verdicts are read from what it delivered or refused. Reset undoes both.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import type { Journey } from '../../../../protocol/world/journey.ts';
import { startApp, type RunningApp } from '../../../../server/app/start-app.ts';
import { BREAK_PRESETS } from '../../../../web/src/world/break-presets.ts';
import { testConfig } from '../../app/app-config.ts';

const run = promisify(execFile);
let app: RunningApp;
let base: string;
let workDir: string;
let mxExampleNetPort = 0;

beforeAll(async () => {
  const lines: string[] = [];
  app = await startApp(testConfig(), { log: (line) => lines.push(line) });
  base = app.urls.http;
  mxExampleNetPort = Number(/lab network: .*mx\.example\.net 127\.0\.0\.1:(\d+)/.exec(lines.join('\n'))?.[1]);
  workDir = mkdtempSync(join(tmpdir(), 'smtp-lab-presets-'));
});
afterAll(async () => {
  await app?.close('test over');
});
afterEach(async () => {
  await fetch(`${base}api/world/reset`, { method: 'POST' });
});

async function zone(): Promise<DnsRecord[]> {
  return ((await (await fetch(`${base}api/world/dns`)).json()) as { records: DnsRecord[] }).records;
}

async function applyPreset(id: string): Promise<void> {
  const preset = BREAK_PRESETS.find((candidate) => candidate.id === id);
  if (preset === undefined) throw new Error(`no preset ${id}`);
  const put = await fetch(`${base}api/world/dns`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: preset.apply(await zone()) }) });
  expect(put.status).toBe(200);
}

async function stopEnforcingDmarcAtExampleNet(): Promise<void> {
  const { hosts } = (await (await fetch(`${base}api/world/hosts`)).json()) as { hosts: { name: string; enforceDmarc: boolean }[] };
  const changed = hosts.map((host) => (host.name === 'mx.example.net' ? { ...host, enforceDmarc: false } : host));
  const put = await fetch(`${base}api/world/hosts`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hosts: changed }) });
  expect(put.status).toBe(200);
}

/** swaks with `from` in the envelope and `header` as the From field; resolves with swaks' exit and transcript. */
async function swaks(port: number, envelopeFrom: string, header: string, to: string, subject: string): Promise<{ ok: boolean; transcript: string }> {
  const file = join(workDir, `${subject.replace(/\W/g, '-')}.eml`);
  writeFileSync(file, `From: ${header}\r\nTo: <${to}>\r\nSubject: ${subject}\r\n\r\nPlease wire the money today.\r\n`);
  try {
    const { stdout } = await run('swaks', ['--server', `127.0.0.1:${port}`, '--helo', 'mallory.spoofer.example', '--from', envelopeFrom, '--to', to, '--data', `@${file}`]);
    return { ok: true, transcript: stdout };
  } catch (error) {
    return { ok: false, transcript: String((error as { stdout?: string }).stdout ?? error) };
  }
}

/** Waits (bounded) for a message with `subject` (or containing it) in `mailbox`. */
async function inMailbox(mailbox: string, subject: RegExp, timeoutMs = 15_000): Promise<{ id: number; subject: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = (await (await fetch(`${base}api/messages?mailbox=${encodeURIComponent(mailbox)}`)).json()) as { messages: { id: number; subject: string | null }[] };
    const found = page.messages.find((message) => subject.test(message.subject ?? ''));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`nothing with subject ${subject} arrived in ${mailbox}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function raw(id: number): Promise<string> {
  return Buffer.from(await (await fetch(`${base}api/messages/${id}/raw`)).arrayBuffer()).toString('utf8');
}

/** The Authentication-Results field mx.example.net added, unfolded. */
function resultsAtExampleNet(message: string): string {
  const head = message.slice(0, message.indexOf('\r\n\r\n'));
  const fields = head.split(/\r\n(?![ \t])/).filter((field) => /^Authentication-Results: mx\.example\.net/i.test(field));
  expect(fields).toHaveLength(1);
  return fields[0]!.replace(/\r\n[ \t]+/g, ' ');
}

describe('the mailing list preset', () => {
  it('lists.example has no DNS until the preset publishes it, and reset takes it away again', async () => {
    expect((await zone()).filter((record) => record.name === 'lists.example')).toEqual([]);
    await applyPreset('mailing-list-footer');
    expect((await zone()).filter((record) => record.name === 'lists.example').map((record) => `${record.type} ${record.value}`)).toEqual(['MX 10 mx.lists.example.', 'TXT v=spf1 ip4:198.51.100.60 -all']);
    await fetch(`${base}api/world/reset`, { method: 'POST' });
    expect((await zone()).filter((record) => record.name === 'lists.example')).toEqual([]);
  });

  it('delivers to the member with the footer: SPF passes for lists.example, the DKIM body hash fails, DMARC fails (enforcement off)', async () => {
    await applyPreset('mailing-list-footer');
    await stopEnforcingDmarcAtExampleNet();
    await swaks(app.ports.smtp, 'alice@example.com', '<alice@example.com>', 'team@lists.example', 'list post delivered');
    const listed = await inMailbox('bob@example.net', /^list post delivered$/);
    const message = await raw(listed.id);
    const head = message.slice(0, message.indexOf('\r\n\r\n'));
    expect(readReceivedTrail(head).hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx.lists.example', 'mx.example.net']);
    expect(head).toMatch(/^List-Id: <team\.lists\.example>$/m);
    // The list kept the sandbox's signature and did not sign again.
    expect(head.match(/^DKIM-Signature:.*\bd=example\.com\b/gims)).toHaveLength(1);
    expect(message.endsWith('To unsubscribe send an email to team-leave@lists.example\r\n')).toBe(true);
    const results = resultsAtExampleNet(message);
    expect(results).toMatch(/\bspf=pass\b[^;]*smtp\.mailfrom=(team-bounces@)?lists\.example/);
    // mailauth labels a body hash mismatch "neutral"; RFC 6376 §6.1.3 calls it a failed verification.
    expect(results).toMatch(/\bdkim=neutral \(body hash did not verify\)[^;]*header\.i=@example\.com/);
    expect(results).toMatch(/\bdmarc=fail\b[^;]*header\.from=example\.com/);
    const journey = (await (await fetch(`${base}api/messages/${listed.id}/journey`)).json()) as Journey;
    expect(journey.hops.filter((hop) => hop.kind === 'relay').map((hop) => `${hop.from.ip} → ${hop.to.host}`)).toEqual(['192.0.2.10 → mx.lists.example', '198.51.100.60 → mx.example.net']);
    expect(journey.authentication?.spf.result).toBe('pass');
    const [signature] = journey.authentication?.dkim.signatures ?? [];
    expect(signature).toMatchObject({ domain: 'example.com', bodyHash: { matches: false }, rfcResult: 'fail' });
    expect(journey.authentication?.dmarc.result).toBe('fail');
  });

  it('is refused by DMARC at mx.example.net, and the DSN goes to the list\'s bounce address, not the poster', async () => {
    await applyPreset('mailing-list-footer');
    await swaks(app.ports.smtp, 'alice@example.com', '<alice@example.com>', 'team@lists.example', 'list post refused');
    const dsn = await inMailbox('team-bounces@lists.example', /./);
    const report = await simpleParser(Buffer.from(await raw(dsn.id)));
    const text = report.attachments.map((part) => part.content.toString('utf8')).join('\n') + (report.text ?? '');
    expect(text).toMatch(/Final-Recipient: *rfc822; *bob@example\.net/i);
    expect(text).toMatch(/Status: *5\.7\.1/);
    expect(text).toMatch(/Diagnostic-Code: *smtp; *550 5\.7\.1 rejected by DMARC policy for example\.com/);
    // The list host's own hop failed, so the report is the list host's: written, sent and unsigned there.
    expect(report.from?.value[0]?.address).toBe('MAILER-DAEMON@mx.lists.example');
    expect(report.messageId).toMatch(/@mx\.lists\.example>$/);
    expect(text).toMatch(/Reporting-MTA: *dns; *mx\.lists\.example/i);
    const message = await raw(dsn.id);
    const head = message.slice(0, message.indexOf('\r\n\r\n'));
    expect(readReceivedTrail(head).hops.map((hop) => [hop.stamp.fromAddress, hop.stamp.by])).toEqual([['198.51.100.60', 'mx.lists.example']]);
    expect(head).not.toMatch(/^DKIM-Signature:/im);
    const alices = (await (await fetch(`${base}api/messages?mailbox=alice%40example.com`)).json()) as { messages: unknown[] };
    expect(alices.messages).toEqual([]);
  });
});

describe('the spoofed From preset', () => {
  it('lets the learner\'s own client pass SPF for spoofer.example, and DMARC still refuses From example.org in Postfix\'s words', async () => {
    const before = await swaks(mxExampleNetPort, 'mallory@spoofer.example', '<mallory@spoofer.example>', 'bob@example.net', 'spf none before the preset');
    expect(before.ok).toBe(true);
    expect(resultsAtExampleNet(await raw((await inMailbox('bob@example.net', /^spf none before the preset$/)).id))).toMatch(/\bspf=none\b/);

    await applyPreset('spoofed-from');
    const spoofed = await swaks(mxExampleNetPort, 'mallory@spoofer.example', '"CEO" <ceo@example.org>', 'bob@example.net', 'spoofed ceo');
    expect(spoofed.ok).toBe(false);
    expect(spoofed.transcript).toMatch(/<\*\* 550 5\.7\.1 rejected by DMARC policy for example\.org/);

    const honest = await swaks(mxExampleNetPort, 'mallory@spoofer.example', '<mallory@spoofer.example>', 'bob@example.net', 'mallory as herself');
    expect(honest.ok).toBe(true);
    const results = resultsAtExampleNet(await raw((await inMailbox('bob@example.net', /^mallory as herself$/)).id));
    expect(results).toMatch(/\bspf=pass\b[^;]*smtp\.mailfrom=(mallory@)?spoofer\.example/);
  });

  it('through the sandbox: SPF and DKIM pass for example.com, DMARC fails for example.org, and the DSN returns to the envelope sender', async () => {
    await applyPreset('spoofed-from');
    await swaks(app.ports.smtp, 'alice@example.com', '"CEO" <ceo@example.org>', 'bob@example.net', 'spoofed through the sandbox');
    const dsn = await inMailbox('alice@example.com', /./);
    const report = await simpleParser(Buffer.from(await raw(dsn.id)));
    const text = report.attachments.map((part) => part.content.toString('utf8')).join('\n') + (report.text ?? '');
    expect(text).toMatch(/Diagnostic-Code: *smtp; *550 5\.7\.1 rejected by DMARC policy for example\.org/);
    expect(text).toMatch(/Subject: spoofed through the sandbox/);
  });
});
