/** A stand-in for the classroom's REST API: answers by method and path, and records every request. */
import type { Fetch } from '../../../web/src/classroom/classroom-api.ts';
import type { StudentJson, StudentMe } from '../../../protocol/wire/classroom-contract.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

type Answer = { status: number; body: unknown } | ((body: unknown) => { status: number; body: unknown });

export class FakeClassServer {
  readonly requests: RecordedRequest[] = [];
  readonly #routes = new Map<string, Answer>();

  /** Answers `METHOD /path` (query included) from now on. */
  on(route: string, answer: Answer): this {
    this.#routes.set(route, answer);
    return this;
  }

  readonly fetch: Fetch = async (input, init) => {
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    this.requests.push({ method, path: input, body });
    const answer = this.#routes.get(`${method} ${input}`);
    if (answer === undefined) return json(404, { error: { code: 'not_found', message: `There is no API route ${method} ${input}.` } });
    const { status, body: reply } = typeof answer === 'function' ? answer(body) : answer;
    return json(status, reply);
  };

  /** The requests made to `METHOD /path`. */
  made(route: string): RecordedRequest[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export const CLASS_DOMAIN = 'class.smtp-lab.test';

export function student(name: string, id = name.toLowerCase()): StudentJson {
  return {
    id,
    displayName: name,
    handle: name.toLowerCase(),
    address: `${name.toLowerCase()}@${CLASS_DOMAIN}`,
    joinedAt: `2026-11-27T10:00:0${name.length % 10}.000Z`,
    currentLesson: null,
  };
}

export function meOf(who: StudentJson, extra: Partial<StudentMe> = {}): StudentMe {
  return { student: who, classDomain: CLASS_DOMAIN, openLessons: null, progress: [], notices: [], ...extra };
}
