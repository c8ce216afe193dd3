/**
 * The public routes' rate limits as a classroom meets them: a whole class behind one NAT
 * address, a guesser on that same address, and the instructor signing in through it all.
 * Every request comes from 127.0.0.1, like a room behind one router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { INSTRUCTOR_ATTEMPTS_PER_MINUTE, WRONG_CODES_PER_MINUTE } from '../../../server/classroom/attempt-limits.ts';
import { Actor, instructorOf, PASSWORD, startClassroom } from './classroom-app.ts';

const CLASS_SIZE = 60;

let app: RunningApp;
let instructor: Actor;
let joinCode: string;

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ({ joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview'));
});
afterAll(() => app.close('test finished'));

const join = (code: string, displayName: string) => new Actor(app.urls.http).post('/api/class/join', { code, displayName });

describe('a class behind one NAT address', () => {
  it(`lets ${CLASS_SIZE} students join at once, refuses a guesser's wrong codes, and never locks the instructor out`, async () => {
    const statuses = await Promise.all(Array.from({ length: CLASS_SIZE }, (_, i) => join(joinCode, `Student ${i + 1}`).then((r) => r.status)));
    expect(statuses).toEqual(Array(CLASS_SIZE).fill(201));
    const roster = await instructor.json<{ students: unknown[] }>('/api/classroom/roster');
    expect(roster.students).toHaveLength(CLASS_SIZE);

    const guesses: Response[] = [];
    for (let i = 0; i < WRONG_CODES_PER_MINUTE + 2; i++) guesses.push(await join('AAAAAA', 'Guess'));
    expect(guesses.slice(0, WRONG_CODES_PER_MINUTE).map((r) => r.status)).toEqual(Array(WRONG_CODES_PER_MINUTE).fill(403));
    for (const refused of guesses.slice(WRONG_CODES_PER_MINUTE)) {
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many wrong class codes from your address; try again in \d+ s\.$/) } });
    }

    // Same address, other buckets: the instructor signs in and a late student still joins.
    expect((await new Actor(app.urls.http).post('/api/instructor/login', { password: PASSWORD })).status).toBe(200);
    const late = await join(joinCode, 'Late Student');
    expect(late.status).toBe(201);
  });

  it("limits the instructor's wrong passwords in a bucket of their own", async () => {
    const visitor = new Actor(app.urls.http);
    const statuses: number[] = [];
    // Setup and the sign-in above already took 2 of this bucket's tokens; a few may have refilled since.
    for (let i = 0; i < INSTRUCTOR_ATTEMPTS_PER_MINUTE + 5 && statuses.at(-1) !== 429; i++) {
      statuses.push((await visitor.post('/api/instructor/login', { password: 'not the password' })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, INSTRUCTOR_ATTEMPTS_PER_MINUTE - 2)).toEqual(Array(INSTRUCTOR_ATTEMPTS_PER_MINUTE - 2).fill(401));
    // The instructor's 429s do not touch the students' joins.
    expect((await join(joinCode, 'After The Guesser')).status).toBe(201);
  });
});
