/** A class service on a fresh database file, reopenable to check what survives a restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassService } from '../../../server/classroom/class-service.ts';
import { migrateClassroom } from '../../../server/classroom/classroom-migrations.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';

export const LESSONS = [
  { id: 'client-and-server', title: 'Client and server', order: 1 },
  { id: 'the-greeting', title: 'The greeting', order: 2 },
  { id: 'ehlo-and-helo', title: 'EHLO and HELO', order: 3 },
];

export interface ClassFixture {
  readonly db: Database;
  readonly service: ClassService;
  /** Closes the database and opens the same file again, as a restarted server would. */
  reopen(): ClassFixture;
}

export function classFixture(file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-class-')), 'lab.sqlite')): ClassFixture {
  const db = openDatabase(file);
  migrateClassroom(db);
  const service = new ClassService({ db, classDomain: 'Class.Example.Test', catalog: LESSONS, maxMessageSize: 10 * 1024 * 1024 });
  return {
    db,
    service,
    reopen() {
      db.close();
      return classFixture(file);
    },
  };
}
