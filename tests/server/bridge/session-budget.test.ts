/**
 * Bounded sessions, through the real bridge, the real sandbox and the real transcript store:
 * one learner sends over 50 MB of message data at the allowed rate and the copies the server
 * keeps stay small (recorded events, a whole transcript read through the API, memory), while
 * another learner's session keeps working; and each limit closes a session with its reason.
 * (The times — the other learner's round trip, the transcript read — are in `npm run bench`.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_HEAD_LINES, MESSAGE_TAIL_LINES } from '../../../protocol/session/message-window.ts';
import { createSandbox, type Sandbox } from '../../../server/sandbox/create-sandbox.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { jsonOf, startServer, type TestServer } from '../http/test-server.ts';
import { startBridge, WireClient, type RunningBridge } from './bridge-harness.ts';
import { LeanLearner } from './lean-learner.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

const MIB = 1024 * 1024;
/** 1,000 bytes with its CRLF; 1,000 of them make one console send of 1 MB (the limit is 1 MiB). */
const LINE = 'x'.repeat(998);
const LINES_PER_SEND = 1000;
const SENDS_PER_MESSAGE = 9;
const MESSAGES = 6;
/** A little slower than the default 10 sends a second, so no send is refused. */
const SEND_INTERVAL_MS = 105;

let sandbox: Sandbox;
let sandboxPort: number;
/** Sizes of the accepted messages (the sandbox keeps no bodies here: only the bridge's memory is measured). */
const capturedSizes: number[] = [];
let db: Database;
let store: SessionStore;
let api: TestServer;
const bridges: RunningBridge[] = [];

beforeAll(async () => {
  sandbox = createSandbox({ onMessage: (message) => capturedSizes.push(message.raw.length) });
  sandboxPort = (await sandbox.listen(0, '127.0.0.1')).port;
  db = openDatabase(':memory:');
  const sql = new SqliteDatabase(db);
  store = new SessionStore(sql);
  api = await startServer({ messages: new MessageStore(sql), sessions: store });
});
afterEach(async () => {
  const done = bridges.splice(0);
  await Promise.all(done.map((running) => running.close()));
  expect(done.flatMap((running) => running.errors)).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await sandbox.close();
  db.close();
});

async function bridgeWith(limits: Parameters<typeof startBridge>[1] = {}): Promise<RunningBridge> {
  const running = await startBridge(sandboxPort, { sessions: store, ...limits });
  bridges.push(running);
  return running;
}

/** Every event of a session read through the HTTP API, page by page, and the bytes it took. */
async function readTranscript(sessionId: string): Promise<{ events: { event: { type: string; lines?: number } }[]; bytes: number; pages: number }> {
  const events: { event: { type: string; lines?: number } }[] = [];
  let bytes = 0;
  let after = 0;
  for (let pages = 1; pages <= 100; pages++) {
    const response = await fetch(`${api.base}/api/sessions/${sessionId}?after=${after}`);
    const text = await response.text();
    bytes += text.length;
    const page = JSON.parse(text) as { events: typeof events; hasMore: boolean; nextAfter: number | null };
    events.push(...page.events);
    if (!page.hasMore) return { events, bytes, pages };
    after = page.nextAfter!;
  }
  throw new Error('more than 100 pages');
}

describe('a session sending over 50 MB of message data', () => {
  it('keeps the recorded transcript, its read and the memory small, and the other learner is served', { timeout: 120_000 }, async () => {
    const running = await bridgeWith();
    const heavy = await LeanLearner.open(running.url);
    const other = await WireClient.greeted(running.url);
    await other.open();
    const rssBefore = process.memoryUsage().rss;

    expect(await heavy.exchange('EHLO heavy.example\r\n')).toBe(250);
    const chunk = `${LINE}\r\n`.repeat(LINES_PER_SEND);
    let sent = 0;
    for (let message = 0; message < MESSAGES; message++) {
      expect(await heavy.exchange('MAIL FROM:<big@example.com>\r\n')).toBe(250);
      expect(await heavy.exchange('RCPT TO:<sink@example.org>\r\n')).toBe(250);
      expect(await heavy.exchange('DATA\r\n')).toBe(354);
      for (let send = 0; send < SENDS_PER_MESSAGE; send++) {
        await sleep(SEND_INTERVAL_MS);
        heavy.send(chunk);
        sent += chunk.length;
      }
      await sleep(SEND_INTERVAL_MS);
      expect(await heavy.exchange('.\r\n')).toBe(250);
      // The other learner's session answers meanwhile (its round trip time is in the bench).
      expect((await other.exchange('NOOP\r\n'))[0]?.reply.code).toBe(250);
    }
    expect(sent).toBeGreaterThan(50_000_000);
    expect(heavy.closed).toBeNull();
    // The learner's browser got every line it sent; the sandbox stored every message whole.
    expect(heavy.echoedLines).toBe(MESSAGES * (SENDS_PER_MESSAGE * LINES_PER_SEND + 4) + 1);
    expect(capturedSizes.slice(-MESSAGES).every((size) => size >= SENDS_PER_MESSAGE * LINES_PER_SEND * 1000)).toBe(true);
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    // The recorded copy: per message, the head, one elision, the tail, and a few commands and replies.
    const summary = (await store.get('default', heavy.sessionId))!;
    const perMessage = MESSAGE_HEAD_LINES + 1 + MESSAGE_TAIL_LINES + 8;
    expect(summary.eventCount).toBeLessThanOrEqual(MESSAGES * perMessage + 10);
    const transcript = await readTranscript(heavy.sessionId);
    expect(transcript.events).toHaveLength(summary.eventCount);
    expect(transcript.bytes).toBeLessThan(16_000_000);
    const elided = transcript.events.filter((e) => e.event.type === 'client.elided');
    expect(elided.map((e) => e.event.lines)).toEqual(
      Array.from({ length: MESSAGES }, () => SENDS_PER_MESSAGE * LINES_PER_SEND - MESSAGE_HEAD_LINES - MESSAGE_TAIL_LINES),
    );
    // Generous: the recorded and modelled copies are a few hundred KB; the rest is the noise of a shared machine.
    expect(rssGrowth).toBeLessThan(300 * MIB);

    heavy.close();
    other.close();
  });
});

describe('session limits', () => {
  it('closes a session whose sends go past its data budget, with the reason, and writes nothing past it', async () => {
    const running = await bridgeWith({ limits: { maxSessionDataBytes: 2 * MIB } });
    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    await client.exchange('EHLO budget.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n', 4);
    const chunk = `${LINE}\r\n`.repeat(LINES_PER_SEND);
    for (let send = 0; send < 3; send++) client.send({ type: 'session.send', text: chunk });
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'limit', reason: 'this session reached its limit of 2 MiB sent to the server (the data budget); start a new session to go on' });
    expect(client.events().filter((e) => e.type === 'client.line')).toHaveLength(4 + 2 * LINES_PER_SEND);
    expect((await store.get('default', sessionId))?.endReason).toBe(closed.reason);
    client.close();
  });

  it('closes a session that records more events than allowed, recording no more than the cap and the close', async () => {
    const running = await bridgeWith({ limits: { maxSessionEvents: 100 } });
    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    client.send({ type: 'session.send', text: 'NOOP\r\n'.repeat(150) });
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'limit', reason: 'this session reached its limit of 100 recorded events; start a new session to go on' });
    const recorded = (await store.events('default', sessionId))!.map((e) => e.event as { type: string });
    expect(recorded).toHaveLength(101);
    expect(recorded.at(-1)).toMatchObject({ type: 'socket.closed', reason: closed.reason });
    client.close();
  });

  it('closes a session whose recorded transcript grows past its byte limit', async () => {
    const running = await bridgeWith({ limits: { maxTranscriptBytes: 64 * 1024 } });
    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    const longNoop = `NOOP ${'y'.repeat(1500)}\r\n`;
    for (let n = 0; n < 60 && client.messages.every((m) => m.type !== 'session.closed'); n++) {
      client.send({ type: 'session.send', text: longNoop });
      await sleep(SEND_INTERVAL_MS);
    }
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'limit', reason: 'this session reached its limit of 64 KiB of recorded transcript; start a new session to go on' });
    const bytes = (await store.events('default', sessionId))!.reduce((sum, e) => sum + JSON.stringify(e.event).length, 0);
    expect(bytes).toBeLessThanOrEqual(64 * 1024 + 1024);
    client.close();
  });
});
