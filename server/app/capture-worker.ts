/**
 * Runs in a worker thread (see capture-writer.ts) with its own database connection:
 * 1. stores each captured message raw with its envelope within a few milliseconds: the
 *    messages that arrive meanwhile go into the same transaction (a commit costs more than
 *    the rows in it), in the order the sandbox accepted them;
 * 2. parses the stored messages with mailparser (the expensive part), oldest first, and
 *    reports each one once it is complete;
 * 3. checkpoints what it stored (its connection does not checkpoint by itself).
 * 2 and 3 happen when BackgroundSchedule says so: after a burst of mail rather than during it.
 * None of it runs on the main thread, so none of it delays an SMTP reply or a learner's round trip.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MessageStore, type RawEntry } from '../storage/message-store.ts';
import { checkpoint, openDatabase } from '../storage/open-database.ts';
import type { CaptureReport, CaptureRequest, CaptureWorkerData, SaveOutcome, SaveRequest } from './capture-protocol.ts';
import { BackgroundSchedule } from './background-schedule.ts';

if (parentPort === null) throw new Error('capture-worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;

/** How long the first message of a batch waits for others to share its transaction. */
const BATCH_WINDOW_MS = 5;
/** A batch this big is stored without waiting for the window to end. */
const FULL_BATCH = 64;
/** Saves per transaction at most: a huge backlog still reaches the main thread in steps. */
const MAX_BATCH = 256;
/**
 * How often a checkpoint is considered: at most one fsync a second, and none during a burst
 * (an fsync also stalls the event loop's writes to the same disk).
 */
const CHECKPOINT_INTERVAL_MS = 1000;

const { databaseFile, maxMessages } = workerData as CaptureWorkerData;
const db = openDatabase(databaseFile, { autoCheckpoint: false });
const store = new MessageStore(db, { maxMessages });
const schedule = new BackgroundSchedule();
const queue: SaveRequest[] = [];
let closeRequested = false;
let running = false;
/** When the oldest message in `queue` arrived. */
let batchOpenedAt = 0;
let wakeTimer: NodeJS.Timeout | undefined;
/** The run sleeps until the batch window ends: arrivals join the batch without waking it. */
let waitingForBatch = false;
/** The last message a parse was tried on: a failed one is not retried until the next start. */
let parseCursor = 0;

port.on('message', (request: CaptureRequest) => {
  if (request.kind === 'close') {
    closeRequested = true;
  } else {
    const now = performance.now();
    if (queue.length === 0) batchOpenedAt = now;
    queue.push(...request.saves);
    schedule.arrived(now);
  }
  if (!waitingForBatch || closeRequested || queue.length >= FULL_BATCH) wake();
});
const checkpoints = setInterval(() => {
  if (schedule.checkpointDue(performance.now())) checkpoint(db);
}, CHECKPOINT_INTERVAL_MS);
// Messages the previous run stored but did not parse.
wake();

function wake(): void {
  clearTimeout(wakeTimer);
  wakeTimer = undefined;
  waitingForBatch = false;
  if (running) return;
  running = true;
  void run();
}

async function run(): Promise<void> {
  for (;;) {
    if (queue.length > 0) {
      const batchDueIn = closeRequested || queue.length >= FULL_BATCH ? 0 : batchOpenedAt + BATCH_WINDOW_MS - performance.now();
      if (batchDueIn > 0) {
        sleep(batchDueIn);
        waitingForBatch = true;
        return;
      }
      storeBatch(queue.splice(0, MAX_BATCH));
      batchOpenedAt = performance.now();
      // Let the saves that arrived meanwhile in before deciding what comes next.
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    if (closeRequested) {
      // Unparsed messages stay marked as such and are parsed after the next start.
      clearInterval(checkpoints);
      db.close();
      port.close();
      return;
    }
    const wait = schedule.waitBeforeParse(performance.now());
    if (wait > 0) {
      sleep(wait);
      return;
    }
    const id = store.nextUnparsed(parseCursor);
    if (id === null) {
      schedule.caughtUp();
      running = false;
      return;
    }
    parseCursor = id;
    await parseOne(id);
  }
}

/** Ends this run; the next starts after `ms`, or sooner when a message arrives. */
function sleep(ms: number): void {
  running = false;
  wakeTimer = setTimeout(wake, ms);
}

function storeBatch(batch: readonly SaveRequest[]): void {
  let outcomes: SaveOutcome[];
  try {
    store.storeRaw(batch.map(toEntry));
    outcomes = batch.map(({ seq }) => ({ seq, ok: true }));
  } catch {
    // One message the database refuses must not cost the others theirs.
    outcomes = batch.map((request) => {
      try {
        store.storeRaw([toEntry(request)]);
        return { seq: request.seq, ok: true };
      } catch (error) {
        return { seq: request.seq, ok: false, error: messageOf(error) };
      }
    });
  }
  schedule.stored(batch.length);
  port.postMessage({ kind: 'stored', outcomes } satisfies CaptureReport);
}

async function parseOne(id: number): Promise<void> {
  try {
    const parsed = await store.parseStored(id);
    if (parsed !== null) port.postMessage({ kind: 'parsed', namespace: parsed.namespace, summary: parsed.message } satisfies CaptureReport);
  } catch (error) {
    port.postMessage({ kind: 'parse-failed', id, error: messageOf(error) } satisfies CaptureReport);
  }
}

function toEntry({ namespace, message }: SaveRequest): RawEntry {
  // Structured cloning turns the Buffer into a plain Uint8Array; the store wants a Buffer.
  const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength);
  return { namespace, message: { ...message, raw } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
