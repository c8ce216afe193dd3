/**
 * The main-thread side of message capture: hands each message the sandbox accepted to the
 * capture worker (parse + store off the event loop) and reports the stored summary back, so
 * the bridge can push it to the browser. Storage failures are logged, never thrown: the SMTP
 * client already has its 250.
 */
import { Worker } from 'node:worker_threads';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type { MessageSummary } from '../storage/message-types.ts';
import type { CaptureRequest, CaptureResult, CaptureWorkerData } from './capture-protocol.ts';

export interface CaptureWriter {
  /** The sandbox's onMessage: queue the message for storage in `namespace`. */
  save(namespace: string, message: CapturedMessage): void;
  /** Called once per stored message, in acceptance order. */
  onStored(listener: (namespace: string, summary: MessageSummary, evicted: number) => void): void;
  /** Stores what is queued, then closes the worker's database connection. */
  close(): Promise<void>;
}

const WORKER_URL = new URL('./capture-worker.ts', import.meta.url).href;

/**
 * The worker is TypeScript like the rest: it registers tsx itself (resolved from here), the
 * way bin/smtp-lab.js does, since Node 20 workers ignore `--import` in execArgv.
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** Starts the capture worker on `databaseFile` (already created and migrated by the caller). */
export function startCaptureWriter(data: CaptureWorkerData, log: (line: string) => void): CaptureWriter {
  const pending = new Map<number, { namespace: string; queueId: string }>();
  let seq = 0;
  let listener: Parameters<CaptureWriter['onStored']>[0] = () => undefined;
  let closing = false;
  // A worker that keeps dying before storing anything (a broken install) is not restarted forever.
  let failuresInARow = 0;
  let worker = spawn();

  function spawn(): Worker {
    const next = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: data });
    next.on('message', (result: CaptureResult) => {
      const request = pending.get(result.seq);
      pending.delete(result.seq);
      if (!request) return;
      failuresInARow = 0;
      if (!result.ok) return log(`capture: could not store message ${request.queueId}: ${result.error}`);
      try {
        listener(request.namespace, result.summary, result.evicted);
      } catch (error) {
        log(`capture: after storing ${request.queueId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    next.on('error', (error) => log(`capture worker failed: ${error.message}`));
    next.on('exit', (code) => {
      if (closing) return;
      // Whatever it held is lost; say which messages, and carry on with a fresh worker.
      for (const { queueId } of pending.values()) log(`capture: message ${queueId} was not stored (the worker stopped with code ${code})`);
      pending.clear();
      failuresInARow += 1;
      if (failuresInARow < 3) worker = spawn();
      else log('capture: the worker keeps failing; messages are still accepted but no longer stored');
    });
    return next;
  }

  return {
    save(namespace, message) {
      seq += 1;
      pending.set(seq, { namespace, queueId: message.queueId });
      worker.postMessage({ kind: 'save', seq, namespace, message } satisfies CaptureRequest);
    },
    onStored(next) {
      listener = next;
    },
    close() {
      closing = true;
      return new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage({ kind: 'close' } satisfies CaptureRequest);
      });
    },
  };
}
