/**
 * The capture path with its real worker thread, real SQLite or PostgreSQL and real SMTP listeners: a 250
 * means committed; copies for several namespaces commit together; a database locked past the
 * deadline gives 451 and never a late copy; a broken store gives 421; parsing follows in the
 * background, announced in acceptance order, and resumes after a restart; copies stored raw by
 * another connection are parsed when asked. Everything but the lock runs on both engines.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_TEXT, startCaptureWriter, type CaptureWriter, type CaptureWriterOptions } from '../../../server/app/capture-writer.ts';
import { startSmtpListeners, type SmtpListeners } from '../../../server/app/smtp-listeners.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { MailRefusal } from '../../../server/sandbox/mail-refusal.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import type { MessageSummary } from '../../../server/storage/message-types.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { loadTlsCredentials } from '../../../server/tls/load-tls-credentials.ts';
import { testConfig } from './app-config.ts';
import { RawSmtpClient, type SmtpReply } from './raw-smtp.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import type { SqlDatabase, SqlEngine } from '../../../server/storage/sql/sql-database.ts';
import { ENGINES, freshDatabase as freshSqlDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freshDatabase(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-capture-')), 'smtp-lab.sqlite');
  openDatabase(file).close();
  return file;
}

/** A fresh database for the worker, and a connection of the test's own to read it. */
interface Place {
  /** What the worker is given: a SQLite file or a PostgreSQL URL. */
  readonly database: string;
  readonly db: SqlDatabase;
}

async function freshPlace(engine: SqlEngine): Promise<Place> {
  if (engine === 'sqlite') {
    const file = freshDatabase();
    const db = new SqliteDatabase(openDatabase(file));
    cleanups.push(() => db.close());
    return { database: file, db };
  }
  const fresh = await freshSqlDatabase('postgres');
  cleanups.push(() => fresh.drop());
  return { database: fresh.url!, db: fresh.db };
}

/** The queue ids stored, in the order they were stored. */
async function queueIdsIn(db: SqlDatabase): Promise<string[]> {
  return (await db.all<{ queue_id: string }>('SELECT queue_id FROM messages ORDER BY id')).map((row) => row.queue_id);
}

function start(
  databaseFile: string,
  options: CaptureWriterOptions = {},
): { writer: CaptureWriter; parsed: [string, MessageSummary][]; log: string[] } {
  const log: string[] = [];
  const writer = startCaptureWriter({ database: databaseFile, maxMessages: 1000 }, (line) => log.push(line), options);
  cleanups.push(() => writer.close());
  const parsed: [string, MessageSummary][] = [];
  writer.onParsed((namespace, summary) => parsed.push([namespace, summary]));
  return { writer, parsed, log };
}

/** The sandbox's listeners storing through `writer`, as the live process wires them. */
async function listenersFor(writer: CaptureWriter): Promise<SmtpListeners> {
  const config = testConfig();
  const tls = await loadTlsCredentials({ dataDir: config.dataDir, hostname: config.hostname, keyFile: null, certFile: null });
  const smtp = await startSmtpListeners({
    config,
    tls,
    onMessage: (message) => writer.store(['default'], message),
    refuseTransactions: () => writer.brokenReason(),
    onError: () => undefined,
  });
  cleanups.push(() => smtp.close('test finished'));
  return smtp;
}

/** Sends one message with `subject` on a new connection; resolves with the reply to its end. */
async function send(port: number, subject: string): Promise<SmtpReply> {
  const client = await RawSmtpClient.connect(port);
  cleanups.push(() => client.destroy());
  await client.reply();
  await client.command('EHLO client.example');
  await client.command('MAIL FROM:<ana@example.com>');
  await client.command('RCPT TO:<bo@example.org>');
  expect((await client.command('DATA')).code).toBe(354);
  return client.command(`Subject: ${subject}\r\n\r\nbody\r\n.`);
}

/** The queue ids stored in `file`, read through a connection of the test's own. */
function storedQueueIds(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT queue_id FROM messages ORDER BY id').all() as { queue_id: string }[]).map((row) => row.queue_id);
  } finally {
    db.close();
  }
}

function queueIdOf(reply: SmtpReply): string {
  const id = /queued as (\w+)/.exec(reply.text)?.[1];
  if (id === undefined) throw new Error(`no queue id in ${reply.text}`);
  return id;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of ENGINES) {
  describe.skipIf(engine === 'postgres' && postgresAdminUrl() === null)(`the capture writer [${engine}]`, () => {
    it('announces every message once parsed, in the order they were accepted', async () => {
      const { writer, parsed, log } = start((await freshPlace(engine)).database);
      const subjects = Array.from({ length: 40 }, (_, i) => `message ${i}`);
      await Promise.all(subjects.map((subject, i) => writer.store([i % 2 ? 'alice' : 'bob'], message(subject))));
      await until(() => parsed.length === subjects.length);
      expect(parsed.map(([, summary]) => summary.subject)).toEqual(subjects);
      expect(parsed.map(([namespace]) => namespace)).toEqual(subjects.map((_, i) => (i % 2 ? 'alice' : 'bob')));
      expect(parsed.every(([, summary]) => summary.parsed && summary.hasHtml)).toBe(true);
      const ids = parsed.map(([, summary]) => summary.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('stores a message for several namespaces in one go, each copy once', async () => {
      const place = await freshPlace(engine);
      const { writer } = start(place.database);
      await writer.store(['instructor', 'student:ana', 'student:bo'], message('class mail'));
      const store = new MessageStore(place.db);
      const totals = await Promise.all(['instructor', 'student:ana', 'student:bo', 'student:cy'].map(async (namespace) => (await store.list(namespace)).total));
      expect(totals).toEqual([1, 1, 1, 0]);
    });

    it('stores what was queued when it closes, and parses it after the next start', async () => {
      const place = await freshPlace(engine);
      const first = start(place.database);
      const stored = first.writer.store(['default'], message('left for later'));
      await first.writer.close();
      await stored;

      expect((await new MessageStore(place.db).list('default')).messages.map((m) => [m.subject, m.parsed])).toEqual([[null, false]]);

      const second = start(place.database);
      await until(() => second.parsed.length === 1);
      expect(second.parsed[0]![1]).toMatchObject({ subject: 'left for later', parsed: true });
    });

    it('parses, when asked, what another connection stored raw (a copy a lab MX delivered), and announces it', async () => {
      const place = await freshPlace(engine);
      const { writer, parsed } = start(place.database);
      await writer.store(['default'], message('captured first'));
      await until(() => parsed.length === 1);
      const store = new MessageStore(place.db);
      const [copy] = await store.storeRaw([{ namespace: 'default', message: message('delivered to bob'), mailbox: 'bob@example.net' }]);
      expect(await store.summary('default', copy!.id)).toMatchObject({ subject: null, parsed: false });
      // Asked twice in one turn: one request, one announcement.
      writer.parseStored();
      writer.parseStored();
      await until(() => parsed.length === 2);
      expect(parsed[1]).toEqual(['default', expect.objectContaining({ id: copy!.id, subject: 'delivered to bob', parsed: true, hasHtml: true })]);
      expect((await store.list('default', { mailbox: 'bob@example.net' })).messages.map((m) => m.subject)).toEqual(['delivered to bob']);
      await sleep(100);
      expect(parsed).toHaveLength(2);
    });

    it('answers 250 only once the message is committed: another connection reads it right after', async () => {
      const place = await freshPlace(engine);
      const smtp = await listenersFor(start(place.database).writer);
      const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => send(smtp.smtp.port, `durable ${i}`)));
      // Read as each client could, right after its 250: every queue id is there.
      for (const reply of replies) expect(reply.code).toBe(250);
      expect((await queueIdsIn(place.db)).sort()).toEqual(replies.map(queueIdOf).sort());
    });

    // SQLite's lock is tried below, with messages arriving while it lasts.
    it.skipIf(engine === 'sqlite')('answers 451 while another connection locks the table past the deadline, and never stores that message later', async () => {
      const place = await freshPlace(engine);
      const { writer, log } = start(place.database, { deadlineMs: 800 });
      const smtp = await listenersFor(writer);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // EXCLUSIVE: reads go on, every insert waits.
      const holder = place.db.transaction(async (tx) => {
        await tx.run('LOCK TABLE messages IN EXCLUSIVE MODE');
        locked();
        await held;
      });
      await isLocked;
      const refused = await send(smtp.smtp.port, 'while locked');
      expect(refused.text).toBe(`451 4.3.0 ${BUSY_TEXT}`);
      // Answered by the worker within its lock timeout, not by the watchdog stopping it.
      expect(log).toEqual([]);
      release();
      await holder;
      const after = await send(smtp.smtp.port, 'after the lock');
      expect(after.code).toBe(250);
      expect(await queueIdsIn(place.db)).toEqual([queueIdOf(after)]);
    });

    it('refuses with 421 4.3.0 and closes once the store is broken, never 250', async () => {
      // Every worker dies at start: a database path under a regular file, or a PostgreSQL nobody listens for.
      const notADirectory = join(mkdtempSync(join(tmpdir(), 'smtp-lab-broken-')), 'file');
      writeFileSync(notADirectory, 'not a directory');
      const { writer, log } = start(engine === 'sqlite' ? join(notADirectory, 'smtp-lab.sqlite') : 'postgres://lab@127.0.0.1:1/nowhere');
      const smtp = await listenersFor(writer);

      const inFlight = await send(smtp.smtp.port, 'as it breaks');
      expect([451, 421]).toContain(inFlight.code);
      await until(() => writer.brokenReason() !== null);
      expect(log.join('\n')).toMatch(/the capture worker stopped 3 times in a row.*refused with 421 until the server is restarted/);

      const client = await RawSmtpClient.connect(smtp.smtp.port);
      cleanups.push(() => client.destroy());
      await client.reply();
      expect((await client.command('EHLO client.example')).code).toBe(250);
      const refusal = await client.command('MAIL FROM:<ana@example.com>');
      expect(refusal.text).toMatch(/^421 4\.3\.0 sandbox\.smtp-lab\.test Mail is not accepted now: the lab's mailbox store is broken/);
      await client.closed();
      await expect(writer.store(['default'], message('after'))).rejects.toMatchObject({ responseCode: 421 });
      await expect(writer.store(['default'], message('after'))).rejects.toBeInstanceOf(MailRefusal);
    });

  });
}

describe('durable acknowledgement over SMTP', () => {
  it('answers 451 when the database stays locked past the deadline, and never stores that message later', async () => {
    const file = freshDatabase();
    const smtp = await listenersFor(start(file, { deadlineMs: 800 }).writer);
    const holder = new BetterSqlite3(file);
    cleanups.push(() => void holder.close());
    holder.exec('BEGIN EXCLUSIVE');

    const refused = await send(smtp.smtp.port, 'while locked');
    expect(refused.text).toBe(`451 4.3.0 ${BUSY_TEXT}`);

    // Messages sent every 150 ms while the lock lasts another 900 ms: the early ones time
    // out, the later ones wait and are stored once it is released.
    const replies: Promise<SmtpReply>[] = [];
    for (let i = 0; i < 10; i += 1) {
      replies.push(send(smtp.smtp.port, `staggered ${i}`));
      await sleep(150);
      if (i === 5) holder.exec('COMMIT');
    }
    const settled = await Promise.all(replies);
    expect(settled.every((reply) => reply.code === 250 || reply.code === 451)).toBe(true);
    expect(settled.some((reply) => reply.code === 250)).toBe(true);
    // One more message through the same worker: anything refused earlier would have been stored by now.
    const after = await send(smtp.smtp.port, 'after the lock');
    const accepted = [...settled, after].filter((reply) => reply.code === 250).map(queueIdOf);
    expect(storedQueueIds(file).sort()).toEqual(accepted.sort());
  });
});
