/**
 * The instructor's one-time setup, the CSV export and a restart on the
 * same data directory, each against a real server.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Actor, instructorOf, PASSWORD, startClassroom, studentOf } from './classroom-app.ts';

/** The write-ahead log, which holds recent commits until a checkpoint; absent is empty. */
function walOf(databaseFile: string): Buffer {
  try {
    return readFileSync(`${databaseFile}-wal`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

describe('instructor setup', () => {
  it('needs the printed secret once, then only the password; the database never holds either', async () => {
    const app = await startClassroom();
    try {
      const secret = app.classroom?.setupSecret;
      expect(secret).toMatch(/^[\w-]{43}$/);
      expect(app.classroom?.instructorUrl).toBe(`${app.urls.http}instructor`);
      const visitor = new Actor(app.urls.http);
      expect(await visitor.json('/api/classroom')).toMatchObject({ mode: 'classroom', instructorSetUp: false, you: { instructor: false, student: null } });
      expect((await visitor.post('/api/instructor/setup', { secret: 'guess', password: PASSWORD })).status).toBe(403);
      expect((await visitor.post('/api/instructor/setup', { secret, password: 'short' })).status).toBe(400);
      expect((await visitor.post('/api/instructor/setup', { secret, password: PASSWORD })).status).toBe(201);
      expect(await visitor.json('/api/classroom')).toMatchObject({ instructorSetUp: true, you: { instructor: true } });
      const late = new Actor(app.urls.http);
      expect(await (await late.post('/api/instructor/setup', { secret, password: 'another long password' })).json()).toMatchObject({ error: { code: 'already_set_up' } });
      expect((await late.post('/api/instructor/login', { password: 'another long password' })).status).toBe(401);
      expect((await late.post('/api/instructor/login', { password: PASSWORD })).status).toBe(200);
      expect((await late.get('/api/classroom/roster')).status).toBe(200);
      expect((await late.post('/api/instructor/logout')).status).toBe(200);
      expect((await late.get('/api/classroom/roster')).status).toBe(401);

      const files = [readFileSync(app.databaseFile!), walOf(app.databaseFile!)];
      // The scan must see what was stored: the password's scrypt hash is in these bytes, so an
      // unread or wrong file cannot pass as "holds no secret".
      expect(files[0]?.length).toBeGreaterThan(0);
      expect(Buffer.concat(files).includes('scrypt$32768$8$1$')).toBe(true);
      for (const bytes of files) {
        expect(bytes.includes(PASSWORD)).toBe(false);
        expect(bytes.includes(secret ?? 'x')).toBe(false);
      }
    } finally {
      await app.close('test finished');
    }
  });
});

describe('CSV export', () => {
  it('escapes names and neutralizes formulas', async () => {
    const app = await startClassroom();
    try {
      const instructor = await instructorOf(app);
      const eve = await studentOf(app, instructor, '=HYPERLINK("http://x","y")');
      await studentOf(app, instructor, 'Doe, "Jo"');
      expect((await eve.put('/api/progress/client-and-server', { completed: true, attempts: 2, hintsUsed: 1 })).status).toBe(200);
      const response = await instructor.get('/api/classroom/progress.csv');
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="smtp-lab-progress-\d{4}-\d{2}-\d{2}\.csv"/);
      const lines = (await response.text()).replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toMatch(/^Name,Class address,Joined,Current lesson,Lessons completed,With the solution,Attempts,Hints used,01 Client and server,02 The greeting,/);
      expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",hyperlink\.http\.x\.y@class\.smtp-lab\.test,[^,]+,client-and-server,1,0,2,1,completed,,/);
      expect(lines[2]).toMatch(/^"Doe, ""Jo""",doe\.jo@class\.smtp-lab\.test,/);
    } finally {
      await app.close('test finished');
    }
  });
});

describe('a restart', () => {
  it('keeps the class, the students (their cookies still work), progress, mail and settings', async () => {
    const first = await startClassroom();
    const instructor = await instructorOf(first);
    const ana = await studentOf(first, instructor, 'Ana');
    const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
    expect((await ana.put('/api/progress/client-and-server', { completed: true })).status).toBe(200);
    const socket = await ana.openSocket();
    await socket.openSession();
    for (const line of ['EHLO ana.example', `MAIL FROM:<${ana.address}>`, `RCPT TO:<${ana.address}>`, 'DATA']) await socket.command(line);
    expect((await socket.command('Subject: before the restart\r\n\r\nkept\r\n.')).code).toBe(250);
    socket.close();
    const parsed = async () => (await ana.json<{ messages: { subject: string | null }[] }>('/api/messages')).messages[0]?.subject;
    for (let tries = 0; tries < 200 && !(await parsed()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // After the mail: greylisting would have refused its recipient.
    expect((await instructor.put('/api/classroom/behaviours', { greylist: true })).status).toBe(200);
    expect((await instructor.put('/api/classroom/lessons', { openLessons: ['client-and-server', 'the-greeting'] })).status).toBe(200);
    await first.close('restart');

    const second = await startClassroom(dirname(first.databaseFile!));
    try {
      expect(second.classroom?.setupSecret).toBeNull();
      const restartedAna = Object.assign(new Actor(second.urls.http), { cookies: ana.cookies });
      const restartedInstructor = Object.assign(new Actor(second.urls.http), { cookies: instructor.cookies });
      const me = await restartedAna.json<{ student: { id: string }; openLessons: string[]; progress: { lessonId: string }[] }>('/api/me');
      expect(me.student.id).toBe(ana.id);
      expect(me.openLessons).toEqual(['client-and-server', 'the-greeting']);
      expect(me.progress.map((record) => record.lessonId)).toEqual(['client-and-server']);
      const { messages } = await restartedAna.json<{ messages: { subject: string }[] }>('/api/messages');
      expect(messages.map((message) => message.subject)).toEqual(['before the restart']);
      const overview = await restartedInstructor.json<{ joinCode: string; behaviours: { greylist: boolean } }>('/api/classroom/overview');
      expect(overview).toMatchObject({ joinCode, behaviours: { greylist: true } });
      // The behaviour is in force again in the sandbox: the first RCPT is greylisted.
      const live = await restartedAna.openSocket();
      await live.openSession();
      await live.command('EHLO ana.example');
      await live.command('MAIL FROM:<ana@example.com>');
      expect((await live.command('RCPT TO:<someone@example.org>')).code).toBe(451);
      live.close();
    } finally {
      await second.close('test finished');
    }
  });
});
