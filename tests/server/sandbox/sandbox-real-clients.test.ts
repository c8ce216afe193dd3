/**
 * Real mail clients deliver into the sandbox over real TCP, and the sandbox captures exactly
 * the bytes they sent (after dot-unstuffing), whatever the recipient domain: nothing relays.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox, type Sandbox } from '../../../server/sandbox/create-sandbox.ts';

const run = promisify(execFile);
const captured: CapturedMessage[] = [];
let sandbox: Sandbox;
let port: number;
let workDir: string;

beforeAll(async () => {
  sandbox = createSandbox({ onMessage: (message) => captured.push(message) });
  port = (await sandbox.listen(0, '127.0.0.1')).port;
  workDir = await mkdtemp(join(tmpdir(), 'smtp-lab-clients-'));
});
afterAll(() => sandbox.close());

function lastCapture(): CapturedMessage {
  const message = captured.at(-1);
  if (!message) throw new Error('nothing was captured');
  return message;
}

// A body with a line that starts with a dot: the client must dot-stuff it, the server unstuff it.
const MESSAGE = [
  'From: Ana <ana@example.com>',
  'To: Bo <bo@outside.example>',
  'Subject: Dots and umlauts',
  'Message-ID: <test-1@example.com>',
  'Date: Fri, 27 Nov 2026 12:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Grüße from the lab.',
  '.this line starts with a dot',
  '..and this one with two',
  '',
].join('\r\n');

describe('real clients deliver into the sandbox', () => {
  it('captures a message from curl byte for byte', async () => {
    const file = join(workDir, 'curl.eml');
    await writeFile(file, MESSAGE);
    await run('curl', ['--silent', '--show-error', `smtp://127.0.0.1:${port}`, '--mail-from', 'ana@example.com',
      '--mail-rcpt', 'bo@outside.example', '--upload-file', file]);
    const message = lastCapture();
    expect(message.raw.toString('utf8')).toBe(MESSAGE);
    expect(message.mailFrom).toBe('ana@example.com');
    expect(message.rcptTo).toEqual(['bo@outside.example']);
  });

  it('captures a message from swaks with AUTH PLAIN, byte for byte', async () => {
    const file = join(workDir, 'swaks.eml');
    // swaks always sends CRLF before the terminating dot, so the file leaves out the last one.
    await writeFile(file, MESSAGE.slice(0, -2));
    await run('swaks', ['--server', `127.0.0.1:${port}`, '--from', 'ana@example.com', '--to', 'bo@outside.example',
      '--auth', 'PLAIN', '--auth-user', 'student', '--auth-password', 'learn-smtp', '--data', `@${file}`]);
    const message = lastCapture();
    expect(message.raw.toString('utf8')).toBe(MESSAGE);
    expect(message.authenticatedUser).toBe('student');
  });

  it('captures a message from nodemailer with STARTTLS, AUTH and an attachment', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1', port, secure: false, requireTLS: true,
      tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass: 'wonderland' },
    });
    const info = await transport.sendMail({
      from: 'alice@example.com', to: ['x@gmail.com', 'y@outside.example'], subject: 'Attachment',
      text: '.leading dot\nsecond line', attachments: [{ filename: 'notes.txt', content: 'a\r\n.b\r\n' }],
    });
    const message = lastCapture();
    expect(info.response).toMatch(/^250 2\.6\.0 OK: message queued as [0-9A-F]{10}$/);
    expect(info.response).toContain(message.queueId);
    expect(message.secure).toBe(true);
    expect(message.authenticatedUser).toBe('alice');
    expect(message.rcptTo).toEqual(['x@gmail.com', 'y@outside.example']);
    const raw = message.raw.toString('utf8');
    expect(raw).toContain('\r\n.leading dot\r\nsecond line');
    expect(raw).toContain('filename=notes.txt');
  });
});
