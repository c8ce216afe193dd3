/**
 * When the queue tries a deferred message again, in lab time. RFC 5321 §4.5.4.1 asks for
 * retries at least 30 minutes apart and a give-up after at least 4–5 days; the lab follows
 * Postfix, the MTA learners meet most (and the one on this machine): first retry after
 * 5 minutes (minimal_backoff_time 300s, long enough for a greylisting server to accept),
 * doubling up to 4000 s (maximal_backoff_time), give up after 5 days
 * (maximal_queue_lifetime). At the default speed that is 5 real seconds, ~67 s, and 2 hours.
 */
const MINUTE = 60_000;
export const FIRST_RETRY_MS = 5 * MINUTE;
const MAX_RETRY_MS = 4000 * 1000;
export const DEFAULT_QUEUE_LIFETIME_MS = 5 * 24 * 60 * MINUTE;

/** The wait after the `attempts`-th failed attempt (1 for the first). */
export function retryDelay(attempts: number): number {
  const doublings = Math.max(0, Math.min(attempts - 1, 20));
  return Math.min(FIRST_RETRY_MS * 2 ** doublings, MAX_RETRY_MS);
}
