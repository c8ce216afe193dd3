/**
 * Real mail clients deliver into the real `smtp-lab serve` process, and its HTTP API hands
 * back exactly the bytes they sent (after dot-unstuffing): nodemailer, swaks, curl and
 * Python's smtplib, over STARTTLS, SMTPS and plain SMTP, with AUTH.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsedMessage, rawSource, waitForMessage } from './mailbox-api.ts';
import { attachmentPart, mixedHead } from './multipart.ts';
import { isOutside, listensOn, processSockets, type ProcessSocket } from './process-sockets.ts';
import { RawSmtpClient } from './raw-smtp.ts';
import { startServeProcess, type ServeProcess } from './serve-process.ts';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'smtp-lab-real-clients-'));
let lab: ServeProcess;

beforeAll(async () => {
  lab = await startServeProcess({ args: ['--smtps-port', '0'] });
}, 60_000);
afterAll(async () => {
  expect(await lab.stop()).toBe(0);
});

/** A message with 8-bit UTF-8 text and lines that start with dots (the client stuffs them). */
function message(subject: string): string {
  return [
    'From: Ana <ana@example.com>',
    'To: Bo <bo@outside.example>',
    `Subject: ${subject}`,
    'Message-ID: <lab-test@example.com>',
    'Date: Fri, 27 Nov 2026 12:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße aus dem Labor, ça va? 日本語も大丈夫。',
    '.this line starts with a dot',
    '..and this one with two',
    '.',
    'end',
    '',
  ].join('\r\n');
}

/** The same, as multipart with a base64 attachment. */
function messageWithAttachment(subject: string): string {
  return [
    ...mixedHead('Alice <alice@example.com>', 'someone@gmail.com', subject),
    'Content-Transfer-Encoding: 8bit',
    '',
    'Schöne Grüße.',
    '.a dotted line',
    ...attachmentPart('notes.bin', 'application/octet-stream', Buffer.from([0, 1, 2, 0xff, 0x2e, 0x0d, 0x0a, 0x2e])),
    '--b1--',
    '',
  ].join('\r\n');
}

async function expectStoredExactly(subject: string, sent: string): Promise<number> {
  const listed = await waitForMessage(lab.httpBase, subject);
  const raw = await rawSource(lab.httpBase, listed.id);
  expect(raw.toString('utf8')).toBe(sent);
  expect(raw.equals(Buffer.from(sent, 'utf8'))).toBe(true);
  return listed.id;
}

// Each test starts (and stops) real processes; a busy machine makes that slow.
describe('real clients deliver into `smtp-lab serve`', { timeout: 60_000 }, () => {
  it('nodemailer: STARTTLS, AUTH, an attachment, 8-bit UTF-8, dot-stuffing', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1', port: lab.smtpPort, secure: false, requireTLS: true,
      tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass: 'wonderland' },
    });
    const sent = messageWithAttachment('nodemailer attachment');
    const info = await transport.sendMail({ envelope: { from: 'alice@example.com', to: ['someone@gmail.com'] }, raw: sent });
    expect(info.response).toMatch(/^250 2\.6\.0 OK: message queued as \w+$/);
    const id = await expectStoredExactly('nodemailer attachment', sent);
    const parsed = await parsedMessage(lab.httpBase, id);
    expect(parsed).toMatchObject({ secure: true, authenticatedUser: 'alice', rcptTo: ['someone@gmail.com'], text: 'Schöne Grüße.\n.a dotted line' });
    expect(parsed.attachments).toEqual([expect.objectContaining({ filename: 'notes.bin', size: 8 })]);
    const attachment = await fetch(`${lab.httpBase}api/messages/${id}/attachments/0`);
    expect(Buffer.from(await attachment.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 0xff, 0x2e, 0x0d, 0x0a, 0x2e]));
  });

  it('swaks: AUTH PLAIN over plain SMTP', async () => {
    const file = join(workDir, 'swaks.eml');
    const sent = message('swaks delivery');
    // swaks adds the CRLF before the final dot itself, so the file leaves out the last one.
    writeFileSync(file, sent.slice(0, -2));
    await run('swaks', ['--server', `127.0.0.1:${lab.smtpPort}`, '--from', 'ana@example.com', '--to', 'bo@outside.example',
      '--auth', 'PLAIN', '--auth-user', 'student', '--auth-password', 'learn-smtp', '--data', `@${file}`]);
    const id = await expectStoredExactly('swaks delivery', sent);
    expect(await parsedMessage(lab.httpBase, id)).toMatchObject({ authenticatedUser: 'student', secure: false });
  });

  it('curl: smtp:// with STARTTLS (--ssl-reqd) and AUTH', async () => {
    const file = join(workDir, 'curl.eml');
    const sent = message('curl delivery');
    writeFileSync(file, sent);
    await run('curl', ['--silent', '--show-error', '--ssl-reqd', '--insecure', '--user', 'student:learn-smtp',
      `smtp://127.0.0.1:${lab.smtpPort}`, '--mail-from', 'ana@example.com', '--mail-rcpt', 'bo@outside.example', '--upload-file', file]);
    const id = await expectStoredExactly('curl delivery', sent);
    expect(await parsedMessage(lab.httpBase, id)).toMatchObject({ authenticatedUser: 'student', secure: true });
  });

  it("Python's smtplib: STARTTLS + login, and SMTPS (implicit TLS)", async () => {
    const script = `
import smtplib, ssl, sys
port, smtps_port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
context = ssl._create_unverified_context()
for subject, use_smtps in (('python starttls', False), ('python smtps', True)):
    data = open(path, 'rb').read().replace(b'Subject: SUBJECT', b'Subject: ' + subject.encode())
    if use_smtps:
        client = smtplib.SMTP_SSL('127.0.0.1', smtps_port, context=context)
    else:
        client = smtplib.SMTP('127.0.0.1', port)
        client.starttls(context=context)
    client.login('alice', 'wonderland')
    client.sendmail('ana@example.com', ['bo@outside.example'], data)
    client.quit()
`;
    const file = join(workDir, 'python.eml');
    writeFileSync(file, message('SUBJECT'));
    expect(lab.smtpsPort).not.toBeNull();
    await run('python3', ['-c', script, String(lab.smtpPort), String(lab.smtpsPort), file]);
    for (const subject of ['python starttls', 'python smtps']) {
      const id = await expectStoredExactly(subject, message(subject));
      expect(await parsedMessage(lab.httpBase, id)).toMatchObject({ authenticatedUser: 'alice', secure: true });
    }
  });
});

describe('nothing is relayed', () => {
  it('captures mail for outside domains and opens no outbound connection', async () => {
    const samples: ProcessSocket[][] = [];
    const pid = lab.child.pid!;
    // The sampler must see the server's own listener, or an empty sample proves nothing.
    expect(listensOn(processSockets(pid), lab.smtpPort)).toBe(true);
    // Sample the process's sockets every 10 ms from before the first RCPT until well after.
    const sampler = setInterval(() => samples.push(processSockets(pid)), 10);
    try {
      const client = await RawSmtpClient.connect(lab.smtpPort);
      expect((await client.reply()).code).toBe(220);
      expect((await client.command('EHLO relay-test.example')).code).toBe(250);
      expect((await client.command('MAIL FROM:<spammer@example.com>')).code).toBe(250);
      for (const rcpt of ['someone@gmail.com', 'postmaster@outlook.com', 'root@[8.8.8.8]']) {
        expect((await client.command(`RCPT TO:<${rcpt}>`)).code).toBe(250);
      }
      expect((await client.command('DATA')).code).toBe(354);
      expect((await client.command('Subject: relay attempt\r\n\r\nplease deliver\r\n.')).code).toBe(250);
      await client.command('QUIT');
      const listed = await waitForMessage(lab.httpBase, 'relay attempt');
      expect(listed.rcptTo).toEqual(['someone@gmail.com', 'postmaster@outlook.com', 'root@[8.8.8.8]']);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      clearInterval(sampler);
    }
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((sample) => !listensOn(sample, lab.smtpPort))).toEqual([]);
    expect(samples.flat().filter(isOutside)).toEqual([]);
  });
});
