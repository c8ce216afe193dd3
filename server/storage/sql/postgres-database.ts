/**
 * SqlDatabase on PostgreSQL (`pg`), for a classroom served by several processes. Statements
 * are written with `?` and numbered here; int8 and numeric come back as numbers, since every
 * one we store (ms timestamps, ids, counts, sizes) fits in 2^53. Raw messages are `bytea`.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { numberPlaceholders } from './placeholders.ts';
import { textMemo } from './text-memo.ts';
import type { RunResult, SqlDatabase, SqlSession, SqlValue } from './sql-database.ts';

const INT8 = 20;
const NUMERIC = 1700;

/** pg's own parsers, except the two that would hand us strings for numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections this process may hold. Default 10. */
  readonly maxConnections?: number;
  /** Where a connection lost while idle is reported (the pool replaces it on the next query). */
  readonly onError?: (error: Error) => void;
}

export class PostgresDatabase implements SqlDatabase {
  readonly engine = 'postgres';
  readonly #pool: pg.Pool;

  constructor(url: string, options: PostgresOptions = {}) {
    this.#pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types, connectionTimeoutMillis: 10_000 });
    // Without a listener, an idle connection's error (a restarted server) would end the process.
    this.#pool.on('error', (error) => options.onError?.(error));
  }

  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return all(this.#pool, sql, params);
  }

  async get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return (await all<Row>(this.#pool, sql, params))[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return run(this.#pool, sql, params);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(session(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      }
    } finally {
      // A connection whose ROLLBACK failed is not given back to the pool.
      client.release(broken);
    }
  }

  /** A connection of its own, outside the pool (LISTEN needs one that stays). */
  connect(): Promise<pg.PoolClient> {
    return this.#pool.connect();
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

type Queryable = pg.Pool | pg.PoolClient;

function session(client: pg.PoolClient): SqlSession {
  return {
    all: <Row>(sql: string, params?: readonly SqlValue[]) => all<Row>(client, sql, params),
    get: async <Row>(sql: string, params?: readonly SqlValue[]) => (await all<Row>(client, sql, params))[0],
    run: (sql, params) => run(client, sql, params),
  };
}

/**
 * Each text numbered and named once. A named statement is parsed and planned once per
 * connection, then only bound and run: most of PostgreSQL's work for the stores' small
 * statements. The name comes from the text, so one text always has one name.
 */
const statement = textMemo((sql) => ({ text: numberPlaceholders(sql), name: `smtp_lab_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}` }));

/**
 * A statement with parameters runs prepared under its name; one without goes as a simple query,
 * which may hold several statements (the migrations).
 */
function query(on: Queryable, sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult> {
  if (params.length === 0) return on.query(statement(sql).text);
  const { text, name } = statement(sql);
  return on.query({ text, name, values: params as unknown[] });
}

async function all<Row>(on: Queryable, sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
  return (await query(on, sql, params)).rows as Row[];
}

async function run(on: Queryable, sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
  return { changes: (await query(on, sql, params)).rowCount ?? 0 };
}
