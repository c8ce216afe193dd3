import { describe, expect, it } from 'vitest';
import { LiveHub, WATCH_SNAPSHOT_BYTES, WATCH_SNAPSHOT_EVENTS, type HubSession } from '../../../server/classroom/live-hub.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { describeEachEngine } from '../../support/sql-engines.ts';
import { joinClass, openClass } from './class-fixture.ts';
import { FakeConnection } from './fake-hub-connection.ts';
import { liveSessionsFrom } from '../../support/live-sessions.ts';

/** The hub's snapshot reads are done (they take microtasks on SQLite and in the fakes). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

async function setUp(db: SqlDatabase) {
  const service = await openClass(db);
  const sessions: HubSession[] = [];
  const events = new Map<string, unknown[]>();
  const recordedEvents = async (_namespace: string, id: string, maxEvents: number) => {
    const all = events.get(id);
    return all === undefined ? null : { events: all.slice(-maxEvents), omitted: Math.max(all.length - maxEvents, 0) };
  };
  const labelOf = (id: string) => sessions.find((session) => session.sessionId === id)?.label ?? null;
  const hub = new LiveHub(service, { liveSessions: liveSessionsFrom(sessions), recordedEvents, labelOf }, 2);
  const join = async (name: string) => (await joinClass(service, name)).student;
  return { service, hub, sessions, events, join };
}

describeEachEngine('LiveHub', (current) => {
  it('admits a few tabs per student and any number for the instructor', async () => {
    const { hub, join } = await setUp(current.db);
    const ana = await join('Ana');
    const namespace = `student:${ana.id}`;
    hub.connected(new FakeConnection(namespace));
    expect(hub.admit(namespace)).toEqual({ ok: true });
    hub.connected(new FakeConnection(namespace));
    expect(hub.admit(namespace)).toMatchObject({ ok: false, status: 429 });
    for (let i = 0; i < 5; i++) hub.connected(new FakeConnection('instructor'));
    expect(hub.admit('instructor')).toEqual({ ok: true });
  });

  it('tells the instructor about roster changes and relays watched sessions after a snapshot', async () => {
    const { service, hub, sessions, events, join } = await setUp(current.db);
    const ana = await join('Ana');
    const namespace = `student:${ana.id}`;
    const dashboard = new FakeConnection('instructor');
    hub.connected(dashboard);
    const tab = new FakeConnection(namespace);
    hub.connected(tab);
    await hub.idle();
    expect(dashboard.sent.at(-1)).toMatchObject({ type: 'class.student', entry: { student: { id: ana.id }, online: true, connections: 1 } });

    sessions.push({ namespace, sessionId: 's1', target: 'sandbox', startedAt: '2025-01-01T00:00:00.000Z', state: 'greeted', label: 'Greeted' });
    events.set('s1', [{ type: 'socket.opened', server: 'x' }]);
    expect(await hub.clientMessage(dashboard, { type: 'watch', studentId: ana.id })).toBeNull();
    // Relayed while the snapshot is read: it follows the snapshot.
    const early = { type: 'session.event', sessionId: 's1', event: { type: 'client.line' } };
    hub.sessionMessage(namespace, early);
    await settled();
    expect(dashboard.sent.at(-1)).toEqual({ type: 'watch.message', studentId: ana.id, message: early });
    expect(dashboard.sent.at(-2)).toEqual({
      type: 'watch.snapshot',
      studentId: ana.id,
      sessions: [{ sessionId: 's1', target: 'sandbox', startedAt: '2025-01-01T00:00:00.000Z', state: 'greeted', label: 'Greeted', events: [{ type: 'socket.opened', server: 'x' }], omittedEvents: 0 }],
    });
    const before = dashboard.sent.length;
    // The label comes from the session registry (the bridge's model), read at each reply.
    sessions[0] = { ...sessions[0]!, state: 'identified.idle', label: 'Identified' };
    const reply = { type: 'session.event', sessionId: 's1', event: { type: 'server.reply' } };
    hub.sessionMessage(namespace, reply);
    await hub.idle();
    expect(dashboard.sent.slice(before).map((message) => message.type)).toEqual(['watch.message', 'class.student']);
    hub.sessionMessage(namespace, reply);
    await hub.idle();
    expect(dashboard.sent.slice(before).map((message) => message.type)).toEqual(['watch.message', 'class.student', 'watch.message']);

    expect(await hub.clientMessage(dashboard, { type: 'unwatch', studentId: ana.id })).toBeNull();
    const watched = dashboard.sent.length;
    hub.sessionMessage(namespace, { type: 'session.event', sessionId: 's1' });
    await hub.idle();
    expect(dashboard.sent).toHaveLength(watched);
    expect(await hub.clientMessage(tab, { type: 'watch', studentId: ana.id })).toMatchObject({ code: 'forbidden' });
    expect(await hub.clientMessage(dashboard, { type: 'watch', studentId: 'nobody' })).toMatchObject({ code: 'unknown_student' });
    expect((await hub.roster()).map((entry) => [entry.student.id, entry.online, entry.sessions.length])).toEqual([[ana.id, true, 1]]);

    await service.remove(ana.id, false);
    await hub.idle();
    expect(tab.closedWith).toEqual([4001, 'The instructor removed you from the class.']);
    expect(dashboard.sent.at(-1)).toEqual({ type: 'class.student.removed', studentId: ana.id });
  });

  it('subscribes no dashboard that closed while the watched student was being looked up', async () => {
    const { hub, join } = await setUp(current.db);
    const ana = await join('Ana');
    const dashboard = new FakeConnection('instructor');
    hub.connected(dashboard);
    const watching = hub.clientMessage(dashboard, { type: 'watch', studentId: ana.id });
    hub.disconnected(dashboard);
    expect(await watching).toBeNull();
    hub.sessionMessage(`student:${ana.id}`, { type: 'session.opened', sessionId: 's1' });
    expect(dashboard.sent.map((message) => message.type)).not.toContain('watch.snapshot');
    expect(dashboard.sent.map((message) => message.type)).not.toContain('watch.message');
  });

  it('pushes notices to their audience and open lessons to everyone', async () => {
    const { service, hub, join } = await setUp(current.db);
    const ana = await join('Ana');
    const bo = await join('Bo');
    const anaTab = new FakeConnection(`student:${ana.id}`);
    const boTab = new FakeConnection(`student:${bo.id}`);
    hub.connected(anaTab);
    hub.connected(boTab);
    await service.addNotice({ studentId: ana.id, kind: 'hint', lessonId: null, text: 'Look at the 250' });
    await service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Hello all' });
    // Pushed once the events came back through the bus and the notices were read.
    await hub.idle();
    const texts = (connection: FakeConnection) =>
      connection.sent.flatMap((message) => (message.type === 'class.notice' ? [message.notice.text] : []));
    expect(texts(anaTab)).toEqual(['Look at the 250', 'Hello all']);
    expect(texts(boTab)).toEqual(['Hello all']);
    await service.setOpenLessons(['the-greeting']);
    await hub.idle();
    expect(boTab.sent.at(-1)).toEqual({ type: 'class.settings', openLessons: ['the-greeting'] });
  });
});

describe('LiveHub watch snapshots', () => {
  it("bounds the watch snapshot: each session's last events within a byte budget, with a count of the rest", async () => {
    const db = openDatabase(':memory:');
    const service = await openClass(new SqliteDatabase(db));
    const store = new SessionStore(new SqliteDatabase(db));
    const result = await joinClass(service, 'Ana');
    const namespace = `student:${result.student.id}`;
    const live: HubSession[] = [];
    const chatty = store.create(namespace, { target: 'sandbox', clientAddress: '10.0.0.1' });
    for (let n = 0; n < 2000; n++) store.append(chatty, { type: 'client.line', text: `NOOP ${n}`, raw: `NOOP ${n}\r\n` });
    const wide = store.create(namespace, { target: 'sandbox', clientAddress: '10.0.0.1' });
    const line = 'x'.repeat(256 * 1024);
    for (let n = 0; n < 40; n++) store.append(wide, { type: 'client.line', text: line, raw: `${line}\r\n` });
    for (const sessionId of [chatty, wide]) live.push({ namespace, sessionId, target: 'sandbox', startedAt: new Date().toISOString(), state: 'identified.idle', label: 'Identified' });
    const hub = new LiveHub(
      service,
      {
        liveSessions: liveSessionsFrom(live),
        recordedEvents: async (ns, id, maxEvents, maxBytes) => {
          const tail = await store.lastEvents(ns, id, maxEvents, maxBytes);
          return tail === null ? null : { events: tail.events.map((recorded) => recorded.event), omitted: tail.omitted };
        },
        labelOf: () => null,
      },
      2,
    );
    const dashboard = new FakeConnection('instructor');
    hub.connected(dashboard);
    expect(await hub.clientMessage(dashboard, { type: 'watch', studentId: result.student.id })).toBeNull();
    await settled();
    const snapshot = dashboard.sent.find((message) => message.type === 'watch.snapshot');
    if (snapshot?.type !== 'watch.snapshot') throw new Error('no snapshot');
    const [first, second] = snapshot.sessions;
    expect(first?.events).toHaveLength(WATCH_SNAPSHOT_EVENTS);
    expect(first?.omittedEvents).toBe(2000 - WATCH_SNAPSHOT_EVENTS);
    expect(first?.events.at(-1)).toMatchObject({ text: 'NOOP 1999' });
    expect(second!.events.length + second!.omittedEvents).toBe(40);
    expect(second!.omittedEvents).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot).length).toBeLessThan(WATCH_SNAPSHOT_BYTES + 64 * 1024);
    db.close();
  });
});
