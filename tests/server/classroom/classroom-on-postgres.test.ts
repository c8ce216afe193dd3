/**
 * The classroom's HTTP side served by two processes on one PostgreSQL database, as behind a
 * load balancer: two classrooms, each with its own connection pool and its own HTTP listener
 * on loopback. Whatever one process stores, the other serves; the attempt budgets count both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRONG_CODES_PER_MINUTE } from '../../../server/classroom/attempt-limits.ts';
import { LocalEventBus } from '../../../server/events/local-event-bus.ts';
import { createClassroom, type Classroom } from '../../../server/classroom/create-classroom.ts';
import { createHttpHandler } from '../../../server/http/create-http-handler.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { Actor, PASSWORD } from './classroom-app.ts';

interface Process {
  readonly classroom: Classroom;
  readonly url: string;
  close(): Promise<void>;
}

/** One serving process's classroom and HTTP listener, all of it on the shared database. */
async function startProcess(db: SqlDatabase): Promise<Process> {
  const sessions = new SessionStore(db);
  const errors: unknown[] = [];
  const classroom = await createClassroom({
    db,
    events: new LocalEventBus(),
    classDomain: 'class.smtp-lab.test',
    maxMessageSize: 10 * 1024 * 1024,
    allowedHosts: HostAllowList.loopback(),
    allowedOrigins: [],
    transcripts: sessions,
    sources: { liveSessions: () => [], recordedEvents: async () => null, labelOf: () => null },
    purgeNamespace: async () => undefined,
    onError: (error) => errors.push(error),
  });
  const server: Server = createServer(
    createHttpHandler({ messages: new MessageStore(db), sessions, staticDir: null, namespaceOf: () => 'default', classroom, onError: (error) => errors.push(error) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    classroom,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sessions.flush();
      expect(errors).toEqual([]);
    },
  };
}

describe.skipIf(postgresAdminUrl() === null)('the classroom served by two processes on one PostgreSQL database', () => {
  let drop: () => Promise<void>;
  let secondPool: SqlDatabase;
  let a: Process;
  let b: Process;

  beforeAll(async () => {
    const fresh = await freshDatabase('postgres');
    drop = fresh.drop;
    secondPool = await openPostgres(fresh.url!);
    a = await startProcess(fresh.db);
    b = await startProcess(secondPool);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await secondPool?.close();
    await drop?.();
  });

  it('serves one class: set up on A, joined on B, progress on A, seen and removed from B', async () => {
    // Both processes print the same join URL: the first to start made the code, the other kept it.
    const [infoA, infoB] = [await a.classroom.startInfo(a.url), await b.classroom.startInfo(b.url)];
    expect(new URL(infoA.joinUrl).pathname).toBe(new URL(infoB.joinUrl).pathname);

    const onA = new Actor(a.url);
    // The secret printed by the last start (B's) is the one that works, whichever process is asked.
    expect((await onA.post('/api/instructor/setup', { secret: infoA.setupSecret, password: PASSWORD })).status).toBe(403);
    expect((await onA.post('/api/instructor/setup', { secret: infoB.setupSecret, password: PASSWORD })).status).toBe(201);
    const { joinCode } = await onA.json<{ joinCode: string }>('/api/classroom/overview');

    const student = new Actor(b.url);
    const joined = await student.post('/api/class/join', { code: joinCode, displayName: 'Ana' });
    expect(joined.status).toBe(201);
    const { student: ana } = (await joined.json()) as { student: { id: string } };

    // The same cookies work on the other process: sessions and students are in the shared tables.
    const studentOnA = new Actor(a.url);
    for (const [name, value] of student.cookies) studentOnA.cookies.set(name, value);
    const { lessons } = await onA.json<{ lessons: { id: string }[] }>('/api/classroom/overview');
    expect((await studentOnA.put(`/api/progress/${lessons[0]!.id}`, { completed: true })).status).toBe(200);

    const onB = new Actor(b.url);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const roster = await onB.json<{ students: { student: { id: string; currentLesson: string | null }; completed: string[] }[] }>('/api/classroom/roster');
    expect(roster.students).toEqual([expect.objectContaining({ student: expect.objectContaining({ id: ana.id, currentLesson: lessons[0]!.id }), completed: [lessons[0]!.id] })]);

    expect((await onB.post('/api/classroom/notices', { studentId: null, kind: 'message', lessonId: null, text: 'Hello from B' })).status).toBe(201);
    expect((await studentOnA.json<{ notices: { text: string }[] }>('/api/me')).notices.map((notice) => notice.text)).toEqual(['Hello from B']);

    expect((await onB.delete(`/api/classroom/students/${ana.id}`)).status).toBe(200);
    expect((await studentOnA.get('/api/me')).status).toBe(401);
  });

  it('counts a guesser’s wrong codes on both processes against one budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < WRONG_CODES_PER_MINUTE + 2; i++) {
      const target = i % 2 === 0 ? a : b;
      statuses.push((await new Actor(target.url).post('/api/class/join', { code: 'AAAAAA', displayName: 'Guess' })).status);
    }
    expect(statuses).toEqual([...Array(WRONG_CODES_PER_MINUTE).fill(403), 429, 429]);
  });
});
