/**
 * The main-thread side of message capture: hands each message the sandbox accepted to the
 * capture worker (store raw, then parse, off the event loop) and settles its promise once the
 * worker reports the commit, so the SMTP reply to the end of the data waits for it: a 250
 * means stored. It reports each message once it is parsed, so the bridge can push it to the
 * browser.
 *
 * When storing fails the promise rejects with a MailRefusal: 451 for this message (locked
 * past the deadline, refused), 421 once the store is broken (damaged or unwritable database,
 * a worker that keeps dying): from then on no mail is accepted until a restart.
 */
import { Worker } from 'node:worker_threads';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { MailRefusal } from '../sandbox/mail-refusal.ts';
import type { MessageSummary } from '../storage/message-types.ts';
import type { OutboundPlan } from '../../protocol/world/outbound-plan.ts';
import type { CaptureReport, CaptureRequest, CaptureWorkerData, SaveOutcome, SaveRequest } from './capture-protocol.ts';

export interface CaptureWriter {
  /**
   * Stores the message once per namespace, all copies in one transaction. Resolves once they
   * are committed; rejects with a MailRefusal when nothing was stored (and nothing will be).
   * `outbound` (local mailbox copies, queue rows) is committed in the same transaction.
   */
  store(namespaces: readonly string[], message: CapturedMessage, outbound?: OutboundPlan): Promise<void>;
  /** Why no mail is accepted any more (the text of a 421), or null while the store works. */
  brokenReason(): string | null;
  /** Called once per stored copy when it has been parsed, in acceptance order. */
  onParsed(listener: (namespace: string, summary: MessageSummary) => void): void;
  /**
   * Has the worker parse what another connection stored raw (MessageStore.storeRaw), off the
   * event loop; each is announced through onParsed like the worker's own. Calls of one turn of
   * the event loop are one request. After close, they are parsed at the next start.
   */
  parseStored(): void;
  /** Stores what is queued, then closes the worker's database connection (parsing resumes at the next start). */
  close(): Promise<void>;
}

export interface CaptureWriterOptions {
  /**
   * How long a message may wait for its commit before its client gets 451. 15 s rides out a
   * brief lock (a backup tool, a `sqlite3` shell left in a transaction) while a learner at
   * the console still gets an answer soon; clients wait up to 10 minutes for this reply
   * (RFC 5321 §4.5.3.2.6), so no client gives up first.
   */
  readonly deadlineMs?: number;
  /**
   * FULL (the default): one fsync per group commit before the 250, so an acknowledged message
   * survives a power cut or a kernel crash too, not only the process being killed
   * (tests/server/app/durability.test.ts kills it). Group commit shares that fsync among every message
   * of a batch; `npm run bench` measures the cost against NORMAL (about a tenth of the ingest
   * rate on this class of machine). NORMAL (WAL without the fsync) survives a killed process only.
   */
  readonly synchronous?: CaptureWorkerData['synchronous'];
}

/** The default of CaptureWriterOptions.deadlineMs (why 15 s: see there). */
export const STORE_DEADLINE_MS = 15_000;

/**
 * Past its deadline, the worker answers for a message within one lock wait; if it has not
 * answered this much later it is stuck, and is stopped (its open transaction rolls back).
 */
const UNRESPONSIVE_AFTER_MS = 10_000;
const WATCHDOG_INTERVAL_MS = 1000;

/** Worker deaths in a row, without a commit in between, after which the store counts as broken. */
const MAX_FAILURES_IN_A_ROW = 3;

export const BUSY_TEXT = "Message not stored: the lab's mailbox store is busy; nothing was kept, please send it again";

const WORKER_URL = new URL('./capture-worker.ts', import.meta.url).href;

/**
 * The worker is TypeScript like the rest: it registers tsx itself (resolved from here), the
 * way bin/smtp-lab.js does, since Node 20 workers ignore `--import` in execArgv.
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

interface Pending {
  readonly queueId: string;
  readonly deadline: number;
  readonly resolve: () => void;
  readonly reject: (refusal: MailRefusal) => void;
}

/** Starts the capture worker on `database`: a SQLite file (already created, checked and migrated by the caller) or a PostgreSQL URL. */
export function startCaptureWriter(
  data: Pick<CaptureWorkerData, 'database' | 'maxMessages' | 'queueLifetimeMs'>,
  log: (line: string) => void,
  options: CaptureWriterOptions = {},
): CaptureWriter {
  const deadlineMs = options.deadlineMs ?? STORE_DEADLINE_MS;
  const workerData: CaptureWorkerData = { ...data, synchronous: options.synchronous ?? 'FULL' };
  const pending = new Map<number, Pending>();
  let seq = 0;
  /** Saves of this turn of the event loop, posted together: one wake-up of the worker. */
  let outgoing: SaveRequest[] = [];
  let listener: Parameters<CaptureWriter['onParsed']>[0] = () => undefined;
  let parseAsked = false;
  let closing = false;
  let broken: string | null = null;
  let failuresInARow = 0;
  let worker = spawn();
  const watchdog = setInterval(() => {
    // The oldest pending message comes first (a Map keeps insertion order).
    const oldest = pending.values().next().value;
    if (oldest === undefined || Date.now() < oldest.deadline + UNRESPONSIVE_AFTER_MS) return;
    log(`capture: the worker has not answered for ${(deadlineMs + UNRESPONSIVE_AFTER_MS) / 1000} s; restarting it`);
    void worker.terminate();
  }, WATCHDOG_INTERVAL_MS);
  watchdog.unref();

  function settle(seqOfSave: number, outcome: 'committed' | MailRefusal): void {
    const request = pending.get(seqOfSave);
    if (request === undefined) return;
    pending.delete(seqOfSave);
    if (outcome === 'committed') request.resolve();
    else request.reject(outcome);
  }

  function breakStore(why: string): void {
    if (broken !== null) return;
    broken = `Mail is not accepted now: the lab's mailbox store is broken (${why}); nothing was kept. The operator must fix it and restart the server`;
    log(`capture: ${why}; from now on every message is refused with 421 until the server is restarted`);
  }

  function refusalFor(outcome: Exclude<SaveOutcome, { result: 'committed' }>, queueId: string): MailRefusal {
    if (outcome.result === 'busy') return new MailRefusal(451, BUSY_TEXT);
    log(`capture: could not store message ${queueId}: ${outcome.error}`);
    if (outcome.broken) breakStore(`the database refuses writes: ${outcome.error}`);
    return broken !== null
      ? new MailRefusal(421, broken)
      : new MailRefusal(451, `Message not stored: the lab's mailbox store refused it (${outcome.error}); nothing was kept`);
  }

  function onReport(report: CaptureReport): void {
    switch (report.kind) {
      case 'stored':
        for (const outcome of report.outcomes) {
          if (outcome.result === 'committed') {
            failuresInARow = 0;
            settle(outcome.seq, 'committed');
          } else {
            const queueId = pending.get(outcome.seq)?.queueId ?? '?';
            settle(outcome.seq, refusalFor(outcome, queueId));
          }
        }
        return;
      case 'parsed':
        try {
          listener(report.namespace, report.summary);
        } catch (error) {
          log(`capture: after parsing ${report.summary.queueId}: ${messageOf(error)}`);
        }
        return;
      case 'parse-failed':
        log(`capture: message #${report.id} is stored raw but could not be parsed: ${report.error}`);
        return;
    }
  }

  function spawn(): Worker {
    const next = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData });
    next.on('message', onReport);
    next.on('error', (error) => log(`capture worker failed: ${error.message}`));
    next.on('exit', (code) => {
      if (closing) return;
      // An uncommitted transaction died with it. (A commit it made but had not reported yet,
      // in the instant before it died, is answered 451 too: the one case of a duplicate.)
      failuresInARow += 1;
      if (failuresInARow >= MAX_FAILURES_IN_A_ROW) breakStore(`the capture worker stopped ${failuresInARow} times in a row (code ${code})`);
      const refusal = broken !== null ? new MailRefusal(421, broken) : new MailRefusal(451, BUSY_TEXT);
      for (const seqOfSave of [...pending.keys()]) settle(seqOfSave, refusal);
      if (broken === null) worker = spawn();
    });
    return next;
  }

  function post(): void {
    const saves = outgoing;
    outgoing = [];
    if (saves.length === 0 || broken !== null) return;
    worker.postMessage({ kind: 'save', saves } satisfies CaptureRequest);
  }

  return {
    store(namespaces, message, outbound) {
      if (broken !== null) return Promise.reject(new MailRefusal(421, broken));
      if (closing) return Promise.reject(new MailRefusal(421, 'Mail is not accepted now: the server is shutting down'));
      seq += 1;
      const save: SaveRequest = { seq, namespaces, message, deadline: Date.now() + deadlineMs, ...(outbound === undefined ? {} : { outbound }) };
      if (outgoing.length === 0) setImmediate(post);
      outgoing.push(save);
      return new Promise((resolve, reject) => pending.set(save.seq, { queueId: message.queueId, deadline: save.deadline, resolve, reject }));
    },
    brokenReason: () => broken,
    onParsed(next) {
      listener = next;
    },
    parseStored() {
      if (parseAsked) return;
      parseAsked = true;
      setImmediate(() => {
        parseAsked = false;
        if (!closing && broken === null) worker.postMessage({ kind: 'parse' } satisfies CaptureRequest);
      });
    },
    close() {
      if (closing) return Promise.resolve();
      closing = true;
      clearInterval(watchdog);
      if (broken !== null) return worker.terminate().then(() => undefined);
      return new Promise((resolve) => {
        worker.once('exit', () => {
          // Only if the worker died while closing: it reported everything it stored.
          for (const seqOfSave of [...pending.keys()]) settle(seqOfSave, new MailRefusal(451, BUSY_TEXT));
          resolve();
        });
        post();
        worker.postMessage({ kind: 'close' } satisfies CaptureRequest);
      });
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
