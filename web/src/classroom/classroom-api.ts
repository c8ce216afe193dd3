/**
 * The classroom's REST API as the browser calls it. Cookies carry who is asking (HttpOnly,
 * so no script sees them); bodies are JSON. Every call answers with the value or the
 * server's error (`{ error: { code, message } }`), never throws for an HTTP status. Answers
 * are checked against the contract's schemas, so a page never runs on a shape it misreads.
 */
import type { z } from 'zod';
import { apiErrorBodySchema } from '../../../protocol/wire/api-error.ts';
import {
  behavioursReplySchema,
  classOverviewSchema,
  classroomModeSchema,
  joinedSchema,
  joinInfoSchema,
  lessonProgressReplySchema,
  noticeReplySchema,
  noticesSchema,
  openLessonsReplySchema,
  progressGridSchema,
  removedSchema,
  rosterSchema,
  signedInSchema,
  studentMeSchema,
  type NoticeDraft,
  type OpenLessons,
  type ProgressReport,
} from '../../../protocol/wire/classroom-contract.ts';
import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';
import { classWorldPushSchema, classWorldSchema } from '../../../protocol/wire/class-world-contract.ts';

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A thin client of the classroom API on this page's origin (or `base`). */
export class ClassroomApi {
  readonly #fetch: Fetch;
  readonly #base: string;

  constructor(fetchImpl: Fetch = (input, init) => fetch(input, init), base = '') {
    this.#fetch = fetchImpl;
    this.#base = base;
  }

  /** Whether this server runs a class, and who this browser is in it. */
  info() {
    return this.#call(classroomModeSchema, 'GET', '/api/classroom');
  }

  /** Joins the class; the server keeps this browser in it with an HttpOnly cookie. */
  join(code: string, displayName: string) {
    return this.#call(joinedSchema, 'POST', '/api/class/join', { code, displayName });
  }

  me() {
    return this.#call(studentMeSchema, 'GET', '/api/me');
  }

  reportProgress(lessonId: string, report: ProgressReport) {
    return this.#call(lessonProgressReplySchema, 'PUT', `/api/progress/${encodeURIComponent(lessonId)}`, report);
  }

  setUp(secret: string, password: string) {
    return this.#call(signedInSchema, 'POST', '/api/instructor/setup', { secret, password });
  }

  signIn(password: string) {
    return this.#call(signedInSchema, 'POST', '/api/instructor/login', { password });
  }

  signOut() {
    return this.#call(signedInSchema, 'POST', '/api/instructor/logout');
  }

  overview() {
    return this.#call(classOverviewSchema, 'GET', '/api/classroom/overview');
  }

  rotateJoinCode() {
    return this.#call(joinInfoSchema, 'POST', '/api/classroom/join-code');
  }

  roster() {
    return this.#call(rosterSchema, 'GET', '/api/classroom/roster');
  }

  progress() {
    return this.#call(progressGridSchema, 'GET', '/api/classroom/progress');
  }

  setOpenLessons(openLessons: OpenLessons) {
    return this.#call(openLessonsReplySchema, 'PUT', '/api/classroom/lessons', { openLessons });
  }

  changeBehaviours(change: Partial<ClassBehaviours>) {
    return this.#call(behavioursReplySchema, 'PUT', '/api/classroom/behaviours', change);
  }

  notices() {
    return this.#call(noticesSchema, 'GET', '/api/classroom/notices');
  }

  sendNotice(draft: NoticeDraft) {
    return this.#call(noticeReplySchema, 'POST', '/api/classroom/notices', draft);
  }

  /** The class's starting lab world (its zone is edited through WorldApi on /api/classroom/world). */
  classWorld() {
    return this.#call(classWorldSchema, 'GET', '/api/classroom/world/dns');
  }

  /** Every student's zone back to the class's starting zone. */
  pushClassWorld() {
    return this.#call(classWorldPushSchema, 'POST', '/api/classroom/world/push');
  }

  removeStudent(id: string, purge: boolean) {
    return this.#call(removedSchema, 'DELETE', `/api/classroom/students/${encodeURIComponent(id)}${purge ? '?purge=1' : ''}`);
  }

  async #call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      return { ok: false, status: 0, code: 'network', message: `The class server is not reachable (${(error as Error).message}).` };
    }
    const data: unknown = await response.json().catch(() => null);
    if (response.ok && data !== null) {
      const parsed = schema.safeParse(data);
      if (parsed.success) return { ok: true, value: parsed.data };
      return {
        ok: false,
        status: response.status,
        code: 'unexpected_answer',
        message: `The class server's answer to ${method} ${path.split('?')[0]} is not what this page expects (a newer or older server?); reload the page.`,
      };
    }
    const error = apiErrorBodySchema.safeParse(data);
    return error.success
      ? { ok: false, status: response.status, code: error.data.error.code, message: error.data.error.message }
      : { ok: false, status: response.status, code: 'http', message: `The class server answered HTTP ${response.status}.` };
  }
}
