/**
 * The class: its join code, students, progress, open lessons, notices and server behaviours,
 * all kept in the database so a restart loses nothing. HTTP routes and the live hub call it;
 * it tells its listeners what changed so the dashboards (and the sandbox) can follow.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Database } from 'better-sqlite3';
import type { ClassBehaviours } from '../../protocol/sandbox-config.ts';
import { withoutUndefined } from '../../protocol/without-undefined.ts';
import type { ProgressReport } from '../../protocol/wire/classroom-contract.ts';
import { behavioursChangeSchema, storedBehaviours } from './class-behaviours.ts';
import {
  INSTRUCTOR_HANDLE,
  INSTRUCTOR_NAMESPACE,
  studentNamespace,
  type Identity,
  type LessonProgressJson,
  type NoticeJson,
  type StudentJson,
} from './classroom-types.ts';
import { INSTRUCTOR_COOKIE, readCookie, STUDENT_COOKIE } from './cookies.ts';
import type { CatalogLesson } from '../../protocol/wire/classroom-contract.ts';
import { checkDisplayName, nameKey, uniqueDisplayName, uniqueHandle } from './display-names.ts';
import { describeIssues } from './issues-text.ts';
import { InstructorAuth } from './instructor-auth.ts';
import { newJoinCode, normalizeJoinCode } from './join-code.ts';
import { ProgressStore } from './progress-store.ts';
import { hashToken, newToken } from './secrets.ts';
import { SettingsStore } from './settings-store.ts';
import { StudentStore } from './student-store.ts';

export interface ClassServiceOptions {
  readonly db: Database;
  /** The domain of the class addresses, e.g. "class.smtp-lab.test". */
  readonly classDomain: string;
  readonly catalog: readonly CatalogLesson[];
  /** The server's own SIZE limit: the default and the ceiling of the class setting. */
  readonly maxMessageSize: number;
}

/** What changed, for the live hub. */
export interface ClassListener {
  studentChanged(studentId: string): void;
  studentRemoved(studentId: string): void;
  openLessonsChanged(openLessons: readonly string[] | null): void;
  noticeAdded(notice: NoticeJson): void;
  behavioursChanged(behaviours: ClassBehaviours): void;
}

export type JoinResult =
  | { readonly ok: true; readonly student: StudentJson; readonly token: string }
  | { readonly ok: false; readonly reason: 'wrong_code' | 'bad_name'; readonly message: string };

export type ChangeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export class ClassService {
  readonly classDomain: string;
  readonly catalog: readonly CatalogLesson[];
  readonly auth: InstructorAuth;
  readonly students: StudentStore;
  readonly progress: ProgressStore;
  readonly #settings: SettingsStore;
  readonly #maxMessageSize: number;
  readonly #addStudent: (name: string, tokenHash: string) => StudentJson;
  readonly #listeners: Partial<ClassListener>[] = [];

  constructor(options: ClassServiceOptions) {
    this.classDomain = options.classDomain.toLowerCase();
    this.catalog = options.catalog;
    this.#maxMessageSize = options.maxMessageSize;
    this.#settings = new SettingsStore(options.db);
    this.auth = new InstructorAuth(this.#settings);
    this.students = new StudentStore(options.db, this.classDomain);
    this.progress = new ProgressStore(options.db);
    if (this.#settings.get('joinCode') === null) this.#settings.set('joinCode', newJoinCode());
    // One transaction: the name and handle checks and the insert cannot interleave with another join.
    this.#addStudent = options.db.transaction((name: string, tokenHash: string) => {
      const displayName = uniqueDisplayName(name, (key) => this.students.isNameTaken(key));
      // From the name as typed: "Ana (2)" gets ana2, not ana.2.
      const handle = uniqueHandle(name, (candidate) => this.students.isHandleTaken(candidate));
      return this.students.add({ id: randomBytes(9).toString('base64url'), tokenHash, displayName, nameKey: nameKey(displayName), handle });
    });
  }

  /** Adds a listener (the live hub, the sandbox settings) told about every change. */
  listen(listener: Partial<ClassListener>): void {
    this.#listeners.push(listener);
  }

  #tell(change: (listener: Partial<ClassListener>) => void): void {
    for (const listener of this.#listeners) change(listener);
  }

  joinCode(): string {
    return this.#settings.get('joinCode') ?? '';
  }

  /** A new join code; the old one stops working (students already in stay in). */
  rotateJoinCode(): string {
    const code = newJoinCode();
    this.#settings.set('joinCode', code);
    return code;
  }

  /** Adds a student if the code is right and the name acceptable (a taken name gets " (2)"). */
  join(code: unknown, displayName: unknown): JoinResult {
    if (typeof code !== 'string' || normalizeJoinCode(code) !== this.joinCode()) {
      return { ok: false, reason: 'wrong_code', message: 'That class code is not right. Check it with your instructor.' };
    }
    const name = checkDisplayName(displayName);
    if (!name.ok) return { ok: false, reason: 'bad_name', message: name.message };
    const token = newToken();
    const student = this.#addStudent(name.name, hashToken(token));
    this.#tell((listener) => listener.studentChanged?.(student.id));
    return { ok: true, student, token };
  }

  /** The student a token belongs to, unless removed. */
  studentByToken(token: string | null): StudentJson | null {
    return token === null ? null : this.students.byTokenHash(hashToken(token));
  }

  /** Who sent the request, from its cookies. */
  identify(req: Pick<IncomingMessage, 'headers'>): Identity {
    return {
      instructor: this.auth.isSignedIn(readCookie(req, INSTRUCTOR_COOKIE)),
      student: this.studentByToken(readCookie(req, STUDENT_COOKIE)),
    };
  }

  /**
   * Whose mail and sessions a request may see: the student's own (the console is the student
   * view, also for an instructor who joined to try it), the instructor's, or none (null: 401).
   */
  namespaceOf(identity: Identity): string | null {
    if (identity.student !== null) return studentNamespace(identity.student.id);
    return identity.instructor ? INSTRUCTOR_NAMESPACE : null;
  }

  /** The lesson ids students may work on; null: every lesson. */
  openLessons(): readonly string[] | null {
    return this.#settings.get('openLessons');
  }

  isLessonOpen(lessonId: string): boolean {
    const open = this.openLessons();
    return open === null || open.includes(lessonId);
  }

  /** Opens exactly these lessons (null: all); unknown ids are refused. */
  setOpenLessons(ids: readonly string[] | null): ChangeResult<readonly string[] | null> {
    const known = new Set(this.catalog.map((lesson) => lesson.id));
    const unknown = ids?.filter((id) => !known.has(id)) ?? [];
    if (unknown.length > 0) return { ok: false, message: `There is no lesson ${unknown.map((id) => JSON.stringify(id)).join(', ')}.` };
    const value = ids === null ? null : this.catalog.map((lesson) => lesson.id).filter((id) => ids.includes(id));
    this.#settings.set('openLessons', value);
    this.#tell((listener) => listener.openLessonsChanged?.(value));
    return { ok: true, value };
  }

  behaviours(): ClassBehaviours {
    return storedBehaviours(this.#settings.get('behaviours'), this.#maxMessageSize);
  }

  /** Applies a partial change (checked) and stores the result. */
  changeBehaviours(change: unknown): ChangeResult<ClassBehaviours> {
    const parsed = behavioursChangeSchema(this.#maxMessageSize).safeParse(change);
    if (!parsed.success) {
      return { ok: false, message: describeIssues(parsed.error.issues) };
    }
    const next = { ...this.behaviours(), ...withoutUndefined(parsed.data) };
    this.#settings.set('behaviours', next);
    this.#tell((listener) => listener.behavioursChanged?.(next));
    return { ok: true, value: next };
  }

  /** Merges a student's report for a lesson; it also becomes their current lesson. */
  recordProgress(studentId: string, lessonId: string, report: ProgressReport): LessonProgressJson {
    const record = this.progress.report(studentId, lessonId, report);
    this.students.setCurrentLesson(studentId, lessonId);
    this.#tell((listener) => listener.studentChanged?.(studentId));
    return record;
  }

  /** Stores a message or hint and pushes it to its audience. */
  addNotice(notice: Omit<NoticeJson, 'id' | 'createdAt'>): NoticeJson {
    const stored = this.progress.addNotice(notice);
    this.#tell((listener) => listener.noticeAdded?.(stored));
    return stored;
  }

  /**
   * Removes a student: their token stops working and their connections close. With `purge`,
   * their progress and notices go too (the caller deletes their mail and transcripts).
   */
  remove(studentId: string, purge: boolean): boolean {
    if (!this.students.remove(studentId)) return false;
    if (purge) this.students.purge(studentId);
    this.#tell((listener) => listener.studentRemoved?.(studentId));
    return true;
  }

  /**
   * The namespace a class address delivers to: a student still in the class, or the
   * instructor's `instructor@<class domain>`. Null for any other address at the class domain;
   * undefined for addresses outside it.
   */
  namespaceOfAddress(address: string): string | null | undefined {
    const at = address.lastIndexOf('@');
    if (at < 0 || address.slice(at + 1).toLowerCase() !== this.classDomain) return undefined;
    const local = address.slice(0, at).toLowerCase();
    if (local === INSTRUCTOR_HANDLE) return INSTRUCTOR_NAMESPACE;
    const student = this.students.byHandle(local);
    return student === null ? null : studentNamespace(student.id);
  }
}
