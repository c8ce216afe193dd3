/** Opens (and creates or upgrades) the SMTP Lab database file. */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrateClassroom } from '../classroom/classroom-migrations.ts';
import { migrate } from './migrations.ts';
import { createPrivateFile, makePrivate } from './private-files.ts';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /**
   * Let SQLite copy the write-ahead log back into the database file (a checkpoint, with an
   * fsync) whenever a commit finds it over 1000 pages. Default true. Turned off, the owner
   * calls `checkpoint` when it suits it (the capture worker does, after a burst of mail).
   */
  readonly autoCheckpoint?: boolean;
  /**
   * When a commit counts as done. NORMAL (the default) survives a crash of the process; FULL
   * also survives a power cut, at one fsync of the log per commit (see capture-writer.ts).
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. Default 5 s. */
  readonly busyTimeoutMs?: number;
  /**
   * Run `PRAGMA quick_check` before anything else and refuse a damaged file (DamagedDatabaseError).
   * It reads every page once, so it takes time in proportion to the file: 0.75 s for 100 MB
   * (1,000 messages of 100 KB, a full default mailbox) on a busy 2-core machine. The mailbox
   * cap bounds it; only a mailbox of 1,000 near-10 MB messages (10 GB) would take minutes.
   */
  readonly check?: boolean;
}

/** The database file is damaged; the message names it and says what to do. */
export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      `the database ${file} is damaged (${detail}). Move it aside, e.g. mv ${file} ${file}.damaged ` +
        '(with its -wal and -shm files, if any), and start again: a new empty database is created.',
    );
  }
}

/** SQLite's codes for a file that is not a (sound) database. */
const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

/**
 * Opens the database at `file` (its directory is created if needed, 0700; `:memory:` gives a
 * throwaway database for tests), switches it to WAL mode and applies pending migrations.
 * The file is 0600 whatever the umask, and so are its -wal and -shm files: SQLite gives them
 * the main file's mode. Close it with `db.close()` once every store using it is done.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  if (file !== ':memory:') {
    createPrivateFile(file);
    // Left by a run before files were private, or by a copy: SQLite reuses them as they are.
    for (const companion of [`${file}-wal`, `${file}-shm`]) makePrivate(companion);
  }
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw asDamage(file, error);
  }
  try {
    if (options.check) quickCheck(db, file);
    // WAL: readers never block the writer, and a commit is one append to the log.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    migrate(db);
    // The classroom's tables exist in every database, as they do on PostgreSQL (its stores take any SqlDatabase).
    migrateClassroom(db);
  } catch (error) {
    db.close();
    throw asDamage(file, error);
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

function quickCheck(db: Database, file: string): void {
  // Up to 3 problems: enough to say what is wrong without flooding the message.
  const rows = db.pragma('quick_check(3)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length > 0) throw new DamagedDatabaseError(file, problems.join('\n').replace(/\s*\n\s*/g, '; '));
}

/** SQLite's "not a database" and "malformed" errors become a DamagedDatabaseError; others pass. */
function asDamage(file: string, error: unknown): unknown {
  if (error instanceof DamagedDatabaseError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DAMAGE_CODES.has(code)) {
    return new DamagedDatabaseError(file, error instanceof Error ? error.message : String(error));
  }
  return error;
}
