/**
 * The sandbox's greylisting memory (the class behaviour switch) in the database, table
 * `sandbox_greylist`, so that it holds across processes: a client greylisted by one process
 * passes when its retry reaches another. The same answer as the in-memory GreylistMemory (a
 * pair is let through from its second sighting on), bounded and expiring: pairs older than the
 * window go, and the oldest past the cap.
 */
import { GREYLIST_RETRY_WINDOW_MS } from '../../protocol/world/greylisting.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** Pairs kept at most: room for a large class's retries. */
export const MAX_SANDBOX_GREYLIST_PAIRS = 100_000;

/** What the sandbox asks its greylisting memory (in memory for one process, or this store). */
export interface SandboxGreylist {
  /** True when the pair was seen before; otherwise remembers it and resolves false. */
  seenBefore(sender: string, recipient: string): Promise<boolean>;
}

export interface SandboxGreylistStoreOptions {
  /** How long a first sighting is remembered, in ms (postgrey's default retry window). */
  readonly windowMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export class SandboxGreylistStore implements SandboxGreylist {
  readonly #db: SqlDatabase;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(db: SqlDatabase, options: SandboxGreylistStoreOptions = {}) {
    this.#db = db;
    this.#windowMs = options.windowMs ?? GREYLIST_RETRY_WINDOW_MS;
    this.#maxEntries = options.maxEntries ?? MAX_SANDBOX_GREYLIST_PAIRS;
    this.#now = options.now ?? Date.now;
  }

  async seenBefore(sender: string, recipient: string): Promise<boolean> {
    const now = this.#now();
    // One statement decides for every process: only the first sighting inserts the row.
    const inserted = await this.#db.run(
      `INSERT INTO sandbox_greylist (sender, recipient, first_seen) VALUES (?, ?, ?)
       ON CONFLICT (sender, recipient) DO UPDATE SET first_seen = excluded.first_seen WHERE sandbox_greylist.first_seen < ?`,
      [sender.toLowerCase(), recipient.toLowerCase(), now, now - this.#windowMs],
    );
    if (inserted.changes === 0) return true;
    await this.#forgetOld(now);
    return false;
  }

  /** How many pairs are kept. */
  async size(): Promise<number> {
    return (await this.#db.get<{ count: number }>('SELECT COUNT(*) AS count FROM sandbox_greylist'))?.count ?? 0;
  }

  async #forgetOld(now: number): Promise<void> {
    await this.#db.run('DELETE FROM sandbox_greylist WHERE first_seen < ?', [now - this.#windowMs]);
    // No row past the cap: the comparison with NULL deletes nothing.
    await this.#db.run(
      'DELETE FROM sandbox_greylist WHERE first_seen < (SELECT first_seen FROM sandbox_greylist ORDER BY first_seen DESC LIMIT 1 OFFSET ?)',
      [this.#maxEntries - 1],
    );
  }
}
