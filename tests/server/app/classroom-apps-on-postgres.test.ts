/**
 * Two whole classroom apps (startApp with --database, as two `serve` processes) on one
 * PostgreSQL database, talked to over real HTTP and real WebSockets: the instructor's
 * dashboard on A sees a student who joined and connected on B, live; a notice sent on A
 * reaches the student's tab on B; class mail taken by A's sandbox shows in her tab on B; the
 * instructor on A watches a session the student runs on B, live.
 */
import { isDeepStrictEqual } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import { Actor, actorOn, CLASS_DOMAIN, instructorOf, studentOf, type LiveSocket } from '../classroom/classroom-app.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { testConfig } from './app-config.ts';

type Message = { type: string; [key: string]: unknown };
type Entry = { student: { id: string }; online: boolean; connections: number; completed: string[] };

/** A roster row for the student matching `check`. */
const rowOf = (studentId: string, check: (entry: Entry) => boolean) => (message: Message) =>
  message.type === 'class.student' && (message.entry as Entry).student.id === studentId && check(message.entry as Entry);

describe.skipIf(postgresAdminUrl() === null)('two classroom apps on one PostgreSQL database', () => {
  let drop: () => Promise<void>;
  let a: RunningApp;
  let b: RunningApp;
  let instructorOnB: Actor;
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    const fresh = await freshDatabase('postgres');
    drop = fresh.drop;
    const config = { classroom: true, 'class-domain': CLASS_DOMAIN, database: fresh.url! };
    a = await startApp(testConfig(config));
    b = await startApp(testConfig(config));
    // The setup secret the last start printed (B's) works on either process; the sign-in cookie too.
    instructorOnB = await instructorOf(b);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await a?.close('test finished');
    await b?.close('test finished');
    await drop?.();
  });

  /** The instructor, signed in through B, with their dashboard open on A. */
  async function dashboardOnA(): Promise<{ instructorOnA: Actor; dashboard: LiveSocket }> {
    const instructorOnA = actorOn(instructorOnB, a.urls.http);
    const dashboard = await instructorOnA.openSocket('?as=instructor');
    sockets.push(dashboard);
    await dashboard.waitFor((message) => message.type === 'welcome');
    return { instructorOnA, dashboard };
  }

  it('shows A’s dashboard a student joining, coming online and progressing on B, and takes A’s notice to her tab on B', async () => {
    const { instructorOnA, dashboard } = await dashboardOnA();

    const ana = await studentOf(b, instructorOnB, 'Ana');
    await dashboard.waitFor(rowOf(ana.id, (entry) => !entry.online));

    const tab = await ana.openSocket();
    sockets.push(tab);
    await dashboard.waitFor(rowOf(ana.id, (entry) => entry.online && entry.connections === 1));

    const { lessons } = await instructorOnA.json<{ lessons: { id: string }[] }>('/api/classroom/overview');
    const lesson = lessons[0]!.id;
    expect((await ana.put(`/api/progress/${lesson}`, { completed: true })).status).toBe(200);
    await dashboard.waitFor(rowOf(ana.id, (entry) => entry.completed.includes(lesson)));

    expect((await instructorOnA.post('/api/classroom/notices', { studentId: ana.id, kind: 'hint', lessonId: null, text: 'Look at the 250' })).status).toBe(201);
    const notice = await tab.waitFor((message) => message.type === 'class.notice');
    expect(notice).toMatchObject({ notice: { text: 'Look at the 250', studentId: ana.id } });

    tab.close();
    await dashboard.waitFor(rowOf(ana.id, (entry) => !entry.online && entry.connections === 0));
  });

  it('shows class mail that A’s sandbox took in the student’s open tab on B (message.captured)', async () => {
    const bo = await studentOf(b, instructorOnB, 'Bo');
    const tab = await bo.openSocket();
    sockets.push(tab);
    await tab.waitFor((message) => message.type === 'welcome');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: a.ports.smtp, secure: false, ignoreTLS: true });
    const sent = await transport.sendMail({ from: 'alice@example.com', to: bo.address, subject: 'across processes', text: 'Hello Bo.' });
    expect(sent.response).toMatch(/^250 /);
    const pushed = await tab.waitFor((message) => message.type === 'message.captured');
    expect(pushed).toMatchObject({ summary: { subject: 'across processes', rcptTo: [bo.address] } });
  });

  it('lets the instructor on A watch a session the student runs on B: snapshot, then every line once and in order, closed; unwatch stops it', async () => {
    const { dashboard } = await dashboardOnA();
    const cleo = await studentOf(b, instructorOnB, 'Cleo');
    const tab = await cleo.openSocket();
    sockets.push(tab);
    await tab.waitFor((message) => message.type === 'welcome');
    await tab.openSession();
    expect((await tab.command('EHLO cleo.example')).code).toBe(250);
    const opened = await tab.waitFor((message) => message.type === 'session.opened');
    const sessionId = opened.sessionId as string;
    // A has heard of the session (B's presence) before the watch.
    await dashboard.waitFor(rowOf(cleo.id, (entry) => (entry as Entry & { sessions: unknown[] }).sessions.length === 1));

    dashboard.send({ type: 'watch', studentId: cleo.id });
    const snapshot = (await dashboard.waitFor((message) => message.type === 'watch.snapshot')) as unknown as {
      sessions: { sessionId: string; target: string; events: unknown[] }[];
    };
    expect(snapshot.sessions).toEqual([expect.objectContaining({ sessionId, target: 'sandbox' })]);
    // The greeting was recorded on B before the watch: the snapshot has it.
    expect(snapshot.sessions[0]!.events[0]).toMatchObject({ type: expect.any(String) });

    const relayed = (message: Message) => message.type === 'watch.message' && (message.message as { sessionId: string }).sessionId === sessionId;
    // Live: each reply reaches the dashboard on A while the session is still open on B.
    for (const command of ['NOOP', 'RSET']) {
      expect((await tab.command(command)).code).toBe(250);
      const reply = tab.received.at(-1) as Message;
      await dashboard.waitFor((message) => relayed(message) && isDeepStrictEqual((message.message as Message).event, reply.event));
    }
    tab.send({ type: 'session.close' });
    await tab.waitFor((message) => message.type === 'session.closed');
    const closed = await dashboard.waitFor((message) => relayed(message) && (message.message as Message).type === 'session.closed');
    expect(closed).toMatchObject({ studentId: cleo.id, message: { type: 'session.closed', sessionId, reason: expect.any(String) } });

    // Snapshot then relayed lines: exactly what the student's tab was sent, in order, none twice.
    const onTab = tab.received.flatMap((message) => (message.type === 'session.event' && message.sessionId === sessionId ? [message.event] : []));
    const onDashboard = [
      ...snapshot.sessions[0]!.events,
      ...dashboard.received.flatMap((message) => {
        const inner = (message as Message).message as Message | undefined;
        return relayed(message as Message) && inner?.type === 'session.event' ? [inner.event] : [];
      }),
    ];
    expect(onDashboard).toEqual(onTab);
    expect(onTab.length).toBeGreaterThan(4);

    // Unwatched: a second session on B reaches A's roster, and none of its lines the dashboard.
    dashboard.send({ type: 'unwatch', studentId: cleo.id });
    const afterUnwatch = dashboard.received.length;
    await tab.openSession();
    expect((await tab.command('NOOP')).code).toBe(250);
    await dashboard.waitFor(rowOf(cleo.id, (entry) => (entry as Entry & { sessions: unknown[] }).sessions.length === 1), afterUnwatch);
    const rowsFrom = dashboard.received.length;
    tab.send({ type: 'session.close' });
    // B announces the closed session after its lines are written, so A has heard of those lines by now.
    await dashboard.waitFor(rowOf(cleo.id, (entry) => (entry as Entry & { sessions: unknown[] }).sessions.length === 0), rowsFrom);
    expect(dashboard.received.slice(afterUnwatch).filter((message) => message.type.startsWith('watch.'))).toEqual([]);
  });
});
