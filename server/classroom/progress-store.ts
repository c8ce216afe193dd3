/** Lesson progress per student, and the instructor's messages and hints. */
import type { Database } from 'better-sqlite3';
import type { ProgressReport } from '../../protocol/wire/classroom-contract.ts';
import type { LessonProgressJson, NoticeJson } from './classroom-types.ts';

interface ProgressRow {
  student_id: string;
  lesson_id: string;
  completed_at: number | null;
  completed_with_solution: 0 | 1;
  attempts: number;
  hints_used: number;
  updated_at: number;
}

interface NoticeRow {
  id: number;
  student_id: string | null;
  kind: 'message' | 'hint';
  lesson_id: string | null;
  text: string;
  created_at: number;
}

/** Notices a student sees on reconnecting: the most recent ones. */
const NOTICE_HISTORY = 100;

export class ProgressStore {
  readonly #s;

  constructor(db: Database) {
    this.#s = {
      // Counters only grow: a stale tab reporting older numbers cannot lower them.
      // "With the solution" follows the first completion, and only a completion of the
      // student's own (0) changes it later: MIN keeps a 0 for good.
      upsert: db.prepare(`INSERT INTO progress (student_id, lesson_id, completed_at, completed_with_solution, attempts, hints_used, updated_at)
          VALUES (@studentId, @lessonId, @completedAt, @withSolution, @attempts, @hintsUsed, @now)
          ON CONFLICT (student_id, lesson_id) DO UPDATE SET
            completed_with_solution = CASE
              WHEN excluded.completed_at IS NULL THEN completed_with_solution
              WHEN completed_at IS NULL THEN excluded.completed_with_solution
              ELSE MIN(completed_with_solution, excluded.completed_with_solution) END,
            completed_at = COALESCE(completed_at, excluded.completed_at),
            attempts = MAX(attempts, excluded.attempts),
            hints_used = MAX(hints_used, excluded.hints_used),
            updated_at = excluded.updated_at`),
      one: db.prepare('SELECT * FROM progress WHERE student_id = ? AND lesson_id = ?'),
      ofStudent: db.prepare('SELECT * FROM progress WHERE student_id = ? ORDER BY lesson_id'),
      all: db.prepare('SELECT p.* FROM progress p JOIN students s ON s.id = p.student_id WHERE s.removed_at IS NULL'),
      addNotice: db.prepare(`INSERT INTO class_notices (student_id, kind, lesson_id, text, created_at)
          VALUES (@studentId, @kind, @lessonId, @text, @now)`),
      notice: db.prepare('SELECT * FROM class_notices WHERE id = ?'),
      noticesFor: db.prepare(`SELECT * FROM (SELECT * FROM class_notices WHERE student_id IS NULL OR student_id = ?
          ORDER BY id DESC LIMIT ${NOTICE_HISTORY}) ORDER BY id`),
      allNotices: db.prepare(`SELECT * FROM (SELECT * FROM class_notices ORDER BY id DESC LIMIT ${NOTICE_HISTORY}) ORDER BY id`),
    };
  }

  /** Merges a report into the student's record of the lesson and returns the record. */
  report(studentId: string, lessonId: string, report: ProgressReport): LessonProgressJson {
    const now = Date.now();
    this.#s.upsert.run({
      studentId,
      lessonId,
      completedAt: report.completed === true ? now : null,
      withSolution: report.completed === true && report.withSolution === true ? 1 : 0,
      attempts: report.attempts ?? 0,
      hintsUsed: report.hintsUsed ?? 0,
      now,
    });
    return toProgress(this.#s.one.get(studentId, lessonId) as ProgressRow);
  }

  /** One student's records, by lesson id. */
  ofStudent(studentId: string): LessonProgressJson[] {
    return (this.#s.ofStudent.all(studentId) as ProgressRow[]).map(toProgress);
  }

  /** Every record of the students still in the class, grouped by student id. */
  byStudent(): Map<string, LessonProgressJson[]> {
    const grouped = new Map<string, LessonProgressJson[]>();
    for (const row of this.#s.all.all() as ProgressRow[]) {
      const list = grouped.get(row.student_id) ?? [];
      list.push(toProgress(row));
      grouped.set(row.student_id, list);
    }
    return grouped;
  }

  /** Stores a message or hint; `studentId` null addresses everyone. */
  addNotice(notice: Omit<NoticeJson, 'id' | 'createdAt'>): NoticeJson {
    const { lastInsertRowid } = this.#s.addNotice.run({ ...notice, now: Date.now() });
    return toNotice(this.#s.notice.get(lastInsertRowid) as NoticeRow);
  }

  /** The latest notices a student may see (to everyone or to them), oldest first. */
  noticesFor(studentId: string): NoticeJson[] {
    return (this.#s.noticesFor.all(studentId) as NoticeRow[]).map(toNotice);
  }

  /** The latest notices of the whole class, oldest first (the instructor's view). */
  allNotices(): NoticeJson[] {
    return (this.#s.allNotices.all() as NoticeRow[]).map(toNotice);
  }
}

function toProgress(row: ProgressRow): LessonProgressJson {
  return {
    lessonId: row.lesson_id,
    completedAt: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
    completedWithSolution: row.completed_with_solution === 1,
    attempts: row.attempts,
    hintsUsed: row.hints_used,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function toNotice(row: NoticeRow): NoticeJson {
  return {
    id: row.id,
    studentId: row.student_id,
    kind: row.kind,
    lessonId: row.lesson_id,
    text: row.text,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
