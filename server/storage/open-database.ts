/** Opens (and creates or upgrades) the SMTP Lab database file. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /**
   * Let SQLite copy the write-ahead log back into the database file (a checkpoint, with an
   * fsync) whenever a commit finds it over 1000 pages. Default true. Turned off, the owner
   * calls `checkpoint` when it suits it (the capture worker does, after a burst of mail).
   */
  readonly autoCheckpoint?: boolean;
}

/**
 * Opens the database at `file` (its directory is created if needed; `:memory:` gives a
 * throwaway database for tests), switches it to WAL mode and applies pending migrations.
 * Close it with `db.close()` once every store using it is done.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // WAL: readers never block the writer, and a commit is one append to the log.
    db.pragma('journal_mode = WAL');
    // NORMAL is safe in WAL mode (no corruption on power loss, at worst the last commits are lost).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Copies what the write-ahead log holds into the database file, as far as no reader still
 * needs it (PASSIVE: never waits for other connections).
 */
export function checkpoint(db: Database): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}
