import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter } from '../../../server/classroom/rate-limiter.ts';

describe('KeyedRateLimiter', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter(10 / 60, 10, () => now);
    for (let i = 0; i < 10; i++) expect(limiter.take('10.0.0.1')).toEqual({ ok: true });
    expect(limiter.take('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 6 });
    // Another address has its own bucket.
    expect(limiter.take('10.0.0.2')).toEqual({ ok: true });
    now = 6000;
    expect(limiter.take('10.0.0.1')).toEqual({ ok: true });
    expect(limiter.take('10.0.0.1').ok).toBe(false);
  });

  it('forgets keys whose buckets have refilled', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter(1, 2, () => now);
    limiter.take('a');
    limiter.take('b');
    expect(limiter.size).toBe(2);
    now = 10_000;
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });
});
