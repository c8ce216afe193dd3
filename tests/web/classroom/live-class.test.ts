import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { CLOSE_REMOVED_FROM_CLASS } from '../../../protocol/wire/classroom-contract.ts';
import { StudentClassroom } from '../../../web/src/classroom/student-classroom.svelte.ts';
import { ClassDashboard } from '../../../web/src/instructor/class-dashboard.svelte.ts';
import { FakeWebSocket, WELCOME } from '../live/fake-websocket.ts';
import { CLASS_DOMAIN, FakeClassServer, meOf, student } from './fake-server.ts';
import { BEHAVIOURS, entry, LESSONS, LIMITS } from './fixtures.ts';
import { ehlo, greeting, opened } from './wire-events.ts';

const ana = student('Ana');
const notice = (id: number, text: string, studentId: string | null = null) => ({ id, studentId, kind: 'message' as const, lessonId: null, text, createdAt: '2026-11-27T10:05:00.000Z' });
const WebSocketImpl = FakeWebSocket as unknown as typeof WebSocket;
const disposers: (() => void)[] = [];

afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
  FakeWebSocket.instances = [];
  vi.useRealTimers();
});

function studentClass(server = new FakeClassServer(), me = meOf(ana, { notices: [notice(1, 'Welcome!')], openLessons: ['client-and-server'] })) {
  const classroom = new StudentClassroom(new ClassroomApi(server.fetch), me, { url: 'ws://lab/ws', WebSocketImpl, backoffMs: [10], toastMs: 60_000 });
  disposers.push(() => classroom.dispose());
  classroom.connect();
  const socket = FakeWebSocket.latest();
  socket.accept();
  socket.deliver(WELCOME);
  return { classroom, socket, server };
}

describe('StudentClassroom', () => {
  it('starts from /api/me, then shows pushed notices as toasts and follows the open lessons', () => {
    const { classroom, socket } = studentClass();
    expect(socket.url).toBe('ws://lab/ws');
    expect(socket.sent[0]).toEqual({ type: 'hello', version: 1 });
    expect(classroom.connected).toBe(true);
    expect(classroom.notices.map((item) => item.text)).toEqual(['Welcome!']);
    expect(classroom.toasts).toEqual([]);
    expect(classroom.openLessons).toEqual(['client-and-server']);

    socket.deliver({ type: 'class.notice', notice: notice(2, 'Try EHLO.', 'ana') });
    expect(classroom.notices.map((item) => item.text)).toEqual(['Try EHLO.', 'Welcome!']);
    expect(classroom.toasts.map((item) => item.text)).toEqual(['Try EHLO.']);
    classroom.dismissToast(2);
    expect(classroom.toasts).toEqual([]);

    socket.deliver({ type: 'class.settings', openLessons: null });
    expect(classroom.openLessons).toBeNull();
  });

  it('catches up after a reconnect with what was said meanwhile', async () => {
    const server = new FakeClassServer().on('GET /api/me', {
      status: 200,
      body: meOf(ana, { notices: [notice(3, 'Break until 11.'), notice(1, 'Welcome!')], openLessons: ['client-and-server', 'the-greeting'] }),
    });
    const { classroom, socket } = studentClass(server);
    socket.drop();
    expect(classroom.connected).toBe(false);
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    const again = FakeWebSocket.latest();
    again.accept();
    again.deliver(WELCOME);
    await vi.waitFor(() => expect(classroom.notices.map((item) => item.id)).toEqual([3, 1]));
    expect(classroom.toasts.map((item) => item.text)).toEqual(['Break until 11.']);
    expect(classroom.openLessons).toEqual(['client-and-server', 'the-greeting']);
    expect(classroom.connected).toBe(true);
  });

  it('stops for good, with the reason, when the instructor removes the student', async () => {
    const { classroom, socket } = studentClass();
    socket.readyState = FakeWebSocket.CLOSED;
    socket.dispatchEvent(new CloseEvent('close', { code: CLOSE_REMOVED_FROM_CLASS, reason: 'The instructor removed you from the class.' }));
    expect(classroom.removed).toBe('The instructor removed you from the class.');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('ClassDashboard', () => {
  function dashboardServer() {
    return new FakeClassServer()
      .on('GET /api/classroom/overview', {
        status: 200,
        body: { joinCode: 'K7QX2M', joinPath: '/join/K7QX2M', classDomain: CLASS_DOMAIN, instructorAddress: `instructor@${CLASS_DOMAIN}`, lessons: LESSONS, openLessons: null, behaviours: BEHAVIOURS, behaviourLimits: LIMITS, webUrls: ['http://127.0.0.1:8025/'] },
      })
      .on('GET /api/classroom/roster', { status: 200, body: { students: [entry('Bo')] } })
      .on('GET /api/classroom/progress', { status: 200, body: { lessons: LESSONS, students: [] } })
      .on('GET /api/classroom/notices', { status: 200, body: { notices: [] } });
  }

  async function started(server = dashboardServer()) {
    const dashboard = new ClassDashboard(new ClassroomApi(server.fetch), { url: 'ws://lab/ws?as=instructor', WebSocketImpl, backoffMs: [10] });
    disposers.push(() => dashboard.dispose());
    await dashboard.start();
    const socket = FakeWebSocket.latest();
    socket.accept();
    socket.deliver(WELCOME);
    return { dashboard, socket, server };
  }

  it('loads the class and keeps the roster current from the pushes', async () => {
    const { dashboard, socket } = await started();
    expect(socket.url).toBe('ws://lab/ws?as=instructor');
    expect(dashboard.overview?.joinCode).toBe('K7QX2M');
    expect(dashboard.roster.map((row) => row.student.displayName)).toEqual(['Bo']);
    socket.deliver({ type: 'class.student', entry: entry('Ana', { completed: ['client-and-server'] }) });
    socket.deliver({ type: 'class.student', entry: entry('Bo', { online: false, connections: 0 }) });
    expect(dashboard.roster.map((row) => [row.student.displayName, row.online, row.completed.length])).toEqual([
      ['Bo', false, 0],
      ['Ana', true, 1],
    ]);
    socket.deliver({ type: 'class.student.removed', studentId: 'bo' });
    expect(dashboard.roster.map((row) => row.student.id)).toEqual(['ana']);
    socket.deliver({ type: 'class.notice', notice: notice(4, 'Hello class') });
    expect(dashboard.notices.map((item) => item.text)).toEqual(['Hello class']);
    socket.deliver({ type: 'class.settings', openLessons: ['client-and-server'] });
    expect(dashboard.overview?.openLessons).toEqual(['client-and-server']);
  });

  it("watches a student's sessions read-only and stops when asked", async () => {
    const { dashboard, socket } = await started();
    dashboard.watch('bo');
    expect(socket.sent.at(-1)).toEqual({ type: 'watch', studentId: 'bo' });
    socket.deliver({
      type: 'watch.snapshot',
      studentId: 'bo',
      sessions: [{ sessionId: 's1', target: 'sandbox', startedAt: '2026-11-27T10:00:00.000Z', state: 'greeted', label: 'Greeted', events: [opened, greeting], omittedEvents: 0 }],
    });
    expect(dashboard.watched[0]?.view.transcript).toHaveLength(2);
    socket.deliver({ type: 'watch.message', studentId: 'bo', message: { type: 'session.event', sessionId: 's1', event: ehlo } });
    expect(dashboard.watched[0]?.view.transcript.at(-1)?.text).toBe('EHLO ana.example');
    // Another student's messages are not this watch's.
    socket.deliver({ type: 'watch.message', studentId: 'cy', message: { type: 'session.event', sessionId: 's9', event: opened } });
    expect(dashboard.watched).toHaveLength(1);
    dashboard.unwatch();
    expect(socket.sent.at(-1)).toEqual({ type: 'unwatch', studentId: 'bo' });
    expect(dashboard.watched).toEqual([]);
  });

  it('changes the class through the API and shows the result', async () => {
    const server = dashboardServer()
      .on('PUT /api/classroom/behaviours', (body) => ({ status: 200, body: { behaviours: { ...BEHAVIOURS, ...(body as object) }, limits: LIMITS } }))
      .on('POST /api/classroom/join-code', { status: 200, body: { joinCode: 'NEWC0D', joinPath: '/join/NEWC0D' } })
      .on('DELETE /api/classroom/students/bo?purge=1', { status: 200, body: { removed: 'bo', purged: true } });
    const { dashboard } = await started(server);
    await dashboard.changeBehaviours({ greylist: true });
    expect(dashboard.overview?.behaviours.greylist).toBe(true);
    await dashboard.rotateJoinCode();
    expect(dashboard.overview?.joinCode).toBe('NEWC0D');
    const removed = await dashboard.removeStudent('bo', true);
    expect(removed.ok).toBe(true);
    expect(dashboard.roster).toEqual([]);
  });
});
