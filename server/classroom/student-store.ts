/** The class's students: who joined, by which token, under which name and handle. */
import type { SqlDatabase, SqlSession } from '../storage/sql/sql-database.ts';
import type { StudentJson } from './classroom-types.ts';

interface StudentRow {
  id: string;
  display_name: string;
  handle: string;
  joined_at: number;
  current_lesson: string | null;
}

export interface NewStudent {
  readonly id: string;
  readonly tokenHash: string;
  readonly displayName: string;
  readonly nameKey: string;
  readonly handle: string;
}

const COLUMNS = 'id, display_name, handle, joined_at, current_lesson';

export class StudentStore {
  readonly #db: SqlDatabase;
  readonly #classDomain: string;

  constructor(db: SqlDatabase, classDomain: string) {
    this.#db = db;
    this.#classDomain = classDomain;
  }

  /** Inserts the student; `on` is the join's transaction when there is one. */
  async add(student: NewStudent, on: SqlSession = this.#db): Promise<StudentJson> {
    const now = Date.now();
    const row = await on.get<StudentRow>(
      `INSERT INTO students (id, token_hash, display_name, name_key, handle, joined_at, last_seen_at)
          VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [student.id, student.tokenHash, student.displayName, student.nameKey, student.handle, now, now],
    );
    return this.#toStudent(row)!;
  }

  /** The student holding this token, unless removed. */
  async byTokenHash(tokenHash: string): Promise<StudentJson | null> {
    return this.#toStudent(await this.#db.get<StudentRow>(`SELECT ${COLUMNS} FROM students WHERE token_hash = ? AND removed_at IS NULL`, [tokenHash]));
  }

  /** A student still in the class. */
  async byId(id: string): Promise<StudentJson | null> {
    return this.#toStudent(await this.#db.get<StudentRow>(`SELECT ${COLUMNS} FROM students WHERE id = ? AND removed_at IS NULL`, [id]));
  }

  /** The student whose class address has this local part (case-insensitive), if still in the class. */
  async byHandle(handle: string): Promise<StudentJson | null> {
    return this.#toStudent(
      await this.#db.get<StudentRow>(`SELECT ${COLUMNS} FROM students WHERE handle = ? AND removed_at IS NULL`, [handle.toLowerCase()]),
    );
  }

  /** Students still in the class, in joining order. */
  async active(): Promise<StudentJson[]> {
    const rows = await this.#db.all<StudentRow>(`SELECT ${COLUMNS} FROM students WHERE removed_at IS NULL ORDER BY joined_at, id`);
    return rows.map((row) => this.#toStudent(row)!);
  }

  async isNameTaken(nameKey: string, on: SqlSession = this.#db): Promise<boolean> {
    return (await on.get('SELECT 1 AS taken FROM students WHERE name_key = ? AND removed_at IS NULL', [nameKey])) !== undefined;
  }

  /** Handles stay taken after a removal, so an old address never reaches a new student. */
  async isHandleTaken(handle: string, on: SqlSession = this.#db): Promise<boolean> {
    return (await on.get('SELECT 1 AS taken FROM students WHERE handle = ?', [handle])) !== undefined;
  }

  async setCurrentLesson(id: string, lessonId: string): Promise<void> {
    await this.#db.run('UPDATE students SET current_lesson = ?, last_seen_at = ? WHERE id = ?', [lessonId, Date.now(), id]);
  }

  /**
   * Takes a student out of the class: the token stops working at once (its hash is replaced
   * by a value no token hashes to), the name becomes free again, the handle stays reserved.
   * False when there was no such student in the class.
   */
  async remove(id: string): Promise<boolean> {
    const { changes } = await this.#db.run('UPDATE students SET removed_at = ?, token_hash = ? WHERE id = ? AND removed_at IS NULL', [
      Date.now(),
      `removed:${id}`,
      id,
    ]);
    return changes > 0;
  }

  /** Deletes the student's row and (by cascade) their progress and notices. */
  async purge(id: string): Promise<void> {
    await this.#db.run('DELETE FROM students WHERE id = ?', [id]);
  }

  #toStudent(row: StudentRow | undefined): StudentJson | null {
    if (row === undefined) return null;
    return {
      id: row.id,
      displayName: row.display_name,
      handle: row.handle,
      address: `${row.handle}@${this.#classDomain}`,
      joinedAt: new Date(row.joined_at).toISOString(),
      currentLesson: row.current_lesson,
    };
  }
}
