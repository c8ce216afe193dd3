/**
 * The capture path with its real worker thread and real SMTP listeners: messages are stored
 * raw at once, parsed after, announced in acceptance order; parsing resumes after a restart;
 * and the 250 to the end of a message waits while storage has no room (backpressure).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCaptureWriter, type CaptureWriter } from '../../server/app/capture-writer.ts';
import { startSmtpListeners } from '../../server/app/smtp-listeners.ts';
import type { CapturedMessage } from '../../server/sandbox/captured-message.ts';
import { MessageStore } from '../../server/storage/message-store.ts';
import type { MessageSummary } from '../../server/storage/message-types.ts';
import { openDatabase } from '../../server/storage/open-database.ts';
import { loadTlsCredentials } from '../../server/tls/load-tls-credentials.ts';
import { testConfig } from './app-config.ts';
import { RawSmtpClient } from './raw-smtp.ts';

const writers: CaptureWriter[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
});

function freshDatabase(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-capture-')), 'smtp-lab.sqlite');
  openDatabase(file).close();
  return file;
}

function start(databaseFile: string, log: string[] = []): { writer: CaptureWriter; parsed: [string, MessageSummary][] } {
  const writer = startCaptureWriter({ databaseFile, maxMessages: 1000 }, (line) => log.push(line));
  writers.push(writer);
  const parsed: [string, MessageSummary][] = [];
  writer.onParsed((namespace, summary) => parsed.push([namespace, summary]));
  return { writer, parsed };
}

function message(subject: string): CapturedMessage {
  return {
    queueId: `Q${subject.replace(/\W/g, '')}`,
    receivedAt: new Date(),
    mailFrom: 'ana@example.com',
    rcptTo: ['bo@example.org'],
    raw: Buffer.from(`Subject: ${subject}\r\nContent-Type: text/html\r\n\r\n<p>${subject}</p>\r\n`),
    clientHelo: 'client.example',
    remoteAddress: '127.0.0.1',
    authenticatedUser: null,
    secure: false,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; !check(); tries += 1) {
    if (tries > 1000) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the capture writer', () => {
  it('announces every message once parsed, in the order they were accepted', async () => {
    const { writer, parsed } = start(freshDatabase());
    const subjects = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    for (const [i, subject] of subjects.entries()) writer.save(i % 2 ? 'alice' : 'bob', message(subject));
    await until(() => parsed.length === subjects.length);
    expect(parsed.map(([, summary]) => summary.subject)).toEqual(subjects);
    expect(parsed.map(([namespace]) => namespace)).toEqual(subjects.map((_, i) => (i % 2 ? 'alice' : 'bob')));
    expect(parsed.every(([, summary]) => summary.parsed && summary.hasHtml)).toBe(true);
    const ids = parsed.map(([, summary]) => summary.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('stores what was queued when it closes, and parses it after the next start', async () => {
    const file = freshDatabase();
    const first = start(file);
    first.writer.save('default', message('left for later'));
    await first.writer.close();
    writers.splice(writers.indexOf(first.writer), 1);

    const db = openDatabase(file);
    expect(new MessageStore(db).list('default').messages.map((m) => [m.subject, m.parsed])).toEqual([[null, false]]);
    db.close();

    const second = start(file);
    await until(() => second.parsed.length === 1);
    expect(second.parsed[0]![1]).toMatchObject({ subject: 'left for later', parsed: true });
  });
});

describe('backpressure', () => {
  it('holds the 250 to the end of a message until storage has room again', async () => {
    const config = testConfig();
    const tls = await loadTlsCredentials({ dataDir: config.dataDir, hostname: config.hostname, keyFile: null, certFile: null });
    const captured: CapturedMessage[] = [];
    let release: (() => void) | null = null;
    let released = false;
    const smtp = await startSmtpListeners({
      config,
      tls,
      onMessage: (next) => captured.push(next),
      // Full after the first message: the reply waits for `release`.
      captureRoom: () => (captured.length === 0 ? null : new Promise<void>((resolve) => (release = resolve))),
      onError: () => undefined,
    });
    try {
      const client = await RawSmtpClient.connect(smtp.smtp.port);
      await client.reply();
      await client.command('EHLO client.example');
      await client.command('MAIL FROM:<ana@example.com>');
      await client.command('RCPT TO:<bo@example.org>');
      expect((await client.command('DATA')).code).toBe(354);
      const reply = client.command('Subject: held\r\n\r\nbody\r\n.').then((queued) => ({ queued, released }));
      await until(() => release !== null);
      expect(captured.map((m) => m.raw.toString())).toEqual(['Subject: held\r\n\r\nbody\r\n']);
      released = true;
      release!();
      // The reply can only have been sent after the release.
      expect(await reply).toMatchObject({ queued: { code: 250 }, released: true });
      client.destroy();
    } finally {
      await smtp.close('test finished');
    }
  });
});
