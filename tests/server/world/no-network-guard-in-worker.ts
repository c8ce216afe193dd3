/**
 * Preloaded into a worker thread (NO_NETWORK_GUARD_IN_WORKER): the no-network guard for that
 * thread. A forbidden call is reported to the test's thread (installNoNetworkGuard's `calls()`)
 * and then, on the next turn, thrown where nothing catches it: the worker dies with the call in
 * its error, so the job that made it fails even if the caller (mailauth turns DNS errors into
 * temperror) would have swallowed the throw.
 */
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { guardThisThread, WORKER_CALLS_CHANNEL } from './no-network-guard.ts';

if (isMainThread) throw new Error('no-network-guard-in-worker.ts is preloaded into worker threads only');
const toTests = new BroadcastChannel(WORKER_CALLS_CHANNEL);
toTests.unref();
guardThisThread((call) => {
  toTests.postMessage(call);
  setImmediate(() => {
    throw new Error(`${call}: the lab never uses real DNS or UDP (in a worker thread)`);
  });
});
