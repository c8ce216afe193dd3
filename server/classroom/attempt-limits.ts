/**
 * The budgets of the public classroom routes, each its own token bucket per client address.
 * A class often shares one NAT address, so one bucket for everything would let ten wrong codes
 * lock the whole room out, the instructor included. Separate buckets keep each purpose apart:
 *
 * - wrong join codes: 10 a minute; past that a wrong code gets 429 instead of 403.
 * - joins (right or wrong code): 120 a minute in bursts of 120, so a class of 60 behind one
 *   address joins at once, typos and all. It also caps a guesser who ignores the 429s (a right
 *   code still works then, so the class is not locked out): at 120 tries a minute the 887
 *   million join codes take years, and the instructor can change the code at any time.
 * - instructor setup and sign-in: 10 a minute, counted apart from the students' joins.
 */
import { KeyedRateLimiter } from './rate-limiter.ts';

export const WRONG_CODES_PER_MINUTE = 10;
export const JOINS_PER_MINUTE = 120;
export const JOIN_BURST = 120;
export const INSTRUCTOR_ATTEMPTS_PER_MINUTE = 10;

export interface AttemptLimits {
  readonly wrongCodes: KeyedRateLimiter;
  readonly joins: KeyedRateLimiter;
  readonly instructor: KeyedRateLimiter;
}

/** Fresh buckets; `now` is the clock (tests pass their own). */
export function createAttemptLimits(now?: () => number): AttemptLimits {
  return {
    wrongCodes: new KeyedRateLimiter(WRONG_CODES_PER_MINUTE / 60, WRONG_CODES_PER_MINUTE, now),
    joins: new KeyedRateLimiter(JOINS_PER_MINUTE / 60, JOIN_BURST, now),
    instructor: new KeyedRateLimiter(INSTRUCTOR_ATTEMPTS_PER_MINUTE / 60, INSTRUCTOR_ATTEMPTS_PER_MINUTE, now),
  };
}
