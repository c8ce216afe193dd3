/**
 * The classroom's tables, in the same database file as the mailbox and transcripts. They have
 * their own version counter (a row in `component_versions`), so the classroom schema and the
 * core schema (PRAGMA user_version, server/storage/migrations.ts) grow independently. A step
 * is never edited once shipped: a change is a new step appended to the list.
 *
 * Students' captured mail and transcripts stay in the core tables under the namespace
 * `student:<id>`; these tables hold who is in the class and what they did.
 */
import type { Database } from 'better-sqlite3';

const COMPONENT = 'classroom';

const STEPS: readonly string[] = [
  `
  -- Single values: the instructor's password hash, the setup secret's hash, the join code,
  -- the open lessons, the class-wide server behaviours. JSON text.
  CREATE TABLE class_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE instructor_sessions (
    token_hash TEXT    PRIMARY KEY,                       -- sha256 of the cookie token, hex
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE students (
    id             TEXT    PRIMARY KEY,
    token_hash     TEXT    NOT NULL UNIQUE,               -- sha256 of the student token, hex
    display_name   TEXT    NOT NULL,
    name_key       TEXT    NOT NULL,                      -- case-folded name, for uniqueness
    handle         TEXT    NOT NULL UNIQUE,               -- local part of the class address; never reused
    joined_at      INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    current_lesson TEXT,
    removed_at     INTEGER
  ) WITHOUT ROWID;
  -- Names are unique among the students still in the class.
  CREATE UNIQUE INDEX students_active_names ON students (name_key) WHERE removed_at IS NULL;

  CREATE TABLE progress (
    student_id   TEXT    NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    completed_at INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    hints_used   INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (student_id, lesson_id)
  ) WITHOUT ROWID;

  -- Messages and hints from the instructor; student_id NULL means everyone.
  CREATE TABLE class_notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id TEXT    REFERENCES students (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,                          -- 'message' | 'hint'
    lesson_id  TEXT,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX class_notices_by_student ON class_notices (student_id, id);
  `,
  `
  -- 1 while the lesson's completion came with the solution (web/src/lessons/progress.ts says
  -- when); completions recorded before this step count as the student's own.
  ALTER TABLE progress ADD COLUMN completed_with_solution INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- The public routes' attempt budgets (attempt-limits.ts): one token bucket per purpose and
  -- client address, in the database so that every process serving the class counts alike.
  -- A row whose bucket has filled up again is deleted.
  CREATE TABLE attempt_buckets (
    bucket     TEXT    NOT NULL,                          -- 'joins' | 'wrongCodes' | 'instructor'
    key        TEXT    NOT NULL,                          -- the client address
    tokens     REAL    NOT NULL,
    updated_at INTEGER NOT NULL,                          -- ms since the epoch
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID;
  `,
];

/** The classroom schema version this code expects. */
export const CLASSROOM_SCHEMA_VERSION = STEPS.length;

/**
 * Brings the classroom tables up to CLASSROOM_SCHEMA_VERSION, each step in its own
 * transaction. Safe to call on every start; refuses a newer classroom schema.
 */
export function migrateClassroom(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID');
  const row = db.prepare('SELECT version FROM component_versions WHERE component = ?').get(COMPONENT) as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > CLASSROOM_SCHEMA_VERSION) {
    throw new Error(
      `The classroom tables have version ${current}, newer than this SMTP Lab understands (${CLASSROOM_SCHEMA_VERSION}). ` +
        'Upgrade SMTP Lab or use another data directory.',
    );
  }
  const setVersion = db.prepare(
    'INSERT INTO component_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
  );
  for (let version = current; version < CLASSROOM_SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(STEPS[version] ?? '');
      setVersion.run(COMPONENT, version + 1);
    })();
  }
}
