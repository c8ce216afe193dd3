/**
 * Opens the store `serve` runs on: SQLite in the data directory (the default, one process), or
 * the PostgreSQL database named by `--database` (shared by several processes). Everything else
 * sees only the SqlDatabase and where the capture worker opens its own connection.
 */
import { resolve } from 'node:path';
import { DamagedDatabaseError, openDatabase } from '../storage/open-database.ts';
import { DatabaseUnavailableError, openPostgres, redacted } from '../storage/sql/open-postgres.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
import { SqliteDatabase } from '../storage/sql/sqlite-database.ts';

export interface OpenedStore {
  readonly sql: SqlDatabase;
  /** What the capture worker opens: the SQLite file or the PostgreSQL URL. */
  readonly location: string;
  /** The SQLite file; null on PostgreSQL. */
  readonly file: string | null;
  /** The store as the banner names it (a password never shows). */
  readonly description: string;
}

/** The store could not be opened; the message says which and why. */
export class StoreOpenError extends Error {}

export async function openStore(options: { readonly dataDir: string; readonly database: string | null; readonly onError: (error: Error) => void }): Promise<OpenedStore> {
  if (options.database !== null) {
    try {
      // The connection pool reports a connection lost while idle here, instead of ending the process.
      const sql = await openPostgres(options.database, { onError: options.onError });
      return { sql, location: options.database, file: null, description: `PostgreSQL ${redacted(options.database)}` };
    } catch (error) {
      throw new StoreOpenError(error instanceof DatabaseUnavailableError ? `cannot use the database: ${error.message}` : String(error));
    }
  }
  const file = resolve(options.dataDir, 'smtp-lab.sqlite');
  try {
    // The first connection checks the file: a damaged one stops the start, not the first message.
    // It serves the event loop: while another program holds the write lock, a write waits
    // 250 ms at most and then fails (the API answers 503), rather than freezing every learner.
    const db = openDatabase(file, { check: true, busyTimeoutMs: 250 });
    return { sql: new SqliteDatabase(db), location: file, file, description: `SQLite ${file}` };
  } catch (error) {
    if (error instanceof DamagedDatabaseError) throw new StoreOpenError(error.message);
    throw new StoreOpenError(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
