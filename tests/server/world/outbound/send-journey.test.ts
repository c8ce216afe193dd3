/**
 * The sending side of the journey, end to end in the running app: swaks submits to the
 * sandbox's SMTP port; the sandbox commits the capture and the queue row before its 250; the
 * relay worker resolves MX in the lab zone, signs with DKIM as example.com and speaks SMTP to
 * the lab MX listeners on loopback; what the next hop refuses comes back as a DSN. All over
 * real TCP and HTTP, with real SQLite; no real DNS, no UDP, no socket beyond loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { createLabResolver } from '../../../../protocol/world/lab-resolver.ts';
import { verifyInbound } from '../../../../server/world/mail-auth/verify-inbound.ts';
import { startApp, type RunningApp } from '../../../../server/app/start-app.ts';
import { testConfig } from '../../app/app-config.ts';
import { isOutside, processSockets, type ProcessSocket } from '../../app/process-sockets.ts';
import { installNoNetworkGuard, NO_NETWORK_GUARD_IN_WORKER, type NoNetworkGuard } from '../no-network-guard.ts';

const run = promisify(execFile);
let guard: NoNetworkGuard;
let app: RunningApp;
let base: string;
let workDir: string;
/** This process's sockets, sampled while the tests run (the app and its lab world live here). */
const samples: ProcessSocket[][] = [];
let sampler: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  // The mail-auth worker (mailauth's thread) is guarded from its start; this thread once it listens.
  app = await startApp(testConfig(), { mailAuthPreload: [NO_NETWORK_GUARD_IN_WORKER] });
  // From here on: the listeners are up (listen() looks its host up), the lab world runs.
  guard = installNoNetworkGuard();
  sampler = setInterval(() => samples.push(processSockets(process.pid)), 20);
  base = app.urls.http;
  workDir = mkdtempSync(join(tmpdir(), 'smtp-lab-send-'));
});
afterAll(async () => {
  clearInterval(sampler);
  await app?.close('test over');
  guard?.restore();
});

interface Listed {
  readonly id: number;
  readonly subject: string | null;
  readonly mailbox?: string;
}

async function send(from: string, to: string, subject: string): Promise<void> {
  const file = join(workDir, `${subject.replace(/\W/g, '-')}.eml`);
  // swaks adds the CRLF before the final dot itself.
  writeFileSync(file, `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n\r\nHello from the lab.`);
  await run('swaks', ['--server', `127.0.0.1:${app.ports.smtp}`, '--from', from, '--to', to, '--data', `@${file}`]).catch((error: { stdout?: string }) => {
    throw new Error(`swaks failed:\n${error.stdout ?? String(error)}`);
  });
}

/** Waits (bounded) for a parsed message with `subject` in `mailbox`. */
async function inMailbox(mailbox: string, subject: (text: string) => boolean, timeoutMs = 15_000): Promise<Listed> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${base}api/messages?mailbox=${encodeURIComponent(mailbox)}`);
    const page = (await response.json()) as { messages: Listed[] };
    const found = page.messages.find((message) => message.subject !== null && subject(message.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`nothing matching arrived in ${mailbox}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface QueueItem {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly state: string;
  readonly attempts: number;
  readonly nextAttempt: string;
  readonly lastReply: string | null;
}

/** Waits (bounded) for a message in GET /api/world/queue that `matches`. */
async function queued(matches: (message: QueueItem) => boolean, timeoutMs = 10_000): Promise<QueueItem> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = (await (await fetch(`${base}api/world/queue`)).json()) as { messages: QueueItem[] };
    const found = page.messages.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the queue never showed it: ${JSON.stringify(page.messages)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function raw(id: number): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${base}api/messages/${id}/raw`)).arrayBuffer());
}

function headerSection(message: Buffer): string {
  const text = message.toString('utf8');
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

describe('mail from the sandbox to another lab domain', () => {
  it('reaches bob@example.net through mx.example.net, with two Received fields in order and a DKIM signature of example.com', async () => {
    await send('alice@example.com', 'bob@example.net', 'journey to example.net');
    const listed = await inMailbox('bob@example.net', (subject) => subject === 'journey to example.net');
    expect(listed.mailbox).toBe('bob@example.net');
    const delivered = await raw(listed.id);
    const head = headerSection(delivered);
    const trail = readReceivedTrail(head);
    expect(trail.hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx.example.net']);
    expect(trail.hops[1]?.stamp.fromAddress).toBe('192.0.2.10');
    expect(trail.hops.flatMap((hop) => hop.problems)).toEqual([]);
    expect(head).toMatch(/^DKIM-Signature:[^]*?\bd=example\.com;/m);
  });

  it('bounces an unknown mailbox back to the sender as a DSN in Postfix\'s words', async () => {
    await send('alice@example.com', 'dave@example.net', 'to dave');
    const listed = await inMailbox('alice@example.com', (subject) => subject.startsWith('Undelivered Mail'));
    // keepDeliveryStatus: mailparser otherwise folds the report part into the text.
    const dsn: ParsedMail = await simpleParser(await raw(listed.id), { keepDeliveryStatus: true });
    expect(dsn.headers.get('content-type')).toMatchObject({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } });
    const status = dsn.attachments.find((part) => part.contentType === 'message/delivery-status');
    const fields = (status?.content.toString('utf8') ?? '').replace(/\r\n/g, '\n');
    expect(fields).toMatch(/^Reporting-MTA: dns; mail\.example\.com$/m);
    expect(fields).toMatch(/^Final-Recipient: rfc822; dave@example\.net$/m);
    expect(fields).toMatch(/^Action: failed$/m);
    expect(fields).toMatch(/^Status: 5\.1\.1$/m);
    expect(fields).toMatch(/^Remote-MTA: dns; mx\.example\.net$/m);
    // Postfix's own words for an unknown local user.
    expect(fields).toMatch(/^Diagnostic-Code: smtp; 550 5\.1\.1 <dave@example\.net>: Recipient address rejected: User unknown/m);
  });

  it('keeps mail for a domain outside the lab in the sandbox and reports it to a lab sender', async () => {
    await send('carol@example.com', 'someone@elsewhere.test', 'outside the lab');
    const listed = await inMailbox('carol@example.com', (subject) => subject.startsWith('Undelivered Mail'));
    const text = (await raw(listed.id)).toString('utf8').replace(/\r\n/g, '\n');
    expect(text).toContain('no such domain in the lab');
    expect(text).toMatch(/^Status: 5\.1\.2$/m);
    expect(text).toMatch(/^Diagnostic-Code: X-SMTP-Lab; 550 5\.1\.2 /m);
    expect(text).not.toMatch(/^Remote-MTA:/m);
  });

  it('delivers mail for example.com into the sandbox\'s own mailbox', async () => {
    await send('alice@example.com', 'bob@example.com', 'inside example.com');
    const listed = await inMailbox('bob@example.com', (subject) => subject === 'inside example.com');
    expect(listed.mailbox).toBe('bob@example.com');
  });

  it('relays an 8-bit body that is not UTF-8 byte for byte, so its DKIM signature still verifies', async () => {
    // Latin-1 "café, crème brûlée" and a line that starts with a dot (stuffed on the wire, unstuffed on arrival).
    const body = Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(', cr'), Buffer.from([0xe8]), Buffer.from('me br'), Buffer.from([0xfb]), Buffer.from('l'), Buffer.from([0xe9, 0x65]), Buffer.from('\r\n.dot line\r\n')]);
    const head = 'From: <alice@example.com>\r\nTo: <carol@example.net>\r\nSubject: latin-1 body\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n';
    const file = join(workDir, 'latin1.eml');
    // swaks adds the CRLF before the final dot itself.
    writeFileSync(file, Buffer.concat([Buffer.from(head), body.subarray(0, -2)]));
    await run('swaks', ['--server', `127.0.0.1:${app.ports.smtp}`, '--from', 'alice@example.com', '--to', 'carol@example.net', '--data', `@${file}`]);
    const listed = await inMailbox('carol@example.net', (subject) => subject === 'latin-1 body');
    const delivered = await raw(listed.id);
    expect(delivered.subarray(delivered.indexOf('\r\n\r\n') + 4).equals(body)).toBe(true);
    const zone = ((await (await fetch(`${base}api/world/dns`)).json()) as { records: DnsRecord[] }).records;
    const verdict = await verifyInbound(delivered, { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net', resolver: createLabResolver(zone) });
    expect(verdict.authentication.dkim.result).toBe('pass');
    expect(verdict.authentication.dkim.signatures.map((signature) => signature.domain)).toEqual(['example.com']);
  });

  it('retries a greylisted message in lab time and delivers it; GET /api/world/queue shows it waiting meanwhile', async () => {
    // Only the greylisting mx1 is left for example.org, so the 4xx cannot fall back to mx2.
    const zone = ((await (await fetch(`${base}api/world/dns`)).json()) as { records: DnsRecord[] }).records;
    const onlyMx1 = zone.filter((record) => !(record.name === 'example.org' && record.type === 'MX' && record.value.startsWith('20 ')));
    expect(onlyMx1.length).toBe(zone.length - 1);
    const put = await fetch(`${base}api/world/dns`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: onlyMx1 }) });
    expect(put.status).toBe(200);
    try {
      await send('bob@example.com', 'alice@example.org', 'greylisted once');
      const waiting = await queued((message) => message.to === 'alice@example.org' && message.state === 'queued' && message.lastReply !== null);
      expect(waiting).toMatchObject({ from: 'bob@example.com', attempts: 1 });
      expect(waiting.lastReply).toMatch(/^4\d\d\b/);
      // The first retry is 5 lab minutes after the first attempt (one lab minute per real second).
      expect(Date.parse(waiting.nextAttempt)).toBeGreaterThan(Date.now());
      const listed = await inMailbox('alice@example.org', (subject) => subject === 'greylisted once', 30_000);
      const trail = readReceivedTrail(headerSection(await raw(listed.id)));
      expect(trail.hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx1.example.org']);
      const after = (await (await fetch(`${base}api/world/queue`)).json()) as { messages: QueueItem[] };
      expect(after.messages.filter((message) => message.to === 'alice@example.org')).toEqual([]);
    } finally {
      await fetch(`${base}api/world/reset`, { method: 'POST' });
    }
  }, 45_000);

  it('never touched real DNS, opened a UDP socket or connected beyond loopback', () => {
    expect(guard.calls()).toEqual([]);
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.flat().filter((socket) => isOutside(socket) || socket.protocol.startsWith('udp'))).toEqual([]);
  });
});
