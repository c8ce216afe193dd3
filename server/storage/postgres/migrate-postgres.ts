/**
 * PostgreSQL's migrations: one list of steps per component (mail, world, classroom), the
 * PostgreSQL counterpart of SQLite's (server/storage/migrations.ts, classroom-migrations.ts).
 * A step is never edited once shipped. Several processes may start at once on one database:
 * an advisory lock makes one of them migrate while the others wait, then find nothing to do.
 */
import type { PostgresDatabase } from '../sql/postgres-database.ts';
import { CLASSROOM_STEPS } from './classroom-schema.ts';
import { MAIL_STEPS } from './mail-schema.ts';
import { WORLD_STEPS } from './world-schema.ts';

/** Components in the order they are created (later ones may refer to earlier tables). */
export const POSTGRES_COMPONENTS: readonly { readonly name: string; readonly steps: readonly string[] }[] = [
  { name: 'mail', steps: MAIL_STEPS },
  { name: 'world', steps: WORLD_STEPS },
  { name: 'classroom', steps: CLASSROOM_STEPS },
];

/** Any constant both processes agree on: the key of the migration lock. */
const MIGRATION_LOCK = 5321;

/** Brings every component up to date, each step in its own transaction; refuses a newer schema. */
export async function migratePostgres(db: PostgresDatabase): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  for (const component of POSTGRES_COMPONENTS) {
    for (;;) {
      const done = await db.transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        const row = await tx.get<{ version: number }>('SELECT version FROM component_versions WHERE component = ?', [component.name]);
        const current = row?.version ?? 0;
        if (current > component.steps.length) {
          throw new Error(
            `The ${component.name} tables have version ${current}, newer than this SMTP Lab understands (${component.steps.length}). ` +
              'Upgrade SMTP Lab or use another database.',
          );
        }
        if (current === component.steps.length) return true;
        // No parameters: pg sends the step as one simple query, several statements at once.
        await tx.run(component.steps[current]!);
        await tx.run(
          'INSERT INTO component_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
          [component.name, current + 1],
        );
        return false;
      });
      if (done) break;
    }
  }
}

