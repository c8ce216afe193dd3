/** The attempt budgets kept in the database: the same decisions as in memory, shared by processes, pruned when full. */
import { describe, expect, it } from 'vitest';
import { createAttemptLimits, JOIN_BURST, WRONG_CODES_PER_MINUTE } from '../../../server/classroom/attempt-limits.ts';
import { SharedRateLimiter } from '../../../server/classroom/shared-rate-limiter.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

describeEachEngine('the attempt buckets', (current) => {
  it('refill at their own rates: wrong codes 10 a minute, joins in bursts, the instructor apart', async () => {
    let now = 1_700_000_000_000;
    const limits = createAttemptLimits(current.db, () => now);
    for (let i = 0; i < JOIN_BURST; i++) expect((await limits.joins.take('nat')).ok).toBe(true);
    expect(await limits.joins.take('nat')).toEqual({ ok: false, retryAfterSeconds: 1 });
    for (let i = 0; i < WRONG_CODES_PER_MINUTE; i++) expect((await limits.wrongCodes.take('nat')).ok).toBe(true);
    expect(await limits.wrongCodes.take('nat')).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect((await limits.instructor.take('nat')).ok).toBe(true);
    expect((await limits.wrongCodes.take('other address')).ok).toBe(true);
    now += 6000;
    expect((await limits.wrongCodes.take('nat')).ok).toBe(true);
    expect((await limits.wrongCodes.take('nat')).ok).toBe(false);
  });

  it('forgets buckets that have filled up again', async () => {
    let now = 1_700_000_000_000;
    const limiter = new SharedRateLimiter(current.db, 'test', 1, 2, () => now);
    await limiter.take('a');
    await limiter.take('b');
    expect(await limiter.size()).toBe(2);
    now += 1000;
    await limiter.take('b');
    // Two seconds refill the bucket: a's row (untouched since) goes, b's (touched a second later) stays.
    now += 1000;
    await limiter.take('c');
    expect(await limiter.size()).toBe(2);
    expect(await current.db.all('SELECT key FROM attempt_buckets ORDER BY key')).toEqual([{ key: 'b' }, { key: 'c' }]);
  });

  it('counts attempts made at the same moment once each', async () => {
    const limiter = new SharedRateLimiter(current.db, 'test', 1 / 60, 5, () => 1_700_000_000_000);
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.take('nat')));
    expect(decisions.filter((decision) => decision.ok)).toHaveLength(5);
  });
});

describe.skipIf(postgresAdminUrl() === null)('two processes on one PostgreSQL database', () => {
  it('share one budget per address: a guesser spread over both meets the limit once', async () => {
    const fresh = await freshDatabase('postgres');
    const second = await openPostgres(fresh.url!);
    try {
      const now = () => 1_700_000_000_000;
      const processes = [createAttemptLimits(fresh.db, now), createAttemptLimits(second, now)];
      const decisions = await Promise.all(Array.from({ length: WRONG_CODES_PER_MINUTE + 4 }, (_, i) => processes[i % 2]!.wrongCodes.take('10.0.0.7')));
      expect(decisions.filter((decision) => decision.ok)).toHaveLength(WRONG_CODES_PER_MINUTE);
      expect(await processes[0]!.wrongCodes.take('10.0.0.7')).toMatchObject({ ok: false });
      expect(await processes[1]!.wrongCodes.take('10.0.0.7')).toMatchObject({ ok: false });
    } finally {
      await second.close();
      await fresh.drop();
    }
  });
});
