/**
 * Runs in a worker thread (see capture-writer.ts) with its own database connection:
 * 1. stores each captured message raw with its envelope (one row per namespace it goes to)
 *    at once and reports the commit, which the SMTP reply waits for. Group commit without a
 *    timer: the messages that arrive while a transaction commits go into the next one together
 *    (an fsync costs more than the rows in it), and waiting for company would only add to
 *    every client's wait, each connection having one message at a time in flight. A message
 *    whose deadline passes before its transaction begins is reported `busy` and never
 *    stored: its client is told 451 and will send it again;
 * 2. parses the stored messages with mailparser (the expensive part), oldest first, and
 *    reports each one once it is complete; those the main thread stored raw too (the lab MX
 *    hosts' delivered copies, the DSNs), once it asks;
 * 3. checkpoints what it stored (its connection does not checkpoint by itself; SQLite only).
 * 2 and 3 happen when BackgroundSchedule says so: after a burst of mail rather than during it.
 * None of it runs on the main thread, so none of it delays another connection's reply or a
 * learner's round trip. The same code runs on SQLite (a file of the data directory) and on
 * PostgreSQL (a URL): MessageStore on the SqlDatabase interface, one transaction per group.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MessageStore, type RawEntry } from '../storage/message-store.ts';
import { checkpoint, openDatabase } from '../storage/open-database.ts';
import { isPostgresUrl, type CaptureReport, type CaptureRequest, type CaptureWorkerData, type SaveOutcome, type SaveRequest } from './capture-protocol.ts';
import { isBroken, isBusy } from '../storage/sqlite-errors.ts';
import { isPostgresBroken, isPostgresTransient } from '../storage/sql/postgres-errors.ts';
import { openPostgres } from '../storage/sql/open-postgres.ts';
import { SqliteDatabase } from '../storage/sql/sqlite-database.ts';
import type { SqlDatabase, SqlSession } from '../storage/sql/sql-database.ts';
import { BackgroundSchedule } from './background-schedule.ts';
import { OutboundQueue, type OutboundEntry } from '../world/outbound/outbound-queue.ts';

if (parentPort === null) throw new Error('capture-worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;
/** Saves per transaction at most: a huge backlog still reaches the main thread in steps. */
const MAX_BATCH = 256;
/**
 * How often a checkpoint is considered: at most one fsync a second, and none during a burst
 * (an fsync also stalls the event loop's writes to the same disk).
 */
const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * How long one attempt waits for another connection's write lock. Short, so that a message
 * whose deadline passes meanwhile is answered soon after it; the attempt is repeated until then.
 */
const LOCK_WAIT_MS = 250;
/** The pause between two attempts while the database stays locked. */
const RETRY_PAUSE_MS = 50;
/** The same for a parse, which nobody waits for. */
const PARSE_RETRY_PAUSE_MS = 1000;

const { database, maxMessages, synchronous, queueLifetimeMs } = workerData as CaptureWorkerData;

/** The worker's connection and what only one engine has. */
interface Connection {
  readonly db: SqlDatabase;
  /** The first statement of each group's transaction. */
  readonly beginGroup: (tx: SqlSession) => Promise<void>;
  /** Copies SQLite's write-ahead log into the file after a burst; nothing on PostgreSQL. */
  readonly checkpoint: () => void;
}

async function connect(): Promise<Connection> {
  if (isPostgresUrl(database)) {
    // Two connections: one commits a group while the other reads the next message to parse.
    const db = await openPostgres(database, { maxConnections: 2 });
    return {
      db,
      // A lock another process holds is waited for as briefly as SQLite's (then retried until
      // the deadline), not until the watchdog stops the worker.
      beginGroup: async (tx) => void (await tx.run(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`)),
      checkpoint: () => undefined,
    };
  }
  const sqlite = openDatabase(database, { autoCheckpoint: false, synchronous, busyTimeoutMs: LOCK_WAIT_MS });
  return {
    db: new SqliteDatabase(sqlite),
    // The connection's busy timeout already bounds each wait for the lock.
    beginGroup: async () => undefined,
    checkpoint: () => checkpoint(sqlite),
  };
}

/**
 * Retrying is worth it: the same write can succeed later. Nothing was written, except after
 * a PostgreSQL connection lost during COMMIT (isPostgresTransient): then a message may be
 * stored twice: a duplicate, never a loss.
 */
function isRetryable(error: unknown): boolean {
  return isBusy(error) || isPostgresTransient(error);
}

/** The store will refuse every message (see isBroken). */
function isRefusingAll(error: unknown): boolean {
  return isBroken(error) || isPostgresBroken(error);
}

const connection = await connect();
const store = new MessageStore(connection.db, { maxMessages });
// Finished queue rows are kept as long as the mailbox keeps messages: both stay bounded.
const outbound = new OutboundQueue(connection.db, { keepFinished: maxMessages, ...(queueLifetimeMs === undefined ? {} : { lifetimeMs: queueLifetimeMs }) });
/** The copies and the queue rows of the saves, all or none: the 250 promises both. */
function saveAll(requests: readonly SaveRequest[]): Promise<void> {
  return connection.db.transaction(async (tx) => {
    await connection.beginGroup(tx);
    await store.storeRawIn(tx, requests.flatMap(toEntries));
    await outbound.writesIn(tx).enqueue(requests.flatMap(toOutboundEntries));
  });
}
const schedule = new BackgroundSchedule();
const queue: SaveRequest[] = [];
let closeRequested = false;
let running = false;
let wakeTimer: NodeJS.Timeout | undefined;
/** The last message a parse was tried on: a failed one is not retried until the next start. */
let parseCursor = 0;

port.on('message', (request: CaptureRequest) => {
  if (request.kind === 'close') {
    closeRequested = true;
  } else if (request.kind === 'save') {
    queue.push(...request.saves);
    schedule.arrived(performance.now());
  }
  // A 'parse' needs nothing more: the run finds the unparsed messages (nextUnparsed).
  wake();
});
const checkpoints = setInterval(() => {
  if (schedule.checkpointDue(performance.now())) connection.checkpoint();
}, CHECKPOINT_INTERVAL_MS);
// Messages the previous run stored but did not parse.
wake();

function wake(): void {
  clearTimeout(wakeTimer);
  wakeTimer = undefined;
  if (running) return;
  running = true;
  void run();
}

async function run(): Promise<void> {
  for (;;) {
    if (queue.length > 0) {
      const locked = await storeBatch(queue.splice(0, MAX_BATCH));
      if (locked.length > 0) {
        // Locked by another connection: nothing of them was stored; try again shortly.
        queue.unshift(...locked);
        sleep(RETRY_PAUSE_MS);
        return;
      }
      // Let the saves that arrived meanwhile in before deciding what comes next.
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    if (closeRequested) {
      // Unparsed messages stay marked as such and are parsed after the next start.
      clearInterval(checkpoints);
      await connection.db.close();
      port.close();
      return;
    }
    const wait = schedule.waitBeforeParse(performance.now());
    if (wait > 0) {
      sleep(wait);
      return;
    }
    const id = await nextUnparsed();
    if (id === 'locked') {
      sleep(PARSE_RETRY_PAUSE_MS);
      return;
    }
    // Saves (or the close) that came in while the database answered go first.
    if (queue.length > 0 || closeRequested) continue;
    if (id === null) {
      schedule.caughtUp();
      running = false;
      return;
    }
    if ((await parseOne(id)) === 'locked') {
      sleep(PARSE_RETRY_PAUSE_MS);
      return;
    }
    parseCursor = id;
  }
}

/** The next message waiting for its parse, or 'locked' when the database could not be read just now. */
async function nextUnparsed(): Promise<number | null | 'locked'> {
  try {
    return await store.nextUnparsed(parseCursor);
  } catch (error) {
    if (isRetryable(error)) return 'locked';
    throw error;
  }
}

/** Ends this run; the next starts after `ms`, or sooner when a message arrives. */
function sleep(ms: number): void {
  running = false;
  wakeTimer = setTimeout(wake, ms);
}

/**
 * Stores the batch's messages in one transaction and reports each one's outcome; returns the
 * ones to try again because the database is locked (none of them is stored, none reported).
 */
async function storeBatch(batch: readonly SaveRequest[]): Promise<SaveRequest[]> {
  const now = Date.now();
  const outcomes: SaveOutcome[] = [];
  const locked: SaveRequest[] = [];
  const due = batch.filter((request) => {
    if (request.deadline > now) return true;
    outcomes.push({ seq: request.seq, result: 'busy' });
    return false;
  });
  try {
    if (due.length > 0) await saveAll(due);
    for (const { seq } of due) outcomes.push({ seq, result: 'committed' });
  } catch (error) {
    if (isRetryable(error)) {
      locked.push(...due);
    } else {
      // One message the database refuses must not cost the others theirs.
      for (const request of due) {
        const outcome = await storeAlone(request);
        if (outcome === 'locked') locked.push(request);
        else outcomes.push(outcome);
      }
    }
  }
  const committed = outcomes.filter((outcome) => outcome.result === 'committed').length;
  if (committed > 0) schedule.stored(committed);
  if (outcomes.length > 0) port.postMessage({ kind: 'stored', outcomes } satisfies CaptureReport);
  return locked;
}

/** One message (all its copies) in its own transaction. */
async function storeAlone(request: SaveRequest): Promise<SaveOutcome | 'locked'> {
  try {
    await saveAll([request]);
    return { seq: request.seq, result: 'committed' };
  } catch (error) {
    if (isRetryable(error)) return 'locked';
    return { seq: request.seq, result: 'failed', error: messageOf(error), broken: isRefusingAll(error) };
  }
}

/** Parses one stored message; 'locked' when another connection's lock kept it from recording the result (try again later). */
async function parseOne(id: number): Promise<'done' | 'locked'> {
  try {
    const parsed = await store.parseStored(id);
    if (parsed !== null) port.postMessage({ kind: 'parsed', namespace: parsed.namespace, summary: parsed.message } satisfies CaptureReport);
  } catch (error) {
    if (isRetryable(error)) return 'locked';
    port.postMessage({ kind: 'parse-failed', id, error: messageOf(error) } satisfies CaptureReport);
  }
  return 'done';
}

function toEntries({ namespaces, message, outbound: plan }: SaveRequest): RawEntry[] {
  const copy = { ...message, raw: rawOf(message.raw) };
  const captured = namespaces.map((namespace) => ({ namespace, message: copy }));
  if (plan === undefined) return captured;
  return [...captured, ...plan.localMailboxes.map((mailbox) => ({ namespace: plan.namespace, message: copy, mailbox }))];
}

function toOutboundEntries({ message, outbound: plan }: SaveRequest): OutboundEntry[] {
  if (plan === undefined) return [];
  const raw = rawOf(message.raw);
  return plan.queue.map(({ recipient, notInLab }) => ({
    namespace: plan.namespace,
    queueId: message.queueId,
    mailFrom: message.mailFrom,
    recipient,
    clientHelo: message.clientHelo,
    clientAddress: message.remoteAddress,
    raw,
    receivedAt: plan.receivedAt,
    ...(notInLab === undefined ? {} : { notInLab }),
  }));
}

/** Structured cloning turns the Buffer into a plain Uint8Array; the stores want a Buffer. */
function rawOf(raw: Uint8Array): Buffer {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
