/**
 * Proof that a world test never leaves the lab: while installed, every `node:dns` entry point
 * and `dgram.createSocket` record their call and throw, so a stray real-DNS lookup or UDP socket
 * fails loudly and `calls()` names it. Use in a test file:
 *   const guard = installNoNetworkGuard(); afterAll(() => { guard.restore(); });
 *   ... expect(guard.calls()).toEqual([]);
 * The functions are replaced on the modules' shared objects, which is what mailauth (CommonJS)
 * reads at call time (`dns.promises.resolve`).
 *
 * mailauth runs in the mail-auth worker thread, which has its own modules: start the pool (or
 * the app) with `preload: [NO_NETWORK_GUARD_IN_WORKER]` and the same guard is installed there
 * (no-network-guard-in-worker.ts). A call in the worker is reported to `calls()` here, marked
 * `worker:`, and also ends the worker (exit code NO_NETWORK_EXIT_CODE), so the job it was in fails.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { BroadcastChannel } from 'node:worker_threads';

const DNS_FUNCTIONS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'resolvePtr', 'resolveNaptr', 'resolveSoa', 'reverse'] as const;

/** The module a worker preloads to be guarded (MailAuthPoolOptions.preload, StartAppOptions.mailAuthPreload). */
export const NO_NETWORK_GUARD_IN_WORKER = new URL('./no-network-guard-in-worker.ts', import.meta.url).href;

/** A guarded worker that made a forbidden call exits with this code. */
export const NO_NETWORK_EXIT_CODE = 86;

/** Where guarded workers report their forbidden calls (a BroadcastChannel reaches every thread of the process). */
export const WORKER_CALLS_CHANNEL = 'smtp-lab-tests-no-network-guard';

export interface NoNetworkGuard {
  /** Every forbidden call made since install, as `dns.resolveTxt(example.com)` (`worker: …` from a guarded worker). */
  calls(): readonly string[];
  restore(): void;
}

type Replaceable = Record<string, unknown>;

/** Replaces the forbidden functions in this thread: each reports its call, then throws. Returns the undo. */
export function guardThisThread(onCall: (call: string) => void): () => void {
  const originals: { target: Replaceable; name: string; value: unknown }[] = [];
  const replace = (target: Replaceable, label: string, name: string) => {
    originals.push({ target, name, value: target[name] });
    target[name] = (...args: unknown[]) => {
      const call = `${label}.${name}(${args.filter((arg) => typeof arg === 'string').join(', ')})`;
      onCall(call);
      throw new Error(`${call}: the lab never uses real DNS or UDP`);
    };
  };
  for (const name of DNS_FUNCTIONS) {
    replace(dns as unknown as Replaceable, 'dns', name);
    replace(dns.promises as unknown as Replaceable, 'dns.promises', name);
  }
  replace(dgram as unknown as Replaceable, 'dgram', 'createSocket');
  return () => {
    for (const { target, name, value } of originals.reverse()) target[name] = value;
  };
}

export function installNoNetworkGuard(): NoNetworkGuard {
  const recorded: string[] = [];
  const undo = guardThisThread((call) => recorded.push(call));
  const fromWorkers = new BroadcastChannel(WORKER_CALLS_CHANNEL);
  fromWorkers.onmessage = (event) => {
    recorded.push(`worker: ${String((event as { data: unknown }).data)}`);
  };
  // Listening must not keep the test process alive.
  fromWorkers.unref();
  return {
    calls: () => [...recorded],
    restore: () => {
      fromWorkers.close();
      undo();
    },
  };
}
