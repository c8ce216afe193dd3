/** A class service on a given database, or on a fresh SQLite file reopenable to check what survives a restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassService } from '../../../server/classroom/class-service.ts';
import type { EventBus } from '../../../server/events/event-bus.ts';
import { LocalEventBus } from '../../../server/events/local-event-bus.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

export const LESSONS = [
  { id: 'client-and-server', title: 'Client and server', order: 1 },
  { id: 'the-greeting', title: 'The greeting', order: 2 },
  { id: 'ehlo-and-helo', title: 'EHLO and HELO', order: 3 },
];

/** The test class's service on `db` (either engine), announcing its changes on `events` (one process's bus unless given). */
export function openClass(db: SqlDatabase, events: EventBus = new LocalEventBus()): Promise<ClassService> {
  return ClassService.open({ db, classDomain: 'Class.Example.Test', catalog: LESSONS, maxMessageSize: 10 * 1024 * 1024, events });
}

/** Joins with the current code; throws when refused. */
export async function joinClass(service: ClassService, name: string) {
  const result = await service.join((await service.joinCode()).toLowerCase(), name);
  if (!result.ok) throw new Error(result.message);
  return result;
}

export interface ClassFixture {
  /** The better-sqlite3 connection underneath (for SQLite-only checks: migrations, raw rows). */
  readonly raw: Database;
  readonly db: SqlDatabase;
  readonly service: ClassService;
  /** Closes the database and opens the same file again, as a restarted server would. */
  reopen(): Promise<ClassFixture>;
}

export async function classFixture(file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-class-')), 'lab.sqlite')): Promise<ClassFixture> {
  const raw = openDatabase(file);
  const db = new SqliteDatabase(raw);
  const service = await openClass(db);
  return {
    raw,
    db,
    service,
    async reopen() {
      await db.close();
      return classFixture(file);
    },
  };
}
