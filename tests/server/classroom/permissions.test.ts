/**
 * Every permission rule of the classroom API against a real server: anonymous callers get
 * 401, students get 403 on every instructor route, the instructor gets 403 on student routes,
 * a student never reaches another student's mail, transcripts or progress (404, as for ids
 * that do not exist), and a removed student is nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { Actor, CLASS_DOMAIN, instructorOf, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let ana: Awaited<ReturnType<typeof studentOf>>;
let bo: Awaited<ReturnType<typeof studentOf>>;
let anonymous: Actor;
/** Ids from Bo's namespace: a message (with HTML and an attachment) and a session. */
let boMessageId: number;
let boSessionId: string;

/** Instructor routes as the UI calls them (ids filled in). */
const instructorCalls = (): [string, string, unknown?][] => [
  ['GET', '/api/classroom/overview'],
  ['POST', '/api/classroom/join-code'],
  ['GET', '/api/classroom/roster'],
  ['GET', '/api/classroom/progress'],
  ['GET', '/api/classroom/progress.csv'],
  ['PUT', '/api/classroom/lessons', { openLessons: null }],
  ['GET', '/api/classroom/behaviours'],
  ['PUT', '/api/classroom/behaviours', { greylist: false }],
  ['GET', '/api/classroom/notices'],
  ['POST', '/api/classroom/notices', { text: 'hi' }],
  ['GET', `/api/classroom/students/${bo.id}/sessions`],
  ['GET', `/api/classroom/students/${bo.id}/sessions/${boSessionId}`],
  ['DELETE', `/api/classroom/students/${bo.id}`],
];

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
  anonymous = new Actor(app.urls.http);
  // Bo sends himself a message with HTML and an attachment through his own console.
  const socket = await bo.openSocket();
  await socket.openSession();
  for (const line of ['EHLO bo.example', `MAIL FROM:<${bo.address}>`, `RCPT TO:<${bo.address}>`, 'DATA']) await socket.command(line);
  const mime = [
    'Subject: private', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/html', '', '<p>secret</p>',
    '--b', 'Content-Type: text/plain; name="a.txt"', 'Content-Disposition: attachment; filename="a.txt"', '', 'attached',
    '--b--', '.',
  ].join('\r\n');
  expect((await socket.command(mime)).code).toBe(250);
  socket.close();
  for (let tries = 0; tries < 200; tries++) {
    const { messages } = await bo.json<{ messages: { id: number; subject: string | null }[] }>('/api/messages');
    // Stored at once, parsed a moment later: wait for the parsed form.
    if (messages[0]?.subject) {
      boMessageId = messages[0].id;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const { sessions } = await bo.json<{ sessions: { id: string }[] }>('/api/sessions');
  boSessionId = sessions[0]!.id;
});
afterAll(() => app.close('test finished'));

describe('cookies', () => {
  it('are HttpOnly, SameSite=Strict and Path=/ for the instructor and for students', async () => {
    const student = new Actor(app.urls.http);
    const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
    const response = await student.post('/api/class/join', { code: joinCode, displayName: 'Cy' });
    expect(response.status).toBe(201);
    const text = await response.text();
    const body = JSON.parse(text) as { student: { address: string } };
    expect(body.student.address).toBe(`cy@${CLASS_DOMAIN}`);
    const [cookie] = student.lastSetCookies;
    expect(cookie).toMatch(/^smtp_lab_student=[\w-]{43};/);
    // The cookie is the only copy a browser gets: the body carries no token a script could keep.
    expect(text).not.toContain(student.cookies.get('smtp_lab_student'));
    expect(body).not.toHaveProperty('token');
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(flag);

    const login = new Actor(app.urls.http);
    expect((await login.post('/api/instructor/login', { password: 'correct horse battery staple' })).status).toBe(200);
    const [instructorCookie] = login.lastSetCookies;
    expect(instructorCookie).toMatch(/^smtp_lab_instructor=[\w-]{43};/);
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/']) expect(instructorCookie).toContain(flag);
  });
});

describe('anonymous callers', () => {
  it('get 401 on every instructor route, student route, mailbox and transcript route', async () => {
    const calls: [string, string, unknown?][] = [
      ...instructorCalls(),
      ['GET', '/api/me'],
      ['GET', '/api/progress'],
      ['PUT', '/api/progress/client-and-server', { completed: true }],
      ['GET', '/api/messages'],
      ['GET', `/api/messages/${boMessageId}`],
      ['GET', `/api/messages/${boMessageId}/raw`],
      ['DELETE', '/api/messages'],
      ['GET', '/api/sessions'],
      ['GET', `/api/sessions/${boSessionId}`],
    ];
    for (const [method, path, body] of calls) {
      const response = await anonymous.request(method, path, body);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('cannot open the bridge', async () => {
    await expect(anonymous.openSocket()).rejects.toThrow('upgrade refused: 401');
  });
});

describe('students', () => {
  it('get 403 on every instructor route', async () => {
    for (const [method, path, body] of instructorCalls()) {
      const response = await ana.request(method, path, body);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
    // Nothing happened: Bo is still in the class.
    expect((await instructor.json<{ students: unknown[] }>('/api/classroom/roster')).students.length).toBeGreaterThanOrEqual(2);
  });

  it('cannot open the instructor\'s live feed', async () => {
    await expect(ana.openSocket('?as=instructor')).rejects.toThrow('upgrade refused: 401');
    const socket = await ana.openSocket();
    socket.send({ type: 'watch', studentId: bo.id });
    expect(await socket.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' });
    socket.close();
  });

  it('get 404 for another student\'s message, raw source, HTML, attachment and session, as for ids that do not exist', async () => {
    expect((await bo.get(`/api/messages/${boMessageId}/html`)).status).toBe(200);
    expect((await bo.get(`/api/messages/${boMessageId}/attachments/0`)).status).toBe(200);
    const missingMessage = 999_999;
    const missingSession = '00000000-0000-4000-8000-000000000000';
    // Each of Bo's ids beside an id that exists nowhere: Ana cannot tell them apart.
    const pairs = [
      [`/api/messages/${boMessageId}`, `/api/messages/${missingMessage}`],
      [`/api/messages/${boMessageId}/raw`, `/api/messages/${missingMessage}/raw`],
      [`/api/messages/${boMessageId}/html`, `/api/messages/${missingMessage}/html`],
      [`/api/messages/${boMessageId}/attachments/0`, `/api/messages/${missingMessage}/attachments/0`],
      [`/api/sessions/${boSessionId}`, `/api/sessions/${missingSession}`],
    ];
    for (const [theirs, missing] of pairs) {
      const answer = await ana.get(theirs!);
      const nothing = await ana.get(missing!);
      expect({ theirs, status: answer.status }).toEqual({ theirs, status: 404 });
      expect(nothing.status).toBe(404);
      expect((await answer.json()).error.code).toBe((await nothing.json()).error.code);
    }
    expect((await ana.delete(`/api/messages/${boMessageId}`)).status).toBe(404);
    expect((await bo.get(`/api/messages/${boMessageId}`)).status).toBe(200);
    expect((await ana.json<{ messages: unknown[]; total: number }>('/api/messages')).total).toBe(0);
    expect((await ana.json<{ total: number }>('/api/sessions')).total).toBe(0);
  });

  it('see only their own progress', async () => {
    expect((await bo.put('/api/progress/client-and-server', { completed: true, attempts: 1 })).status).toBe(200);
    expect((await ana.json<{ progress: unknown[] }>('/api/progress')).progress).toEqual([]);
    expect((await bo.json<{ progress: { lessonId: string }[] }>('/api/progress')).progress.map((p) => p.lessonId)).toEqual(['client-and-server']);
    const me = await ana.json<{ student: { id: string }; progress: unknown[] }>('/api/me');
    expect(me.student.id).toBe(ana.id);
    expect(me.progress).toEqual([]);
  });

  it('cannot report progress for a closed or unknown lesson, nor with a bad body', async () => {
    expect((await instructor.put('/api/classroom/lessons', { openLessons: ['client-and-server'] })).status).toBe(200);
    expect(await (await ana.put('/api/progress/the-greeting', { completed: true })).json()).toMatchObject({ error: { code: 'lesson_closed' } });
    expect((await ana.put('/api/progress/no-such-lesson', {})).status).toBe(404);
    expect((await ana.put('/api/progress/client-and-server', { attempts: -1 })).status).toBe(400);
    expect((await ana.request('PUT', '/api/progress/client-and-server', undefined, { 'content-type': 'text/plain' })).status).toBe(200);
    const textBody = await fetch(new URL('/api/progress/client-and-server', app.urls.http), {
      method: 'PUT',
      headers: { cookie: `smtp_lab_student=${ana.cookies.get('smtp_lab_student')}`, 'content-type': 'text/plain' },
      body: '{"completed":true}',
    });
    expect(textBody.status).toBe(415);
    expect((await instructor.put('/api/classroom/lessons', { openLessons: null })).status).toBe(200);
  });

  it('cannot be made to write from another site', async () => {
    const response = await ana.request('PUT', '/api/progress/client-and-server', { completed: true }, { origin: 'http://evil.example' });
    expect(response.status).toBe(403);
  });
});

describe('the instructor', () => {
  it('gets 403 on student routes', async () => {
    expect((await instructor.get('/api/me')).status).toBe(403);
    expect((await instructor.put('/api/progress/client-and-server', {})).status).toBe(403);
  });

  it('reads a student\'s transcript read-only, and gets 404 for sessions of someone else', async () => {
    const { session, events } = await instructor.json<{ session: { id: string }; events: unknown[] }>(`/api/classroom/students/${bo.id}/sessions/${boSessionId}`);
    expect(session.id).toBe(boSessionId);
    expect(events.length).toBeGreaterThan(5);
    expect((await instructor.get(`/api/classroom/students/${ana.id}/sessions/${boSessionId}`)).status).toBe(404);
    expect((await instructor.get('/api/classroom/students/nobody/sessions')).status).toBe(404);
  });
});

describe('a removed student', () => {
  it('is refused everywhere at once, and their open connection is closed', async () => {
    const dee = await studentOf(app, instructor, 'Dee');
    const socket = await dee.openSocket();
    await socket.openSession();
    expect((await instructor.delete(`/api/classroom/students/${dee.id}`)).status).toBe(200);
    expect(await socket.closed()).toEqual({ code: 4001, reason: 'The instructor removed you from the class.' });
    expect((await dee.get('/api/me')).status).toBe(401);
    expect((await dee.get('/api/messages')).status).toBe(401);
    await expect(dee.openSocket()).rejects.toThrow('upgrade refused: 401');
    expect((await dee.post('/api/class/resume', { token: dee.cookies.get('smtp_lab_student') })).status).toBe(404);
    const roster = await instructor.json<{ students: { student: { id: string } }[] }>('/api/classroom/roster');
    expect(roster.students.map((entry) => entry.student.id)).not.toContain(dee.id);
  });
});
