/**
 * The main thread's side of the mail-auth worker (mail-auth-worker.ts): one worker thread (on
 * this 2-core machine one is best: the event loop keeps the other core), jobs answered in
 * promises. Bounded: past `maxPending` jobs waiting, a job is refused at once with a clear
 * error, which the caller turns into a retry (the relay defers the row; the MX answers 451).
 * A job that throws in the worker fails alone; a worker that dies fails the jobs it held and is
 * started again, but not forever (as the capture writer, capture-writer.ts): after
 * `maxDeathsInARow` deaths without an answer in between, every job fails at once with the reason
 * (the relay defers, the MX answers 451) and one more start is tried after a pause, which
 * doubles while the worker keeps dying, up to MAX_RESTART_PAUSE_MS: a worker that can never
 * start (a broken install) costs a log line per pause, not a busy loop. close() waits for
 * nothing: jobs still waiting fail with the reason.
 */
import { Worker } from 'node:worker_threads';
import type { DkimKeys } from '../dkim-keys.ts';
import type { MailAuthAnswer, MailAuthBatch, MailAuthJob, MailAuthWorkerData } from './mail-auth-protocol.ts';
import type { SignOutcome } from './sign-outbound.ts';
import type { VerifyWithZone, ZoneVerification } from './verify-with-zone.ts';

/** Jobs in the worker at once, at most: well above what the relay and the MX hosts keep in flight. */
export const MAX_PENDING_JOBS = 256;

/** Deaths in a row, without an answer in between, after which the worker is not started at once again. */
export const MAX_DEATHS_IN_A_ROW = 3;
/** The first pause before a worker that kept dying is started again, and the longest. */
export const RESTART_PAUSE_MS = 5_000;
export const MAX_RESTART_PAUSE_MS = 300_000;

const WORKER_URL = new URL('./mail-auth-worker.ts', import.meta.url).href;

/**
 * As the capture worker does (capture-writer.ts): Node 20 workers ignore `--import`, so the
 * worker registers tsx itself, then imports the `preload` modules in order, then its own code.
 */
function workerBootstrap(preload: readonly string[]): string {
  const modules = [...preload, WORKER_URL].map((url) => `.then(() => import(${JSON.stringify(url)}))`).join('');
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.register())${modules};`;
}

export interface MailAuthPoolOptions {
  readonly keys: DkimKeys;
  readonly maxPending?: number;
  /** Where the worker's failures and restarts are reported (one line each). */
  readonly log: (line: string) => void;
  /**
   * Module URLs the worker imports before its own code (the tests install their no-network
   * guard in the worker this way: tests/server/world/no-network-guard.ts).
   */
  readonly preload?: readonly string[];
  /** The restart bounds; the defaults above (tests shorten the pause). */
  readonly maxDeathsInARow?: number;
  readonly restartPauseMs?: number;
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
  const maxDeaths = options.maxDeathsInARow ?? MAX_DEATHS_IN_A_ROW;
  const firstPauseMs = options.restartPauseMs ?? RESTART_PAUSE_MS;
  const workerData: MailAuthWorkerData = { keys: options.keys };
  const bootstrap = workerBootstrap(options.preload ?? []);
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  /**
   * Jobs of this turn of the event loop, posted together: each postMessage takes the port's lock,
   * and on a busy 2-core machine the worker holding it can be descheduled for milliseconds.
   */
  let outgoing: MailAuthJob[] = [];
  let closed = false;
  let deathsInARow = 0;
  let pauseMs = firstPauseMs;
  /** While the worker is not restarted (it kept dying): why jobs fail at once, and the timer of the next start. */
  let paused: { readonly reason: string; readonly timer: NodeJS.Timeout } | null = null;
  let worker: Worker | null = spawn();

  function spawn(): Worker {
    const next = new Worker(bootstrap, { eval: true, workerData });
    next.on('message', (answer: MailAuthAnswer) => {
      const job = waiting.get(answer.id);
      if (job === undefined) return;
      // An answer (even a job's own error) means the worker runs: its earlier deaths are forgiven.
      deathsInARow = 0;
      pauseMs = firstPauseMs;
      waiting.delete(answer.id);
      if (answer.kind === 'error') job.reject(new Error(`mail authentication failed: ${answer.error}`));
      else job.resolve(answer);
    });
    next.on('error', (error) => options.log(`mail-auth worker failed: ${error.message}`));
    next.on('exit', (code) => {
      worker = null;
      failAll(`the mail-auth worker stopped (code ${code})`);
      if (closed) return;
      deathsInARow += 1;
      if (deathsInARow < maxDeaths) {
        worker = spawn();
        return;
      }
      const reason = `the mail-auth worker stopped ${deathsInARow} times in a row (last code ${code}); it is started again in ${pauseMs / 1000} s`;
      options.log(`mail-auth: ${reason}; until then each message's check fails and is retried (relay: deferred; MX: 451)`);
      const timer = setTimeout(() => {
        paused = null;
        worker = spawn();
      }, pauseMs);
      timer.unref();
      paused = { reason, timer };
      pauseMs = Math.min(pauseMs * 2, MAX_RESTART_PAUSE_MS);
    });
    return next;
  }

  function failAll(reason: string): void {
    for (const job of waiting.values()) job.reject(new MailAuthUnavailable(`mail authentication did not run: ${reason}`));
    waiting.clear();
  }

  function run(job: MailAuthJob): Promise<Answered> {
    if (closed) return Promise.reject(new MailAuthUnavailable('mail authentication did not run: the server is shutting down'));
    if (paused !== null) return Promise.reject(new MailAuthUnavailable(`mail authentication did not run: ${paused.reason}`));
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
    if (live.length > 0 && worker !== null) worker.postMessage({ jobs: live } satisfies MailAuthBatch);
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
      if (paused !== null) clearTimeout(paused.timer);
      failAll('the server is shutting down');
      await worker?.terminate();
    },
  };
}
