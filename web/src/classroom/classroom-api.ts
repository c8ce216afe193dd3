/**
 * The classroom's REST API as the browser calls it. Cookies carry who is asking (HttpOnly,
 * so no script sees them); bodies are JSON. Every call answers with the value or the
 * server's error (`{ error: { code, message } }`), never throws for an HTTP status.
 */
import type {
  ClassBehaviours,
  ClassNotice,
  ClassOverview,
  ClassroomInfo,
  ClassStudent,
  OpenLessons,
  ProgressGrid,
  RosterEntry,
  ServerLessonProgress,
  SoloInfo,
  StudentMe,
} from './api-types.ts';

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What a lesson report may change; absent fields stay as they are on the server. */
export interface ProgressReport {
  readonly completed?: boolean;
  readonly withSolution?: boolean;
  readonly attempts?: number;
  readonly hintsUsed?: number;
}

export interface NoticeDraft {
  readonly text: string;
  readonly kind: 'message' | 'hint';
  /** null: everyone. */
  readonly studentId: string | null;
  readonly lessonId: string | null;
}

/** A thin client of the classroom API on this page's origin (or `base`). */
export class ClassroomApi {
  readonly #fetch: Fetch;
  readonly #base: string;

  constructor(fetchImpl: Fetch = (input, init) => fetch(input, init), base = '') {
    this.#fetch = fetchImpl;
    this.#base = base;
  }

  /** Whether this server runs a class, and who this browser is in it. */
  info(): Promise<ApiResult<ClassroomInfo | SoloInfo>> {
    return this.#call('GET', '/api/classroom');
  }

  /** Joins the class; the server keeps this browser in it with an HttpOnly cookie. */
  join(code: string, displayName: string): Promise<ApiResult<{ student: ClassStudent; openLessons: OpenLessons }>> {
    return this.#call('POST', '/api/class/join', { code, displayName });
  }

  me(): Promise<ApiResult<StudentMe>> {
    return this.#call('GET', '/api/me');
  }

  reportProgress(lessonId: string, report: ProgressReport): Promise<ApiResult<{ progress: ServerLessonProgress }>> {
    return this.#call('PUT', `/api/progress/${encodeURIComponent(lessonId)}`, report);
  }

  setUp(secret: string, password: string): Promise<ApiResult<{ signedIn: true }>> {
    return this.#call('POST', '/api/instructor/setup', { secret, password });
  }

  signIn(password: string): Promise<ApiResult<{ signedIn: true }>> {
    return this.#call('POST', '/api/instructor/login', { password });
  }

  signOut(): Promise<ApiResult<{ signedIn: false }>> {
    return this.#call('POST', '/api/instructor/logout');
  }

  overview(): Promise<ApiResult<ClassOverview>> {
    return this.#call('GET', '/api/classroom/overview');
  }

  rotateJoinCode(): Promise<ApiResult<{ joinCode: string; joinPath: string }>> {
    return this.#call('POST', '/api/classroom/join-code');
  }

  roster(): Promise<ApiResult<{ students: RosterEntry[] }>> {
    return this.#call('GET', '/api/classroom/roster');
  }

  progress(): Promise<ApiResult<ProgressGrid>> {
    return this.#call('GET', '/api/classroom/progress');
  }

  setOpenLessons(openLessons: OpenLessons): Promise<ApiResult<{ openLessons: OpenLessons }>> {
    return this.#call('PUT', '/api/classroom/lessons', { openLessons });
  }

  changeBehaviours(change: Partial<ClassBehaviours>): Promise<ApiResult<{ behaviours: ClassBehaviours }>> {
    return this.#call('PUT', '/api/classroom/behaviours', change);
  }

  notices(): Promise<ApiResult<{ notices: ClassNotice[] }>> {
    return this.#call('GET', '/api/classroom/notices');
  }

  sendNotice(draft: NoticeDraft): Promise<ApiResult<{ notice: ClassNotice }>> {
    return this.#call('POST', '/api/classroom/notices', draft);
  }

  removeStudent(id: string, purge: boolean): Promise<ApiResult<{ removed: string; purged: boolean }>> {
    return this.#call('DELETE', `/api/classroom/students/${encodeURIComponent(id)}${purge ? '?purge=1' : ''}`);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
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
    const data = await response.json().catch(() => null);
    if (response.ok && data !== null) return { ok: true, value: data as T };
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return {
      ok: false,
      status: response.status,
      code: typeof error?.code === 'string' ? error.code : 'http',
      message: typeof error?.message === 'string' ? error.message : `The class server answered HTTP ${response.status}.`,
    };
  }
}
