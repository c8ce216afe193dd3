/**
 * The storage suite's two engines: every store test runs once on SQLite (in memory) and once
 * on PostgreSQL (a database of its own per test, dropped after it). PostgreSQL's runs are
 * skipped when the machine has none (support/postgres-cluster.ts says when that fails instead).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { openDatabase } from '../../server/storage/open-database.ts';
import { openPostgres } from '../../server/storage/sql/open-postgres.ts';
import type { SqlDatabase, SqlEngine } from '../../server/storage/sql/sql-database.ts';
import { SqliteDatabase } from '../../server/storage/sql/sqlite-database.ts';

export const ENGINES: readonly SqlEngine[] = ['sqlite', 'postgres'];

/** The admin URL of the tests' PostgreSQL server, or null. */
export function postgresAdminUrl(): string | null {
  return inject('postgresUrl');
}

/** A fresh, migrated database on `engine`; `drop` closes it and (PostgreSQL) deletes it. */
export async function freshDatabase(engine: SqlEngine): Promise<{ db: SqlDatabase; url: string | null; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const db = new SqliteDatabase(openDatabase(':memory:'));
    return { db, url: null, drop: () => db.close() };
  }
  const admin = postgresAdminUrl();
  if (admin === null) throw new Error('no PostgreSQL for the tests');
  const name = `lab_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`, admin);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.href);
  return {
    db,
    url: url.href,
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, admin);
    },
  };
}

/** One statement on the test server's admin database (`url`: another database there), e.g. ALTER DATABASE. */
export async function adminQuery(sql: string, url = postgresAdminUrl()!): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `describe` once per engine, with a fresh database for every test (read `current.db` inside
 * tests and hooks). PostgreSQL's block is skipped without a server.
 */
export function describeEachEngine(name: string, body: (current: { readonly db: SqlDatabase; readonly engine: SqlEngine }) => void): void {
  for (const engine of ENGINES) {
    describe.skipIf(engine === 'postgres' && postgresAdminUrl() === null)(`${name} [${engine}]`, () => {
      const current = { engine } as { db: SqlDatabase; engine: SqlEngine };
      let drop: () => Promise<void> = async () => undefined;
      beforeEach(async () => {
        const fresh = await freshDatabase(engine);
        current.db = fresh.db;
        drop = fresh.drop;
      });
      afterEach(() => drop());
      body(current);
    });
  }
}
