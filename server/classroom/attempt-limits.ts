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
 *
 * The buckets live in the database (shared-rate-limiter.ts), so a guesser whose requests the
 * load balancer spreads over several processes meets one budget, not one per process.
 */
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
import { SharedRateLimiter } from './shared-rate-limiter.ts';

export const WRONG_CODES_PER_MINUTE = 10;
export const JOINS_PER_MINUTE = 120;
export const JOIN_BURST = 120;
export const INSTRUCTOR_ATTEMPTS_PER_MINUTE = 10;

export interface AttemptLimits {
  readonly wrongCodes: SharedRateLimiter;
  readonly joins: SharedRateLimiter;
  readonly instructor: SharedRateLimiter;
}

/** The buckets kept in `db`; `now` is the wall clock in ms (tests pass their own). */
export function createAttemptLimits(db: SqlDatabase, now?: () => number): AttemptLimits {
  return {
    wrongCodes: new SharedRateLimiter(db, 'wrongCodes', WRONG_CODES_PER_MINUTE / 60, WRONG_CODES_PER_MINUTE, now),
    joins: new SharedRateLimiter(db, 'joins', JOINS_PER_MINUTE / 60, JOIN_BURST, now),
    instructor: new SharedRateLimiter(db, 'instructor', INSTRUCTOR_ATTEMPTS_PER_MINUTE / 60, INSTRUCTOR_ATTEMPTS_PER_MINUTE, now),
  };
}
