/**
 * Preloaded into a worker thread (NO_NETWORK_GUARD_IN_WORKER): the no-network guard for that
 * thread. A forbidden call is reported to the test's thread (installNoNetworkGuard's `calls()`)
 * and ends the worker at once with NO_NETWORK_EXIT_CODE, so the job that made it fails even
 * where the caller would swallow a throw (mailauth turns a DNS error into temperror and answers).
 */
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { guardThisThread, NO_NETWORK_EXIT_CODE, WORKER_CALLS_CHANNEL } from './no-network-guard.ts';

if (isMainThread) throw new Error('no-network-guard-in-worker.ts is preloaded into worker threads only');
const toTests = new BroadcastChannel(WORKER_CALLS_CHANNEL);
toTests.unref();
guardThisThread((call) => {
  // Queued on the test thread's side before this thread ends.
  toTests.postMessage(call);
  console.error(`${call}: the lab never uses real DNS or UDP (in a worker thread, which now exits)`);
  process.exit(NO_NETWORK_EXIT_CODE);
});
