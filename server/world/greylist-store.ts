/**
 * The lab MX hosts' greylisting memory in the database (table `greylist_triplets`), so that it
 * holds across processes: each host's GreylistTriplets (protocol/world/greylisting.ts) decides
 * as before, writes each triplet it starts counting from here, and is told at every connection
 * what the other processes saw from that sender. Bounded like the in-memory table: triplets
 * past the retry window go, and the oldest past the cap.
 */
import { GREYLIST_RETRY_WINDOW_MS, type SeenTriplet } from '../../protocol/world/greylisting.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** Triplets kept for every host and sender together: room for a large class's retries. */
export const MAX_STORED_TRIPLETS = 100_000;

export interface GreylistStoreOptions {
  readonly retryWindowMs?: number;
  readonly maxEntries?: number;
}

export class GreylistStore {
  readonly #db: SqlDatabase;
  readonly #retryWindowMs: number;
  readonly #maxEntries: number;

  constructor(db: SqlDatabase, options: GreylistStoreOptions = {}) {
    this.#db = db;
    this.#retryWindowMs = options.retryWindowMs ?? GREYLIST_RETRY_WINDOW_MS;
    this.#maxEntries = options.maxEntries ?? MAX_STORED_TRIPLETS;
  }

  /** What `host` saw from `senderKey` (a namespace and lab IP) within the retry window at `labNow`, oldest first. */
  async seen(host: string, senderKey: string, labNow: number): Promise<SeenTriplet[]> {
    const rows = await this.#db.all<{ sender: string; recipient: string; firstSeen: number }>(
      `SELECT sender, recipient, first_seen AS "firstSeen" FROM greylist_triplets
       WHERE host = ? AND sender_key = ? AND first_seen >= ? ORDER BY first_seen LIMIT ?`,
      [host, senderKey, labNow - this.#retryWindowMs, this.#maxEntries],
    );
    return rows.map((row) => ({ ip: senderKey, ...row }));
  }

  /** Records that `host` starts counting from this triplet, then forgets what is past the window or the cap. */
  async firstSeen(host: string, triplet: SeenTriplet): Promise<void> {
    await this.#db.run(
      `INSERT INTO greylist_triplets (host, sender_key, sender, recipient, first_seen) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (host, sender_key, sender, recipient) DO UPDATE SET first_seen = excluded.first_seen`,
      [host, triplet.ip, triplet.sender, triplet.recipient, triplet.firstSeen],
    );
    await this.#db.run('DELETE FROM greylist_triplets WHERE first_seen < ?', [triplet.firstSeen - this.#retryWindowMs]);
    // No row past the cap: the comparison with NULL deletes nothing.
    await this.#db.run(
      'DELETE FROM greylist_triplets WHERE first_seen < (SELECT first_seen FROM greylist_triplets ORDER BY first_seen DESC LIMIT 1 OFFSET ?)',
      [this.#maxEntries - 1],
    );
  }

  /** How many triplets are kept. */
  async size(): Promise<number> {
    return (await this.#db.get<{ count: number }>('SELECT COUNT(*) AS count FROM greylist_triplets'))?.count ?? 0;
  }
}
