/**
 * The routes anyone may call: who am I, the instructor's setup, sign-in and sign-out, and a
 * student's join and resume. Every guess-able step (setup secret, password, join code, token)
 * is rate-limited per client address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http/respond.ts';
import type { ClassService } from '../class-service.ts';
import { INSTRUCTOR_COOKIE, readCookie, sessionCookie, STUDENT_COOKIE } from '../cookies.ts';
import { INSTRUCTOR_SESSION_SECONDS, passwordProblem } from '../instructor-auth.ts';
import type { KeyedRateLimiter } from '../rate-limiter.ts';
import { fail, type ClassroomRoute } from './classroom-context.ts';
import { bodyOrFail, field } from './request-body.ts';

/** A student's cookie lasts the course: a year, until the instructor removes them. */
export const STUDENT_COOKIE_SECONDS = 365 * 24 * 3600;

export interface PublicRouteDeps {
  readonly service: ClassService;
  /** Joins, resumes, setup and sign-in attempts, per client address. */
  readonly attempts: KeyedRateLimiter;
}

export function publicRoutes({ service, attempts }: PublicRouteDeps): ClassroomRoute[] {
  /** Takes an attempt for the caller's address; false when refused (the 429 is sent). */
  const allowAttempt = (req: IncomingMessage, res: ServerResponse): boolean => {
    const decision = attempts.take(req.socket.remoteAddress ?? 'unknown');
    if (decision.ok) return true;
    fail(res, 429, 'rate_limited', `Too many attempts from your address; try again in ${decision.retryAfterSeconds} s.`, {
      'Retry-After': String(decision.retryAfterSeconds),
    });
    return false;
  };
  const signedIn = (res: ServerResponse, status: number, token: string) => {
    res.setHeader('Set-Cookie', sessionCookie(INSTRUCTOR_COOKIE, token, INSTRUCTOR_SESSION_SECONDS));
    sendJson(res, status, { signedIn: true });
  };
  const joined = (res: ServerResponse, status: number, payload: object, token: string) => {
    res.setHeader('Set-Cookie', sessionCookie(STUDENT_COOKIE, token, STUDENT_COOKIE_SECONDS));
    sendJson(res, status, { ...payload, openLessons: service.openLessons() });
  };

  return [
    {
      method: 'GET',
      pattern: '/api/classroom',
      access: 'public',
      handle: ({ res, identity }) =>
        sendJson(res, 200, {
          mode: 'classroom',
          classDomain: service.classDomain,
          instructorSetUp: service.auth.isSetUp,
          you: { instructor: identity.instructor, student: identity.student },
        }),
    },
    {
      method: 'POST',
      pattern: '/api/instructor/setup',
      access: 'public',
      handle: async ({ req, res }) => {
        if (!allowAttempt(req, res)) return;
        const read = await bodyOrFail(req, res);
        if (read === null) return;
        const problem = passwordProblem(field(read.value, 'password'));
        if (problem !== null) return fail(res, 400, 'bad_request', problem);
        const secret = field(read.value, 'secret');
        const result = await service.auth.setUp(typeof secret === 'string' ? secret : '', field(read.value, 'password') as string);
        if (result === 'already_set_up') return fail(res, 409, 'already_set_up', 'The instructor password is already set; sign in instead.');
        if (result === 'wrong_secret') return fail(res, 403, 'forbidden', 'That setup secret is not right; use the one the server printed at its last start.');
        signedIn(res, 201, service.auth.startSession());
      },
    },
    {
      method: 'POST',
      pattern: '/api/instructor/login',
      access: 'public',
      handle: async ({ req, res }) => {
        if (!allowAttempt(req, res)) return;
        const read = await bodyOrFail(req, res);
        if (read === null) return;
        const password = field(read.value, 'password');
        const token = typeof password === 'string' ? await service.auth.signIn(password) : null;
        if (token === null) return fail(res, 401, 'unauthorized', 'That password is not right.');
        signedIn(res, 200, token);
      },
    },
    {
      method: 'POST',
      pattern: '/api/instructor/logout',
      access: 'public',
      handle: ({ req, res }) => {
        service.auth.signOut(readCookie(req, INSTRUCTOR_COOKIE));
        res.setHeader('Set-Cookie', sessionCookie(INSTRUCTOR_COOKIE, '', 0));
        sendJson(res, 200, { signedIn: false });
      },
    },
    {
      method: 'POST',
      pattern: '/api/class/join',
      access: 'public',
      handle: async ({ req, res }) => {
        if (!allowAttempt(req, res)) return;
        const read = await bodyOrFail(req, res);
        if (read === null) return;
        const result = service.join(field(read.value, 'code'), field(read.value, 'displayName'));
        if (!result.ok) {
          return result.reason === 'wrong_code'
            ? fail(res, 403, 'wrong_join_code', result.message)
            : fail(res, 400, 'invalid_name', result.message);
        }
        // The token is in the body this once, so the page may keep it to resume after cookies are cleared.
        joined(res, 201, { student: result.student, token: result.token }, result.token);
      },
    },
    {
      method: 'POST',
      pattern: '/api/class/resume',
      access: 'public',
      handle: async ({ req, res }) => {
        if (!allowAttempt(req, res)) return;
        const read = await bodyOrFail(req, res);
        if (read === null) return;
        const token = field(read.value, 'token');
        const student = typeof token === 'string' ? service.studentByToken(token) : null;
        if (student === null || typeof token !== 'string') {
          return fail(res, 401, 'unauthorized', 'This browser is no longer in the class; join again with the class code.');
        }
        joined(res, 200, { student }, token);
      },
    },
  ];
}
