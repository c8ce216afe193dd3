/**
 * A token bucket per key kept in the database, so that every process serving the class
 * counts the same attempts: `ratePerSecond` tokens flow in, up to `burst`, as in the
 * in-memory KeyedRateLimiter (rate-limiter.ts), whose decisions it repeats. Each take is one
 * transaction (the row locked on PostgreSQL); buckets that have filled up again are deleted,
 * at most once per refill period, so the table only holds keys that were busy recently.
 */
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
import type { RateDecision } from './rate-limiter.ts';

interface BucketRow {
  tokens: number;
  updated_at: number;
}

export class SharedRateLimiter {
  readonly #db: SqlDatabase;
  readonly #name: string;
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #select: string;
  #lastSweep: number;

  /** `name` tells this bucket's rows from the others'; `now` is a wall clock (ms), shared by the processes. */
  constructor(db: SqlDatabase, name: string, ratePerSecond: number, burst: number, now: () => number = Date.now) {
    this.#db = db;
    this.#name = name;
    this.#ratePerMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#now = now;
    this.#lastSweep = now();
    // SQLite's write transaction already excludes every other writer; PostgreSQL locks the row.
    this.#select = `SELECT tokens, updated_at FROM attempt_buckets WHERE bucket = ? AND key = ?${db.engine === 'postgres' ? ' FOR UPDATE' : ''}`;
  }

  /** Takes a token for `key`, or says how many whole seconds to wait for one. */
  async take(key: string): Promise<RateDecision> {
    const now = this.#now();
    await this.#sweep(now);
    return this.#db.transaction(async (tx) => {
      // A new key starts full; the insert makes the row exist, so that there is one to lock.
      await tx.run('INSERT INTO attempt_buckets (bucket, key, tokens, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (bucket, key) DO NOTHING', [
        this.#name,
        key,
        this.#burst,
        now,
      ]);
      const row = (await tx.get<BucketRow>(this.#select, [this.#name, key]))!;
      // A clock of another process a little behind ours must not drain the bucket.
      const refilled = Math.min(this.#burst, row.tokens + Math.max(0, now - row.updated_at) * this.#ratePerMs);
      const ok = refilled >= 1;
      await tx.run('UPDATE attempt_buckets SET tokens = ?, updated_at = ? WHERE bucket = ? AND key = ?', [
        ok ? refilled - 1 : refilled,
        Math.max(now, row.updated_at),
        this.#name,
        key,
      ]);
      if (ok) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / this.#ratePerMs / 1000)) };
    });
  }

  /** Keys tracked right now (for tests and stats). */
  async size(): Promise<number> {
    const row = await this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM attempt_buckets WHERE bucket = ?', [this.#name]);
    return row?.n ?? 0;
  }

  /** Deletes this bucket's rows untouched for a whole refill period: they are full again. */
  async #sweep(now: number): Promise<void> {
    const refillMs = this.#burst / this.#ratePerMs;
    if (now - this.#lastSweep < refillMs) return;
    this.#lastSweep = now;
    await this.#db.run('DELETE FROM attempt_buckets WHERE bucket = ? AND updated_at <= ?', [this.#name, now - refillMs]);
  }
}
