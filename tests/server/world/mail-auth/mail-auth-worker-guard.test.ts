/**
 * The no-network guard reaches the mail-auth worker thread, where mailauth runs: a worker made
 * to verify without the lab resolver (mailauth-without-lab-resolver.ts) asks real DNS, and the
 * guard makes that job fail and names the call to the test. The same check
 * with the lab resolver stays silent, so the failure is the guard's doing.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startMailAuthPool, MailAuthUnavailable, type MailAuthPool } from '../../../../server/world/mail-auth/mail-auth-pool.ts';
import { installNoNetworkGuard, NO_NETWORK_EXIT_CODE, NO_NETWORK_GUARD_IN_WORKER } from '../no-network-guard.ts';
import { keysPerFile, message, worldZone } from './auth-fixtures.ts';

const WITHOUT_LAB_RESOLVER = new URL('./mailauth-without-lab-resolver.ts', import.meta.url).href;
const guard = installNoNetworkGuard();
afterAll(() => guard.restore());
const signing = keysPerFile();
let pool: MailAuthPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

const CONNECTION = { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net' };

async function check(preload: readonly string[]): Promise<{ outcome: Promise<unknown> }> {
  pool = startMailAuthPool({ keys: signing.keys, log: () => undefined, preload });
  const outcome = pool.verify(Buffer.from(message('Alice <alice@example.com>')), { connection: CONNECTION, zone: worldZone(signing.keys) });
  // Settled either way before the test looks.
  await outcome.catch(() => undefined);
  return { outcome };
}

describe('the no-network guard in the mail-auth worker', () => {
  it('lets the check with the lab resolver through: no call is recorded', async () => {
    const { outcome } = await check([NO_NETWORK_GUARD_IN_WORKER]);
    await expect(outcome).resolves.toMatchObject({ authentication: { spf: { result: 'pass' } } });
    expect(guard.calls()).toEqual([]);
  });

  it('fails the job of a worker that asks real DNS, and names the call here', async () => {
    const { outcome } = await check([NO_NETWORK_GUARD_IN_WORKER, WITHOUT_LAB_RESOLVER]);
    await expect(outcome).rejects.toThrow(MailAuthUnavailable);
    await expect(outcome).rejects.toThrow(`mail authentication did not run: the mail-auth worker stopped (code ${NO_NETWORK_EXIT_CODE})`);
    // The report crosses threads on its own channel: wait for it, bounded.
    for (let attempt = 0; attempt < 50 && guard.calls().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(guard.calls()).toContain('worker: dns.promises.resolve(example.com, TXT)');
  });
});
