/**
 * SqlDatabase on better-sqlite3 (the default engine). Statements run synchronously underneath,
 * as before; the promises only give both engines one shape. A transaction holds SQLite's write
 * lock from BEGIN IMMEDIATE to COMMIT, and statements outside it wait for it to end, so one
 * connection never mixes another caller's statements into an open transaction. (Each method
 * checks for an open transaction again after every wait, then runs without yielding.)
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RunResult, SqlDatabase, SqlSession, SqlValue } from './sql-database.ts';
import { textMemo } from './text-memo.ts';

export class SqliteDatabase implements SqlDatabase {
  readonly engine = 'sqlite';
  readonly #db: Database;
  /** Prepared once per text. */
  readonly #statement: (sql: string) => Statement;
  /** Settles when the open transaction ends; null when none is open. */
  #openTransaction: Promise<void> | null = null;
  readonly #inTransaction: SqlSession = {
    all: async (sql, params) => this.#all(sql, params),
    get: async (sql, params) => this.#get(sql, params),
    run: async (sql, params) => this.#run(sql, params),
  };

  /** Wraps an open database (openDatabase has applied the migrations); close() closes it. */
  constructor(db: Database) {
    this.#db = db;
    this.#statement = textMemo((sql) => db.prepare(sql));
  }

  async all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    while (this.#openTransaction !== null) await this.#openTransaction;
    return this.#all(sql, params);
  }

  async get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    while (this.#openTransaction !== null) await this.#openTransaction;
    return this.#get(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    while (this.#openTransaction !== null) await this.#openTransaction;
    return this.#run(sql, params);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    while (this.#openTransaction !== null) await this.#openTransaction;
    let end!: () => void;
    this.#openTransaction = new Promise((resolve) => (end = resolve));
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.#inTransaction);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.#openTransaction = null;
      end();
    }
  }

  async close(): Promise<void> {
    while (this.#openTransaction !== null) await this.#openTransaction;
    if (this.#db.open) this.#db.close();
  }

  #all<Row>(sql: string, params: readonly SqlValue[] = []): Row[] {
    return this.#statement(sql).all(...bindable(params)) as Row[];
  }

  #get<Row>(sql: string, params: readonly SqlValue[] = []): Row | undefined {
    return this.#statement(sql).get(...bindable(params)) as Row | undefined;
  }

  #run(sql: string, params: readonly SqlValue[] = []): RunResult {
    const statement = this.#statement(sql);
    // A RETURNING statement run for its effect still has to be stepped through as a reader.
    if (statement.reader) return { changes: statement.all(...bindable(params)).length };
    return { changes: statement.run(...bindable(params)).changes };
  }
}

/** better-sqlite3 binds Buffers, not plain Uint8Arrays. */
function bindable(params: readonly SqlValue[]): unknown[] {
  return params.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
}
