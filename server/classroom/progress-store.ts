/** Lesson progress per student, and the instructor's messages and hints. */
import type { ProgressReport } from '../../protocol/wire/classroom-contract.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
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
  readonly #db: SqlDatabase;
  readonly #upsert: string;

  constructor(db: SqlDatabase) {
    this.#db = db;
    // Scalar MIN/MAX of two values: SQLite's MIN(a, b), PostgreSQL's LEAST/GREATEST.
    const [least, greatest] = db.engine === 'postgres' ? ['LEAST', 'GREATEST'] : ['MIN', 'MAX'];
    // Counters only grow: a stale tab reporting older numbers cannot lower them.
    // "With the solution" follows the first completion, and only a completion of the
    // student's own (0) changes it later: the smaller value keeps a 0 for good.
    this.#upsert = `INSERT INTO progress (student_id, lesson_id, completed_at, completed_with_solution, attempts, hints_used, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (student_id, lesson_id) DO UPDATE SET
            completed_with_solution = CASE
              WHEN excluded.completed_at IS NULL THEN progress.completed_with_solution
              WHEN progress.completed_at IS NULL THEN excluded.completed_with_solution
              ELSE ${least}(progress.completed_with_solution, excluded.completed_with_solution) END,
            completed_at = COALESCE(progress.completed_at, excluded.completed_at),
            attempts = ${greatest}(progress.attempts, excluded.attempts),
            hints_used = ${greatest}(progress.hints_used, excluded.hints_used),
            updated_at = excluded.updated_at
          RETURNING *`;
  }

  /** Merges a report into the student's record of the lesson and returns the record. */
  async report(studentId: string, lessonId: string, report: ProgressReport): Promise<LessonProgressJson> {
    const now = Date.now();
    const row = await this.#db.get<ProgressRow>(this.#upsert, [
      studentId,
      lessonId,
      report.completed === true ? now : null,
      report.completed === true && report.withSolution === true ? 1 : 0,
      report.attempts ?? 0,
      report.hintsUsed ?? 0,
      now,
    ]);
    return toProgress(row!);
  }

  /** One student's records, by lesson id. */
  async ofStudent(studentId: string): Promise<LessonProgressJson[]> {
    return (await this.#db.all<ProgressRow>('SELECT * FROM progress WHERE student_id = ? ORDER BY lesson_id', [studentId])).map(toProgress);
  }

  /** Every record of the students still in the class, grouped by student id. */
  async byStudent(): Promise<Map<string, LessonProgressJson[]>> {
    const grouped = new Map<string, LessonProgressJson[]>();
    const rows = await this.#db.all<ProgressRow>('SELECT p.* FROM progress p JOIN students s ON s.id = p.student_id WHERE s.removed_at IS NULL');
    for (const row of rows) {
      const list = grouped.get(row.student_id) ?? [];
      list.push(toProgress(row));
      grouped.set(row.student_id, list);
    }
    return grouped;
  }

  /** Stores a message or hint; `studentId` null addresses everyone. */
  async addNotice(notice: Omit<NoticeJson, 'id' | 'createdAt'>): Promise<NoticeJson> {
    const row = await this.#db.get<NoticeRow>(
      'INSERT INTO class_notices (student_id, kind, lesson_id, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      [notice.studentId, notice.kind, notice.lessonId, notice.text, Date.now()],
    );
    return toNotice(row!);
  }

  /** The latest notices a student may see (to everyone or to them), oldest first. */
  async noticesFor(studentId: string): Promise<NoticeJson[]> {
    const rows = await this.#db.all<NoticeRow>(
      `SELECT * FROM (SELECT * FROM class_notices WHERE student_id IS NULL OR student_id = ?
          ORDER BY id DESC LIMIT ${NOTICE_HISTORY}) latest ORDER BY id`,
      [studentId],
    );
    return rows.map(toNotice);
  }

  /** One notice, by the id a notice.added event carries; null once purged. */
  async noticeById(id: number): Promise<NoticeJson | null> {
    const row = await this.#db.get<NoticeRow>('SELECT * FROM class_notices WHERE id = ?', [id]);
    return row === undefined ? null : toNotice(row);
  }

  /** Notices stored after `afterId` (the ones a process missed while its events were lost): the latest of them, oldest first. */
  async noticesAfter(afterId: number): Promise<NoticeJson[]> {
    const rows = await this.#db.all<NoticeRow>(
      `SELECT * FROM (SELECT * FROM class_notices WHERE id > ? ORDER BY id DESC LIMIT ${NOTICE_HISTORY}) latest ORDER BY id`,
      [afterId],
    );
    return rows.map(toNotice);
  }

  /** The newest notice's id, 0 when there is none: where a process starts counting the notices it delivered. */
  async newestNoticeId(): Promise<number> {
    return (await this.#db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM class_notices'))?.id ?? 0;
  }

  /** The latest notices of the whole class, oldest first (the instructor's view). */
  async allNotices(): Promise<NoticeJson[]> {
    const rows = await this.#db.all<NoticeRow>(`SELECT * FROM (SELECT * FROM class_notices ORDER BY id DESC LIMIT ${NOTICE_HISTORY}) latest ORDER BY id`);
    return rows.map(toNotice);
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
