/**
 * The main thread's side of the mail-auth worker (mail-auth-worker.ts): one worker thread (on
 * this 2-core machine one is best: the event loop keeps the other core), jobs answered in
 * promises. Bounded: past `maxPending` jobs waiting, a job is refused at once with a clear
 * error, which the caller turns into a retry (the relay defers the row; the MX answers 451).
 * A job that throws in the worker fails alone; a worker that dies fails the jobs it held and is
 * started again. close() waits for nothing: jobs still waiting fail with the reason.
 */
import { Worker } from 'node:worker_threads';
import type { DkimKeys } from '../dkim-keys.ts';
import type { MailAuthAnswer, MailAuthBatch, MailAuthJob, MailAuthWorkerData } from './mail-auth-protocol.ts';
import type { SignOutcome } from './sign-outbound.ts';
import type { VerifyWithZone, ZoneVerification } from './verify-with-zone.ts';

/** Jobs in the worker at once, at most: well above what the relay and the MX hosts keep in flight. */
export const MAX_PENDING_JOBS = 256;

const WORKER_URL = new URL('./mail-auth-worker.ts', import.meta.url).href;
/** As the capture worker does (capture-writer.ts): Node 20 workers ignore `--import`, so the worker registers tsx itself. */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

export interface MailAuthPoolOptions {
  readonly keys: DkimKeys;
  readonly maxPending?: number;
  readonly log: (line: string) => void;
}

export interface MailAuthPool {
  /** DKIM-signs `raw` as `domain` in the worker (signOutbound's outcome). */
  sign(raw: Buffer, domain: string): Promise<SignOutcome>;
  /** A receiving MX's check in the worker (verifyWithZone's answer). */
  readonly verify: VerifyWithZone;
  /** Stops the worker; jobs still waiting fail. */
  close(): Promise<void>;
}

/** Why a job failed without an answer: the worker is busy, died, or was stopped. */
export class MailAuthUnavailable extends Error {}

type Answered = Exclude<MailAuthAnswer, { kind: 'error' }>;

interface Waiting {
  readonly resolve: (answer: Answered) => void;
  readonly reject: (error: Error) => void;
}

export function startMailAuthPool(options: MailAuthPoolOptions): MailAuthPool {
  const maxPending = options.maxPending ?? MAX_PENDING_JOBS;
  const workerData: MailAuthWorkerData = { keys: options.keys };
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  /**
   * Jobs of this turn of the event loop, posted together: each postMessage takes the port's lock,
   * and on a busy 2-core machine the worker holding it can be descheduled for milliseconds.
   */
  let outgoing: MailAuthJob[] = [];
  let closed = false;
  let worker = spawn();

  function spawn(): Worker {
    const next = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData });
    next.on('message', (answer: MailAuthAnswer) => {
      const job = waiting.get(answer.id);
      if (job === undefined) return;
      waiting.delete(answer.id);
      if (answer.kind === 'error') job.reject(new Error(`mail authentication failed: ${answer.error}`));
      else job.resolve(answer);
    });
    next.on('error', (error) => options.log(`mail-auth worker failed: ${error.message}`));
    next.on('exit', (code) => {
      failAll(`the mail-auth worker stopped (code ${code})`);
      if (!closed) worker = spawn();
    });
    return next;
  }

  function failAll(reason: string): void {
    for (const job of waiting.values()) job.reject(new MailAuthUnavailable(`mail authentication did not run: ${reason}`));
    waiting.clear();
  }

  function run(job: MailAuthJob): Promise<Answered> {
    if (closed) return Promise.reject(new MailAuthUnavailable('mail authentication did not run: the server is shutting down'));
    if (waiting.size >= maxPending) {
      return Promise.reject(new MailAuthUnavailable(`mail authentication did not run: ${waiting.size} messages are waiting for it already`));
    }
    return new Promise((resolve, reject) => {
      waiting.set(job.id, { resolve, reject });
      if (outgoing.length === 0) setImmediate(post);
      outgoing.push(job);
    });
  }

  function post(): void {
    const jobs = outgoing;
    outgoing = [];
    // A job of a worker that died meanwhile has failed already (failAll); it is not sent.
    const live = jobs.filter((job) => waiting.has(job.id));
    if (live.length > 0 && !closed) worker.postMessage({ jobs: live } satisfies MailAuthBatch);
  }

  return {
    async sign(raw, domain) {
      const answer = await run({ id: (nextId += 1), kind: 'sign', raw, domain });
      if (answer.kind !== 'sign') throw new Error(`mail-auth worker answered a sign job with ${answer.kind}`);
      // Buffers cross threads as plain Uint8Arrays.
      return { ...answer.outcome, raw: Buffer.from(answer.outcome.raw.buffer, answer.outcome.raw.byteOffset, answer.outcome.raw.byteLength) };
    },
    async verify(raw, request): Promise<ZoneVerification> {
      const answer = await run({ id: (nextId += 1), kind: 'verify', raw, request });
      if (answer.kind !== 'verify') throw new Error(`mail-auth worker answered a verify job with ${answer.kind}`);
      return answer.verification;
    },
    async close() {
      if (closed) return;
      closed = true;
      failAll('the server is shutting down');
      await worker.terminate();
    },
  };
}
