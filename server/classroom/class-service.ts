/**
 * The class: its join code, students, progress, open lessons, notices and server behaviours,
 * all kept in the database so a restart loses nothing. HTTP routes and the live hub call it;
 * after each change is committed it publishes a class event, so the dashboards, students and
 * sandboxes of every process (this one included, by the same path) can follow.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ClassBehaviours } from '../../protocol/sandbox-config.ts';
import type { ClassEvent } from '../events/class-event.ts';
import type { EventBus } from '../events/event-bus.ts';
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
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

export interface ClassServiceOptions {
  readonly db: SqlDatabase;
  /** The domain of the class addresses, e.g. "class.smtp-lab.test". */
  readonly classDomain: string;
  readonly catalog: readonly CatalogLesson[];
  /** The server's own SIZE limit: the default and the ceiling of the class setting. */
  readonly maxMessageSize: number;
  /** Where the class's changes are announced (LocalEventBus in one process, PostgresEventBus across several). */
  readonly events: EventBus;
  /** An event that could not be sent; the change itself is stored and stays. */
  readonly onError?: (error: unknown) => void;
}

/** Tries of a join that keeps losing the race for its name or handle to concurrent joins (PostgreSQL). */
const MAX_JOIN_ATTEMPTS = 8;

/** PostgreSQL's unique_violation (SQLite serializes joins and never raises it here). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
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
  readonly #db: SqlDatabase;
  readonly events: EventBus;
  readonly #onError: (error: unknown) => void;

  /** The service with a join code made on first start (kept if another process made one first). */
  static async open(options: ClassServiceOptions): Promise<ClassService> {
    const service = new ClassService(options);
    await service.#settings.setIfAbsent('joinCode', newJoinCode());
    return service;
  }

  private constructor(options: ClassServiceOptions) {
    this.#db = options.db;
    this.classDomain = options.classDomain.toLowerCase();
    this.catalog = options.catalog;
    this.#maxMessageSize = options.maxMessageSize;
    this.events = options.events;
    this.#onError = options.onError ?? (() => undefined);
    this.#settings = new SettingsStore(options.db);
    this.auth = new InstructorAuth(this.#settings);
    this.students = new StudentStore(options.db, this.classDomain);
    this.progress = new ProgressStore(options.db);
  }

  /**
   * One transaction: the name and handle checks and the insert. On SQLite no other join can
   * interleave; on PostgreSQL a concurrent join (on another connection, in this process or
   * another) can take the same name or handle between our check and our insert, and the
   * unique index refuses ours (23505): then the whole transaction runs again and looks anew.
   */
  async #addStudent(name: string, tokenHash: string): Promise<StudentJson> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction(async (tx) => {
          const displayName = await uniqueDisplayName(name, (key) => this.students.isNameTaken(key, tx));
          // From the name as typed: "Ana (2)" gets ana2, not ana.2.
          const handle = await uniqueHandle(name, (candidate) => this.students.isHandleTaken(candidate, tx));
          const student = { id: randomBytes(9).toString('base64url'), tokenHash, displayName, nameKey: nameKey(displayName), handle };
          return this.students.add(student, tx);
        });
      } catch (error) {
        if (attempt >= MAX_JOIN_ATTEMPTS || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Announces a committed change; never awaited: the reply does not wait for the other processes. */
  #publish(event: ClassEvent): void {
    this.events.publish(event).catch(this.#onError);
  }

  async joinCode(): Promise<string> {
    return (await this.#settings.get('joinCode')) ?? '';
  }

  /** A new join code; the old one stops working (students already in stay in). */
  async rotateJoinCode(): Promise<string> {
    const code = newJoinCode();
    await this.#settings.set('joinCode', code);
    return code;
  }

  /** Adds a student if the code is right and the name acceptable (a taken name gets " (2)"). */
  async join(code: unknown, displayName: unknown): Promise<JoinResult> {
    if (typeof code !== 'string' || normalizeJoinCode(code) !== (await this.joinCode())) {
      return { ok: false, reason: 'wrong_code', message: 'That class code is not right. Check it with your instructor.' };
    }
    const name = checkDisplayName(displayName);
    if (!name.ok) return { ok: false, reason: 'bad_name', message: name.message };
    const token = newToken();
    const student = await this.#addStudent(name.name, hashToken(token));
    this.#publish({ type: 'student.changed', studentId: student.id });
    return { ok: true, student, token };
  }

  /** The student a token belongs to, unless removed. */
  async studentByToken(token: string | null): Promise<StudentJson | null> {
    return token === null ? null : this.students.byTokenHash(hashToken(token));
  }

  /** Who sent the request, from its cookies. */
  async identify(req: Pick<IncomingMessage, 'headers'>): Promise<Identity> {
    const [instructor, student] = await Promise.all([
      this.auth.isSignedIn(readCookie(req, INSTRUCTOR_COOKIE)),
      this.studentByToken(readCookie(req, STUDENT_COOKIE)),
    ]);
    return { instructor, student };
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
  openLessons(): Promise<readonly string[] | null> {
    return this.#settings.get('openLessons');
  }

  async isLessonOpen(lessonId: string): Promise<boolean> {
    const open = await this.openLessons();
    return open === null || open.includes(lessonId);
  }

  /** Opens exactly these lessons (null: all); unknown ids are refused. */
  async setOpenLessons(ids: readonly string[] | null): Promise<ChangeResult<readonly string[] | null>> {
    const known = new Set(this.catalog.map((lesson) => lesson.id));
    const unknown = ids?.filter((id) => !known.has(id)) ?? [];
    if (unknown.length > 0) return { ok: false, message: `There is no lesson ${unknown.map((id) => JSON.stringify(id)).join(', ')}.` };
    const value = ids === null ? null : this.catalog.map((lesson) => lesson.id).filter((id) => ids.includes(id));
    await this.#settings.set('openLessons', value);
    this.#publish({ type: 'lessons.changed' });
    return { ok: true, value };
  }

  async behaviours(): Promise<ClassBehaviours> {
    return storedBehaviours(await this.#settings.get('behaviours'), this.#maxMessageSize);
  }

  /** Applies a partial change (checked) and stores the result. */
  async changeBehaviours(change: unknown): Promise<ChangeResult<ClassBehaviours>> {
    const parsed = behavioursChangeSchema(this.#maxMessageSize).safeParse(change);
    if (!parsed.success) {
      return { ok: false, message: describeIssues(parsed.error.issues) };
    }
    const next = { ...(await this.behaviours()), ...withoutUndefined(parsed.data) };
    await this.#settings.set('behaviours', next);
    this.#publish({ type: 'behaviours.changed' });
    return { ok: true, value: next };
  }

  /** Merges a student's report for a lesson; it also becomes their current lesson. */
  async recordProgress(studentId: string, lessonId: string, report: ProgressReport): Promise<LessonProgressJson> {
    const record = await this.progress.report(studentId, lessonId, report);
    await this.students.setCurrentLesson(studentId, lessonId);
    this.#publish({ type: 'progress.recorded', studentId, lessonId });
    return record;
  }

  /** Stores a message or hint and pushes it to its audience. */
  async addNotice(notice: Omit<NoticeJson, 'id' | 'createdAt'>): Promise<NoticeJson> {
    const stored = await this.progress.addNotice(notice);
    this.#publish({ type: 'notice.added', noticeId: stored.id, studentId: stored.studentId });
    return stored;
  }

  /**
   * Removes a student: their token stops working and their connections close. With `purge`,
   * their progress and notices go too (the caller deletes their mail and transcripts).
   */
  async remove(studentId: string, purge: boolean): Promise<boolean> {
    if (!(await this.students.remove(studentId))) return false;
    if (purge) await this.students.purge(studentId);
    this.#publish({ type: 'student.removed', studentId });
    return true;
  }

  /** Whether the address is at the class domain (known or not): decided from the address alone. */
  isClassAddress(address: string): boolean {
    const at = address.lastIndexOf('@');
    return at >= 0 && address.slice(at + 1).toLowerCase() === this.classDomain;
  }

  /**
   * The namespace a class address delivers to: a student still in the class, or the
   * instructor's `instructor@<class domain>`. Null for any other address at the class domain;
   * undefined for addresses outside it.
   */
  async namespaceOfAddress(address: string): Promise<string | null | undefined> {
    if (!this.isClassAddress(address)) return undefined;
    const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
    if (local === INSTRUCTOR_HANDLE) return INSTRUCTOR_NAMESPACE;
    const student = await this.students.byHandle(local);
    return student === null ? null : studentNamespace(student.id);
  }
}
