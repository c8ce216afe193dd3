/**
 * How many connections each sender opened in the last lab minute, for a host's rate limit
 * (as Postfix's anvil counts smtpd_client_connection_rate_limit). A sliding window in lab
 * time. Bounded: per sender at most `limit` times are kept (no more are needed to decide),
 * and at most MAX_SENDERS senders, the least recently seen forgotten first.
 */

/** One lab minute, in lab ms. */
export const RATE_WINDOW_MS = 60_000;
/** Senders remembered at once per host. */
const MAX_SENDERS = 10_000;

export class ConnectionRate {
  /** Sender → the lab times of its admitted connections, oldest first; Map order is recency. */
  readonly #seen = new Map<string, number[]>();
  readonly #maxSenders: number;

  constructor(maxSenders = MAX_SENDERS) {
    this.#maxSenders = maxSenders;
  }

  /** How many senders are remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /** True (and counted) when `sender` opened fewer than `limit` connections in the window before `now`. */
  admit(sender: string, limit: number, now: number): boolean {
    const times = (this.#seen.get(sender) ?? []).filter((at) => now - at < RATE_WINDOW_MS);
    this.#seen.delete(sender);
    const admitted = times.length < limit;
    if (admitted) times.push(now);
    // Refused connections are not counted: a sender that waits a lab minute gets in again.
    this.#seen.set(sender, times.slice(-limit));
    for (const oldest of this.#seen.keys()) {
      if (this.#seen.size <= this.#maxSenders) break;
      this.#seen.delete(oldest);
    }
    return admitted;
  }
}
