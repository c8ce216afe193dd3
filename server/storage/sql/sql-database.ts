/**
 * The one storage interface both engines implement: SQLite in the data directory (the default,
 * better-sqlite3) and PostgreSQL for a classroom served by several processes (`pg`). Stores are
 * written once against it, in SQL both engines read: `?` placeholders, `RETURNING` instead of
 * last-insert ids, `ON CONFLICT` instead of `INSERT OR …`. Where the dialects differ, a store
 * picks its statement by `engine`.
 */

/** What a statement may bind: numbers (ms timestamps, counters), text, bytes (raw messages) and null. */
export type SqlValue = string | number | bigint | Uint8Array | null;

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  readonly changes: number;
}

/** The statements a database and a transaction both offer. */
export interface SqlSession {
  /** Every row the statement returns. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row, or undefined. */
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** A statement run for its effect. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
}

export type SqlEngine = 'sqlite' | 'postgres';

export interface SqlDatabase extends SqlSession {
  readonly engine: SqlEngine;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Only `tx` may be used inside it (on SQLite, other statements wait until it ends).
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Waits for running statements and closes the connection(s). */
  close(): Promise<void>;
}
