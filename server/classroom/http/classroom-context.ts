/** What a classroom route handler receives, the access rule each route declares, and the error replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http/respond.ts';
import type { Identity } from '../classroom-types.ts';

export interface ClassroomContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly identity: Identity;
}

/** Who may call a route: anyone, a student of the class, or the signed-in instructor. */
export type Access = 'public' | 'student' | 'instructor';

export interface ClassroomRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: string;
  readonly access: Access;
  readonly handle: (context: ClassroomContext) => void | Promise<void>;
}

export type ClassroomErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'wrong_join_code'
  | 'invalid_name'
  | 'lesson_closed'
  | 'already_set_up';

/** An error in the API's standard shape `{ "error": { "code", "message" } }`. */
export function fail(res: ServerResponse, status: number, code: ClassroomErrorCode, message: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendJson(res, status, { error: { code, message } });
}

/**
 * The refusal for a caller the route's access rule does not admit, or null to go on.
 * Anonymous: 401. Signed in as the wrong kind (a student on an instructor route, or the
 * reverse): 403.
 */
export function accessRefusal(access: Access, identity: Identity): { status: 401 | 403; code: ClassroomErrorCode; message: string } | null {
  if (access === 'public') return null;
  if (access === 'instructor') {
    if (identity.instructor) return null;
    return identity.student === null
      ? { status: 401, code: 'unauthorized', message: 'Sign in as the instructor first.' }
      : { status: 403, code: 'forbidden', message: 'This is for the instructor only.' };
  }
  if (identity.student !== null) return null;
  return identity.instructor
    ? { status: 403, code: 'forbidden', message: 'This is for students: join the class in another browser profile to try it.' }
    : { status: 401, code: 'unauthorized', message: 'Join the class first: open the join link your instructor gave you.' };
}
