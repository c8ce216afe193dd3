/**
 * Token buckets per key (a client address, a student): `ratePerSecond` tokens flow in, up to
 * `burst`. A refusal says how long until the next token, for `Retry-After`. Full buckets are
 * forgotten, so the map only holds keys that were busy recently.
 */

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class KeyedRateLimiter {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep: number;

  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#ratePerMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#now = now;
    this.#lastSweep = now();
  }

  /** Takes a token for `key`, or says how many whole seconds to wait for one. */
  take(key: string): RateDecision {
    const now = this.#now();
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedAt) * this.#ratePerMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#ratePerMs / 1000)) };
  }

  /** Keys tracked right now (for tests and stats). */
  get size(): number {
    return this.#buckets.size;
  }

  /** At most once per refill period, drops buckets that have refilled completely. */
  #sweep(now: number): void {
    const refillMs = this.#burst / this.#ratePerMs;
    if (now - this.#lastSweep < refillMs) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#ratePerMs >= this.#burst) this.#buckets.delete(key);
    }
  }
}
