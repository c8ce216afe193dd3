/**
 * PostgreSQL's classroom tables, one step per version (migrate-postgres.ts). The same tables as
 * SQLite's, in PostgreSQL's types: BIGINT for ms timestamps, bytea for raw bytes.
 */
export const CLASSROOM_STEPS: readonly string[] = [
  `
  -- Single values (JSON text): the instructor's password hash, the setup secret's hash, the
  -- join code, the open lessons, the class-wide server behaviours.
  CREATE TABLE class_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE instructor_sessions (
    token_hash TEXT   PRIMARY KEY,                        -- sha256 of the cookie token, hex
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE students (
    id             TEXT   PRIMARY KEY,
    token_hash     TEXT   NOT NULL UNIQUE,                -- sha256 of the student token, hex
    display_name   TEXT   NOT NULL,
    name_key       TEXT   NOT NULL,                       -- case-folded name, for uniqueness
    handle         TEXT   NOT NULL UNIQUE,                -- local part of the class address; never reused
    joined_at      BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    current_lesson TEXT,
    removed_at     BIGINT
  );
  -- Names are unique among the students still in the class.
  CREATE UNIQUE INDEX students_active_names ON students (name_key) WHERE removed_at IS NULL;

  CREATE TABLE progress (
    student_id              TEXT    NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    lesson_id               TEXT    NOT NULL,
    completed_at            BIGINT,
    attempts                INTEGER NOT NULL DEFAULT 0,
    hints_used              INTEGER NOT NULL DEFAULT 0,
    updated_at              BIGINT  NOT NULL,
    completed_with_solution INTEGER NOT NULL DEFAULT 0, -- 1 while the completion came with the solution
    PRIMARY KEY (student_id, lesson_id)
  );

  -- Messages and hints from the instructor; student_id NULL means everyone.
  CREATE TABLE class_notices (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    student_id TEXT   REFERENCES students (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL,                           -- 'message' | 'hint'
    lesson_id  TEXT,
    text       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX class_notices_by_student ON class_notices (student_id, id);
  `,
  `
  -- The public routes' attempt budgets (attempt-limits.ts): one token bucket per purpose and
  -- client address, shared by every process serving the class. Full buckets are deleted.
  CREATE TABLE attempt_buckets (
    bucket     TEXT             NOT NULL,
    key        TEXT             NOT NULL,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at BIGINT           NOT NULL,
    PRIMARY KEY (bucket, key)
  );
  `,
];
