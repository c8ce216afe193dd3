/** The class's students: who joined, by which token, under which name and handle. */
import type { Database } from 'better-sqlite3';
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
  readonly #classDomain: string;
  readonly #s;

  constructor(db: Database, classDomain: string) {
    this.#classDomain = classDomain;
    this.#s = {
      insert: db.prepare(`INSERT INTO students (id, token_hash, display_name, name_key, handle, joined_at, last_seen_at)
          VALUES (@id, @tokenHash, @displayName, @nameKey, @handle, @now, @now)`),
      byToken: db.prepare(`SELECT ${COLUMNS} FROM students WHERE token_hash = ? AND removed_at IS NULL`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM students WHERE id = ? AND removed_at IS NULL`),
      byHandle: db.prepare(`SELECT ${COLUMNS} FROM students WHERE handle = ? AND removed_at IS NULL`),
      active: db.prepare(`SELECT ${COLUMNS} FROM students WHERE removed_at IS NULL ORDER BY joined_at, id`),
      nameTaken: db.prepare('SELECT 1 FROM students WHERE name_key = ? AND removed_at IS NULL'),
      handleTaken: db.prepare('SELECT 1 FROM students WHERE handle = ?'),
      setCurrentLesson: db.prepare('UPDATE students SET current_lesson = ?, last_seen_at = ? WHERE id = ?'),
      remove: db.prepare('UPDATE students SET removed_at = ?, token_hash = ? WHERE id = ? AND removed_at IS NULL'),
      purge: db.prepare('DELETE FROM students WHERE id = ?'),
    };
  }

  add(student: NewStudent): StudentJson {
    this.#s.insert.run({ ...student, now: Date.now() });
    return this.byId(student.id)!;
  }

  /** The student holding this token, unless removed. */
  byTokenHash(tokenHash: string): StudentJson | null {
    return this.#toStudent(this.#s.byToken.get(tokenHash) as StudentRow | undefined);
  }

  /** A student still in the class. */
  byId(id: string): StudentJson | null {
    return this.#toStudent(this.#s.byId.get(id) as StudentRow | undefined);
  }

  /** The student whose class address has this local part (case-insensitive), if still in the class. */
  byHandle(handle: string): StudentJson | null {
    return this.#toStudent(this.#s.byHandle.get(handle.toLowerCase()) as StudentRow | undefined);
  }

  /** Students still in the class, in joining order. */
  active(): StudentJson[] {
    return (this.#s.active.all() as StudentRow[]).map((row) => this.#toStudent(row)!);
  }

  isNameTaken(nameKey: string): boolean {
    return this.#s.nameTaken.get(nameKey) !== undefined;
  }

  /** Handles stay taken after a removal, so an old address never reaches a new student. */
  isHandleTaken(handle: string): boolean {
    return this.#s.handleTaken.get(handle) !== undefined;
  }

  setCurrentLesson(id: string, lessonId: string): void {
    this.#s.setCurrentLesson.run(lessonId, Date.now(), id);
  }

  /**
   * Takes a student out of the class: the token stops working at once (its hash is replaced
   * by a value no token hashes to), the name becomes free again, the handle stays reserved.
   * False when there was no such student in the class.
   */
  remove(id: string): boolean {
    return this.#s.remove.run(Date.now(), `removed:${id}`, id).changes > 0;
  }

  /** Deletes the student's row and (by cascade) their progress and notices. */
  purge(id: string): void {
    this.#s.purge.run(id);
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
