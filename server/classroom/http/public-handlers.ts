/**
 * The handlers anyone may call: who am I, the instructor's setup, sign-in and sign-out, and a
 * student's join. Every guess-able step (setup secret, password, join code) is rate-limited
 * per client address, each purpose in its own bucket (see attempt-limits.ts).
 */
import type { ServerResponse } from 'node:http';
import type { ClassroomInfo, Joined, SignedIn } from '../../../protocol/wire/classroom-contract.ts';
import type { ApiHandler } from '../../http/api-route.ts';
import { sendError, sendJson } from '../../http/respond.ts';
import type { AttemptLimits } from '../attempt-limits.ts';
import type { ClassService } from '../class-service.ts';
import { INSTRUCTOR_COOKIE, readCookie, sessionCookie, STUDENT_COOKIE } from '../cookies.ts';
import { INSTRUCTOR_SESSION_SECONDS, passwordProblem } from '../instructor-auth.ts';
import type { SharedRateLimiter } from '../shared-rate-limiter.ts';
import { bodyOrFail, field } from './request-body.ts';

/** A student's cookie lasts the course: a year, until the instructor removes them. */
export const STUDENT_COOKIE_SECONDS = 365 * 24 * 3600;

export interface PublicHandlerDeps {
  readonly service: ClassService;
  readonly limits: AttemptLimits;
}

export type PublicHandlers = Readonly<Record<'info' | 'setUp' | 'signIn' | 'signOut' | 'join', ApiHandler>>;

export function publicHandlers({ service, limits }: PublicHandlerDeps): PublicHandlers {
  /** Takes a token from `bucket` for the caller's address (behind a trusted proxy, the one it forwards); false when refused (the 429 is sent). */
  const allow = async (bucket: SharedRateLimiter, what: string, clientAddress: string, res: ServerResponse): Promise<boolean> => {
    const decision = await bucket.take(clientAddress);
    if (decision.ok) return true;
    sendError(res, 429, 'rate_limited', `Too many ${what} from your address; try again in ${decision.retryAfterSeconds} s.`, {
      'Retry-After': String(decision.retryAfterSeconds),
    });
    return false;
  };
  const signedIn = (res: ServerResponse, status: number, token: string) => {
    res.setHeader('Set-Cookie', sessionCookie(INSTRUCTOR_COOKIE, token, INSTRUCTOR_SESSION_SECONDS));
    sendJson(res, status, { signedIn: true } satisfies SignedIn);
  };

  return {
    info: async ({ res, identity }) =>
      sendJson(res, 200, {
        mode: 'classroom',
        classDomain: service.classDomain,
        instructorSetUp: await service.auth.isSetUp(),
        you: { instructor: identity.instructor, student: identity.student },
      } satisfies ClassroomInfo),
    setUp: async ({ req, res, clientAddress }) => {
      if (!(await allow(limits.instructor, 'instructor sign-in attempts', clientAddress, res))) return;
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const problem = passwordProblem(field(read.value, 'password'));
      if (problem !== null) return sendError(res, 400, 'bad_request', problem);
      const secret = field(read.value, 'secret');
      const result = await service.auth.setUp(typeof secret === 'string' ? secret : '', field(read.value, 'password') as string);
      if (result === 'already_set_up') return sendError(res, 409, 'already_set_up', 'The instructor password is already set; sign in instead.');
      if (result === 'wrong_secret') return sendError(res, 403, 'forbidden', 'That setup secret is not right; use the one the server printed at its last start.');
      signedIn(res, 201, await service.auth.startSession());
    },
    signIn: async ({ req, res, clientAddress }) => {
      if (!(await allow(limits.instructor, 'instructor sign-in attempts', clientAddress, res))) return;
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const password = field(read.value, 'password');
      const token = typeof password === 'string' ? await service.auth.signIn(password) : null;
      if (token === null) return sendError(res, 401, 'unauthorized', 'That password is not right.');
      signedIn(res, 200, token);
    },
    signOut: async ({ req, res }) => {
      await service.auth.signOut(readCookie(req, INSTRUCTOR_COOKIE));
      res.setHeader('Set-Cookie', sessionCookie(INSTRUCTOR_COOKIE, '', 0));
      sendJson(res, 200, { signedIn: false } satisfies SignedIn);
    },
    join: async ({ req, res, clientAddress }) => {
      if (!(await allow(limits.joins, 'joins', clientAddress, res))) return;
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const result = await service.join(field(read.value, 'code'), field(read.value, 'displayName'));
      if (result.ok) {
        // The token goes into the HttpOnly cookie only: no script on any page ever holds it.
        res.setHeader('Set-Cookie', sessionCookie(STUDENT_COOKIE, result.token, STUDENT_COOKIE_SECONDS));
        return sendJson(res, 201, { student: result.student, openLessons: await service.openLessons() } satisfies Joined);
      }
      if (result.reason === 'bad_name') return sendError(res, 400, 'invalid_name', result.message);
      if (!(await allow(limits.wrongCodes, 'wrong class codes', clientAddress, res))) return;
      sendError(res, 403, 'wrong_join_code', result.message);
    },
  };
}
