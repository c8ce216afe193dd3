/**
 * Live classroom behaviour through the real bridge: class mail from A to B lands in B's
 * mailbox only, an unknown class address gets 550, the instructor's roster and watch feed
 * follow a student's session, notices reach students (and wait for those who reconnect), and
 * a class-wide behaviour switch takes effect on the next session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { Actor, CLASS_DOMAIN, instructorOf, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let ana: Awaited<ReturnType<typeof studentOf>>;
let bo: Awaited<ReturnType<typeof studentOf>>;
let cy: Awaited<ReturnType<typeof studentOf>>;

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
  cy = await studentOf(app, instructor, 'Cy');
});
afterAll(() => app.close('test finished'));

async function mailbox(actor: Actor): Promise<{ id: number; subject: string | null; rcptTo: string[] }[]> {
  return (await actor.json<{ messages: { id: number; subject: string | null; rcptTo: string[] }[] }>('/api/messages')).messages;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    const value = await read();
    if (done(value) || tries > 200) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('class mail', () => {
  it('from A to B is delivered into B\'s namespace (and A\'s own), never C\'s; an unknown class address gets 550', async () => {
    expect(bo.address).toBe(`bo@${CLASS_DOMAIN}`);
    const boSocket = await bo.openSocket();
    const socket = await ana.openSocket();
    await socket.openSession();
    expect((await socket.command('EHLO ana.example')).code).toBe(250);
    expect((await socket.command(`MAIL FROM:<${ana.address}>`)).code).toBe(250);
    expect((await socket.command(`RCPT TO:<${bo.address.toUpperCase()}>`)).code).toBe(250);
    const unknown = await socket.command(`RCPT TO:<zed@${CLASS_DOMAIN}>`);
    expect(unknown.raw).toBe(`550 5.1.1 <zed@${CLASS_DOMAIN}>: Recipient address rejected: nobody in this class has that address\r\n`);
    expect((await socket.command('RCPT TO:<friend@example.org>')).code).toBe(250);
    expect((await socket.command('DATA')).code).toBe(354);
    expect((await socket.command('Subject: hello neighbour\r\n\r\nHi Bo!\r\n.')).code).toBe(250);
    socket.close();

    // Stored at once, parsed (Subject…) a moment later.
    const boMail = await eventually(() => mailbox(bo), (list) => list[0]?.subject !== undefined && list[0]?.subject !== null);
    expect(boMail.map((m) => m.subject)).toEqual(['hello neighbour']);
    expect(boMail[0]?.rcptTo).toEqual([bo.address.toUpperCase(), 'friend@example.org']);
    expect((await eventually(() => mailbox(ana), (list) => Boolean(list[0]?.subject))).map((m) => m.subject)).toEqual(['hello neighbour']);
    expect(await mailbox(cy)).toEqual([]);
    expect(await mailbox(instructor)).toEqual([]);
    // B's open tab is told.
    expect(await boSocket.waitFor((m) => m.type === 'message.captured')).toMatchObject({ summary: { subject: 'hello neighbour' } });
    boSocket.close();
  });
});

describe('the instructor\'s live view', () => {
  it('follows a student: roster rows, a watch snapshot, then every session message', async () => {
    const dashboard = await instructor.openSocket('?as=instructor');
    const socket = await cy.openSocket();
    expect(await dashboard.waitFor((m) => m.type === 'class.student' && (m.entry as { student: { id: string }; online: boolean }).student.id === cy.id)).toMatchObject({
      entry: { online: true, connections: 1 },
    });
    await socket.openSession();
    expect((await socket.command('EHLO cy.example')).code).toBe(250);

    const from = dashboard.received.length;
    dashboard.send({ type: 'watch', studentId: cy.id });
    const snapshot = await dashboard.waitFor((m) => m.type === 'watch.snapshot', from);
    const [live] = snapshot.sessions as { sessionId: string; label: string; events: { type: string }[] }[];
    expect(live?.events.map((event) => event.type)).toEqual(['socket.opened', 'server.reply', 'client.line', 'server.reply']);

    expect((await socket.command('MAIL FROM:<cy@example.com>')).code).toBe(250);
    const relayed = await dashboard.waitFor((m) => m.type === 'watch.message' && (m.message as { type: string; event?: { type: string } }).event?.type === 'client.line', from);
    expect(relayed).toMatchObject({ studentId: cy.id, message: { type: 'session.event', sessionId: live?.sessionId, event: { text: 'MAIL FROM:<cy@example.com>' } } });
    const roster = await instructor.json<{ students: { student: { id: string }; online: boolean; sessions: { label: string }[] }[] }>('/api/classroom/roster');
    const row = roster.students.find((entry) => entry.student.id === cy.id);
    expect(row?.online).toBe(true);
    expect(row?.sessions).toHaveLength(1);
    expect(row?.sessions[0]?.label).toMatch(/\w/);

    expect((await cy.put('/api/progress/client-and-server', { completed: true })).status).toBe(200);
    expect(await dashboard.waitFor((m) => m.type === 'class.student' && (m.entry as { completed: string[] }).completed.includes('client-and-server'), from)).toMatchObject({ entry: { student: { currentLesson: 'client-and-server' } } });
    socket.close();
    dashboard.close();
  });

  it('sends notices live, and a student who reconnects finds them', async () => {
    const socket = await ana.openSocket();
    await socket.waitFor((m) => m.type === 'welcome');
    expect((await instructor.post('/api/classroom/notices', { text: 'Try lesson 2', kind: 'hint', studentId: ana.id, lessonId: 'the-greeting' })).status).toBe(201);
    expect((await instructor.post('/api/classroom/notices', { text: 'Break in 5 minutes' })).status).toBe(201);
    expect(await socket.waitFor((m) => m.type === 'class.notice')).toMatchObject({ notice: { text: 'Try lesson 2', kind: 'hint', studentId: ana.id } });
    socket.close();
    const me = await ana.json<{ notices: { text: string }[] }>('/api/me');
    expect(me.notices.map((notice) => notice.text)).toEqual(['Try lesson 2', 'Break in 5 minutes']);
    const other = await bo.json<{ notices: { text: string }[] }>('/api/me');
    expect(other.notices.map((notice) => notice.text)).toEqual(['Break in 5 minutes']);
  });

  it('caps the connections of one student', async () => {
    const dee = await studentOf(app, instructor, 'Dee');
    const sockets = [];
    for (let i = 0; i < 8; i++) sockets.push(await dee.openSocket());
    await expect(dee.openSocket()).rejects.toThrow('upgrade refused: 429');
    // Others are not affected.
    const other = await cy.openSocket();
    other.close();
    for (const socket of sockets) socket.close();
  });
});

describe('class-wide behaviours', () => {
  it('take effect on the next session', async () => {
    const before = await ana.openSocket();
    await before.openSession();
    expect((await before.command('EHLO ana.example')).code).toBe(250);
    const response = await instructor.put('/api/classroom/behaviours', { requireAuth: true, maxMessageSize: 2048 });
    expect(await response.json()).toMatchObject({ behaviours: { requireAuth: true, maxMessageSize: 2048, greylist: false } });

    const after = await ana.openSocket();
    await after.openSession();
    expect((await after.command('EHLO ana.example')).raw).toContain('250 SIZE 2048\r\n');
    expect((await after.command('MAIL FROM:<ana@example.com>')).raw).toBe('530 5.7.0 Error: authentication Required\r\n');
    before.close();
    after.close();
    expect((await instructor.put('/api/classroom/behaviours', { requireAuth: false, maxMessageSize: 10 * 1024 * 1024 })).status).toBe(200);
  });
});
