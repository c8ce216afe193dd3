/** Connects to the shared PostgreSQL database and brings its tables up to date. */
import { migratePostgres } from '../postgres/migrate-postgres.ts';
import { PostgresDatabase, type PostgresOptions } from './postgres-database.ts';

/** The database named by `--database` could not be used; the message says why, without the password. */
export class DatabaseUnavailableError extends Error {}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const db = new PostgresDatabase(url, options);
  try {
    await db.get('SELECT 1');
    await migratePostgres(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`PostgreSQL at ${redacted(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return db;
}

/** The URL as it may be printed: any password replaced. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the given URL';
  }
}
