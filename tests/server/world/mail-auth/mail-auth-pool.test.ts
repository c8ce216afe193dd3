/**
 * The mail-auth worker (a real worker thread running the real mailauth): its verdicts are the
 * ones the same check gives in this thread, its signatures verify with the lab's key, a job
 * that throws fails alone, the queue is bounded, and close() fails what waits.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { startMailAuthPool, MailAuthUnavailable, type MailAuthPool } from '../../../../server/world/mail-auth/mail-auth-pool.ts';
import { signOutbound } from '../../../../server/world/mail-auth/sign-outbound.ts';
import { verifyWithZone, type ZoneVerifyRequest } from '../../../../server/world/mail-auth/verify-with-zone.ts';
import { installNoNetworkGuard, NO_NETWORK_GUARD_IN_WORKER } from '../no-network-guard.ts';
import { keysPerFile, message, txt, worldUnreachable, worldZone } from './auth-fixtures.ts';

const guard = installNoNetworkGuard();
afterAll(() => guard.restore());
const signing = keysPerFile();
let pool: MailAuthPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

const start = (maxPending?: number) =>
  (pool = startMailAuthPool({ keys: signing.keys, log: () => undefined, preload: [NO_NETWORK_GUARD_IN_WORKER], ...(maxPending === undefined ? {} : { maxPending }) }));

const SANDBOX = { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net' };
const request = (zone: readonly DnsRecord[], connection = SANDBOX): ZoneVerifyRequest => ({ connection, zone, unreachable: worldUnreachable() });

async function signedHere(from = 'Alice <alice@example.com>'): Promise<Buffer> {
  const outcome = await signOutbound(message(from), 'example.com', signing.keys);
  if (!outcome.signed) throw new Error(outcome.reason);
  return outcome.raw;
}

describe('mail-auth worker', () => {
  it('gives the same verdicts and DNS lookups as the check in this thread', async () => {
    const worker = start();
    const signed = await signedHere();
    const bodyChanged = Buffer.from(signed.toString().replace('Shall we meet', 'Shall we not meet'));
    const cases: [string, Buffer, ZoneVerifyRequest][] = [
      ['all pass', signed, request(worldZone(signing.keys))],
      ['SPF fail from a stranger, DMARC still passes on DKIM', signed, request(worldZone(signing.keys), { ...SANDBOX, ip: '198.51.100.99', helo: 'stranger.example' })],
      ['DKIM body hash broken', bodyChanged, request(worldZone(signing.keys))],
      ['SPF softfail, p=none', signed, request(worldZone(signing.keys, { drop: ['example.com TXT', '_dmarc.example.com TXT'], add: [txt('example.com', 'v=spf1 ~all'), txt('_dmarc.example.com', 'v=DMARC1; p=none')] }))],
      ['SPF temperror (DNS does not answer)', Buffer.from(message('eve@spf-timeout.example')), request(worldZone(signing.keys), { ...SANDBOX, sender: 'eve@spf-timeout.example' })],
    ];
    for (const [label, raw, job] of cases) {
      const here = await verifyWithZone(raw, job);
      const there = await worker.verify(raw, job);
      expect(there, label).toEqual(here);
    }
    // The cases above are not all alike, so equality means something.
    const results = await Promise.all(cases.map(([, raw, job]) => worker.verify(raw, job)));
    expect(new Set(results.map(({ authentication: a }) => `${a.spf.result} ${a.dkim.result} ${a.dmarc.result}`)).size).toBeGreaterThanOrEqual(4);
    expect(results[0]?.lookups.length).toBeGreaterThan(0);
  });

  it('signs with the lab key (rsa-sha256, d=example.com), and the signature verifies here; a domain without a key stays unsigned', async () => {
    const worker = start();
    const outcome = await worker.sign(Buffer.from(message('Alice <alice@example.com>')), 'example.com');
    if (!outcome.signed) throw new Error(outcome.reason);
    expect(Buffer.isBuffer(outcome.raw)).toBe(true);
    expect(outcome.signatureHeader).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example.com;/);
    // Twice: the second signature uses the key parsed for the first (key-parse-cache.ts).
    const again = await worker.sign(Buffer.from(message('Alice <alice@example.com>', { subject: 'Second' })), 'example.com');
    for (const raw of [outcome.raw, again.raw]) {
      const { authentication } = await verifyWithZone(raw, request(worldZone(signing.keys)));
      expect(authentication.dkim.signatures.map((signature) => `${signature.domain} ${signature.rfcResult}`)).toEqual(['example.com pass']);
      expect(authentication.dmarc.result).toBe('pass');
    }
    const unsigned = await worker.sign(Buffer.from(message('eve@p-none.example')), 'p-none.example');
    expect(unsigned).toMatchObject({ signed: false, reason: 'p-none.example has no DKIM key in the lab, so its mail leaves unsigned.' });
  });

  it('fails only the job that throws, with the reason, and goes on with the next', async () => {
    const worker = start();
    const broken = { connection: SANDBOX, zone: null } as unknown as ZoneVerifyRequest;
    await expect(worker.verify(await signedHere(), broken)).rejects.toThrow(/^mail authentication failed: .*not iterable/);
    const { authentication } = await worker.verify(await signedHere(), request(worldZone(signing.keys)));
    expect(authentication.dmarc.result).toBe('pass');
  });

  it('refuses a job at once past its bound of waiting jobs, and the ones taken still finish', async () => {
    const worker = start(1);
    const raw = Buffer.from(message('Alice <alice@example.com>'));
    const first = worker.sign(raw, 'example.com');
    const second = worker.sign(raw, 'example.com');
    await expect(second).rejects.toThrow(new MailAuthUnavailable('mail authentication did not run: 1 messages are waiting for it already'));
    expect((await first).signed).toBe(true);
    expect((await worker.sign(raw, 'example.com')).signed).toBe(true);
  });

  it('fails the jobs still waiting when closed, and every job after', async () => {
    const worker = start();
    const waiting = worker.sign(Buffer.from(message('Alice <alice@example.com>')), 'example.com');
    const failed = expect(waiting).rejects.toThrow('mail authentication did not run: the server is shutting down');
    await worker.close();
    await failed;
    await expect(worker.verify(await signedHere(), request(worldZone(signing.keys)))).rejects.toThrow(MailAuthUnavailable);
  });

  it('asked nothing of real DNS and opened no UDP socket, in this thread or the worker', () => {
    expect(guard.calls()).toEqual([]);
  });
});
