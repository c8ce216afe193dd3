/** The storage tests' database: a fresh in-memory one for every test, closed after it. */
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';

/** Holds the current test's database; read `db` inside tests and hooks, not at load time. */
export function memoryDatabasePerTest(): { readonly db: Database } {
  const current = {} as { db: Database };
  beforeEach(() => {
    current.db = openDatabase(':memory:');
  });
  afterEach(() => current.db.close());
  return current;
}
