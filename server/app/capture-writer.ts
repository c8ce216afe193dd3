/**
 * The main-thread side of message capture: hands each message the sandbox accepted to the
 * capture worker (store raw, then parse, off the event loop), holds SMTP replies while too
 * much is on its way to storage (backpressure), and reports each message once it is parsed,
 * so the bridge can push it to the browser. Storage failures are logged, never thrown.
 */
import { Worker } from 'node:worker_threads';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type { MessageSummary } from '../storage/message-types.ts';
import type { CaptureReport, CaptureRequest, CaptureWorkerData, SaveRequest } from './capture-protocol.ts';
import { InFlightLimit, type InFlightLimits } from './in-flight-limit.ts';

export interface CaptureWriter {
  /** The sandbox's onMessage: queue the message for storage in `namespace`. */
  save(namespace: string, message: CapturedMessage): void;
  /**
   * Null while the worker keeps up; otherwise a promise that resolves once it has room again.
   * The SMTP side holds its reply to the end of a message until then.
   */
  room(): Promise<void> | null;
  /** Called once per stored message when it has been parsed, in acceptance order. */
  onParsed(listener: (namespace: string, summary: MessageSummary) => void): void;
  /** Stores what is queued, then closes the worker's database connection (parsing resumes at the next start). */
  close(): Promise<void>;
}

/** Room for every connection's message in a burst, and a cap on the memory they hold. */
export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = { maxMessages: 256, maxBytes: 64 * 1024 * 1024 };

const WORKER_URL = new URL('./capture-worker.ts', import.meta.url).href;

/**
 * The worker is TypeScript like the rest: it registers tsx itself (resolved from here), the
 * way bin/smtp-lab.js does, since Node 20 workers ignore `--import` in execArgv.
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** Starts the capture worker on `databaseFile` (already created and migrated by the caller). */
export function startCaptureWriter(
  data: CaptureWorkerData,
  log: (line: string) => void,
  limits: InFlightLimits = DEFAULT_IN_FLIGHT_LIMITS,
): CaptureWriter {
  const pending = new Map<number, { readonly queueId: string; readonly bytes: number }>();
  const inFlight = new InFlightLimit(limits);
  let seq = 0;
  /** Saves of this turn of the event loop, posted together: one wake-up of the worker. */
  let outgoing: SaveRequest[] = [];
  let listener: Parameters<CaptureWriter['onParsed']>[0] = () => undefined;
  let closing = false;
  let running = true;
  // A worker that keeps dying before storing anything (a broken install) is not restarted forever.
  let failuresInARow = 0;
  let worker = spawn();

  function settle(seqOfSave: number): { queueId: string } | undefined {
    const request = pending.get(seqOfSave);
    if (request === undefined) return undefined;
    pending.delete(seqOfSave);
    inFlight.release(request.bytes);
    return request;
  }

  function onReport(report: CaptureReport): void {
    switch (report.kind) {
      case 'stored':
        failuresInARow = 0;
        for (const outcome of report.outcomes) {
          const request = settle(outcome.seq);
          if (request && !outcome.ok) log(`capture: could not store message ${request.queueId}: ${outcome.error}`);
        }
        return;
      case 'parsed':
        try {
          listener(report.namespace, report.summary);
        } catch (error) {
          log(`capture: after parsing ${report.summary.queueId}: ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      case 'parse-failed':
        log(`capture: message #${report.id} is stored raw but could not be parsed: ${report.error}`);
        return;
    }
  }

  function spawn(): Worker {
    const next = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: data });
    next.on('message', onReport);
    next.on('error', (error) => log(`capture worker failed: ${error.message}`));
    next.on('exit', (code) => {
      if (closing) return;
      // Whatever it held is lost; say which messages, and carry on with a fresh worker.
      for (const seqOfSave of [...pending.keys()]) {
        log(`capture: message ${settle(seqOfSave)?.queueId} was not stored (the worker stopped with code ${code})`);
      }
      failuresInARow += 1;
      if (failuresInARow < 3) {
        worker = spawn();
        return;
      }
      running = false;
      inFlight.releaseAll();
      log('capture: the worker keeps failing; messages are still accepted but no longer stored');
    });
    return next;
  }

  function post(): void {
    const saves = outgoing;
    outgoing = [];
    if (saves.length > 0) worker.postMessage({ kind: 'save', saves } satisfies CaptureRequest);
  }

  return {
    save(namespace, message) {
      if (!running) return;
      seq += 1;
      pending.set(seq, { queueId: message.queueId, bytes: message.raw.length });
      inFlight.add(message.raw.length);
      if (outgoing.length === 0) setImmediate(post);
      outgoing.push({ seq, namespace, message });
    },
    room: () => inFlight.room(),
    onParsed(next) {
      listener = next;
    },
    close() {
      closing = true;
      if (!running) return Promise.resolve();
      return new Promise((resolve) => {
        worker.once('exit', () => {
          inFlight.releaseAll();
          resolve();
        });
        post();
        worker.postMessage({ kind: 'close' } satisfies CaptureRequest);
      });
    },
  };
}
