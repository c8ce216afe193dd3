/**
 * The classroom's live side across two processes on one PostgreSQL database: each with its
 * own pool, its own PostgresEventBus and its own live hub (fake bridge connections), as two
 * `serve` processes behind a load balancer. What one process's people do, the other's see live.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';
import type { RosterEntry } from '../../../protocol/wire/classroom-contract.ts';
import { announceTranscripts } from '../../../server/app/transcript-announcements.ts';
import { createClassroom, type Classroom } from '../../../server/classroom/create-classroom.ts';
import type { HubSession } from '../../../server/classroom/live-hub.ts';
import { PostgresEventBus } from '../../../server/events/postgres-event-bus.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { waitFor } from '../events/bus-harness.ts';
import { FakeConnection } from './fake-hub-connection.ts';
import { liveSessionsFrom } from '../../support/live-sessions.ts';

/** Long enough that what happens right after a lost connection surely falls in the gap. */
const RECONNECT_DELAY_MS = { first: 1000, max: 2000 };

interface Process {
  readonly classroom: Classroom;
  readonly events: PostgresEventBus;
  readonly db: SqlDatabase;
  /** The transcripts this process writes (its bridge's recorder), announced on the bus as start-app does. */
  readonly transcripts: SessionStore;
  /** The sessions this process's bridge holds (the hub's liveSessions). */
  readonly live: HubSession[];
  readonly errors: unknown[];
  readonly busErrors: Error[];
  close(): Promise<void>;
}

async function startProcess(url: string, processId: string): Promise<Process> {
  const db = await openPostgres(url);
  const busErrors: Error[] = [];
  const events = await PostgresEventBus.open({ url, processId, reconnectDelayMs: RECONNECT_DELAY_MS, onError: (error) => busErrors.push(error) });
  const live: HubSession[] = [];
  const errors: unknown[] = [];
  // As start-app does: the hub, made next, says whose lines another process watches.
  let hub: Classroom['hub'] | null = null;
  const announcements = announceTranscripts(events, (namespace) => hub?.watchedElsewhere(namespace) ?? false, (error) => errors.push(error));
  const transcripts = new SessionStore(db, { onRecorded: announcements.onRecorded });
  const classroom = await createClassroom({
    db,
    events,
    classDomain: 'class.smtp-lab.test',
    maxMessageSize: 10 * 1024 * 1024,
    allowedHosts: HostAllowList.loopback(),
    allowedOrigins: [],
    transcripts,
    sources: { liveSessions: liveSessionsFrom(live), recordedEvents: async () => null, labelOf: (id) => live.find((session) => session.sessionId === id)?.label ?? null },
    purgeNamespace: async () => undefined,
    onError: (error) => errors.push(error),
  });
  hub = classroom.hub;
  let closed = false;
  return {
    classroom,
    events,
    db,
    transcripts,
    live,
    errors,
    busErrors,
    async close() {
      if (closed) return;
      closed = true;
      classroom.close();
      await transcripts.flush();
      await announcements.settled();
      await events.close();
      await db.close();
    },
  };
}

/** The newest roster row the connection was sent for the student. */
function lastRow(connection: FakeConnection, studentId: string): RosterEntry | undefined {
  return connection.sent.flatMap((message) => (message.type === 'class.student' && message.entry.student.id === studentId ? [message.entry] : [])).at(-1);
}

function noticeTexts(connection: FakeConnection): string[] {
  return connection.sent.flatMap((message) => (message.type === 'class.notice' ? [message.notice.text] : []));
}

/** The backend of a process's listening connection. */
async function listenerPid(db: SqlDatabase, processId: string): Promise<number> {
  const row = await db.get<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?', [
    `smtp-lab events ${processId}`,
  ]);
  if (row === undefined) throw new Error(`no listening connection of ${processId}`);
  return row.pid;
}

describe.skipIf(postgresAdminUrl() === null)('the classroom live across two processes on one PostgreSQL database', () => {
  let drop: () => Promise<void>;
  let a: Process;
  let b: Process;
  /** The instructor's dashboard, connected to A. */
  let dashboard: FakeConnection;
  /** Ana, who joined through B, and her tab on B. */
  let anaId: string;
  let anaTab: FakeConnection;

  beforeEach(async () => {
    const fresh = await freshDatabase('postgres');
    drop = fresh.drop;
    a = await startProcess(fresh.url!, 'process-a');
    b = await startProcess(fresh.url!, 'process-b');
    dashboard = new FakeConnection('instructor');
    a.classroom.hub.connected(dashboard);

    const joined = await b.classroom.service.join(await b.classroom.service.joinCode(), 'Ana');
    if (!joined.ok) throw new Error(joined.message);
    anaId = joined.student.id;
    await waitFor('the join on A’s dashboard', () => lastRow(dashboard, anaId) !== undefined);
    expect(lastRow(dashboard, anaId)).toMatchObject({ student: { displayName: 'Ana' }, online: false, connections: 0 });

    anaTab = new FakeConnection(`student:${anaId}`);
    b.classroom.hub.connected(anaTab);
    await waitFor('Ana online on A’s dashboard', () => lastRow(dashboard, anaId)?.online === true);
  });

  /** Ana opens a live session on B, as B's bridge records and announces it. */
  function anaOpensSessionOnB(): HubSession {
    const namespace = `student:${anaId}`;
    const sessionId = b.transcripts.create(namespace, { target: 'sandbox', clientAddress: '127.0.0.1' });
    const session: HubSession = { namespace, sessionId, target: 'sandbox', startedAt: new Date().toISOString(), state: 'greeted', label: 'Greeted' };
    b.live.push(session);
    b.classroom.hub.sessionMessage(namespace, { type: 'session.opened', sessionId });
    return session;
  }

  afterEach(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('shows A’s instructor a student on B joining, coming online, opening a session and reporting progress; a notice from A reaches her on B', async () => {
    expect(lastRow(dashboard, anaId)).toMatchObject({ online: true, connections: 1, sessions: [] });

    const session: HubSession = {
      namespace: `student:${anaId}`,
      sessionId: 's-1',
      target: 'sandbox',
      startedAt: '2026-01-01T00:00:00.000Z',
      state: 'greeted',
      label: 'Greeted',
    };
    b.live.push(session);
    b.classroom.hub.sessionMessage(session.namespace, { type: 'session.opened', sessionId: 's-1' });
    await waitFor('the session on A’s dashboard', () => lastRow(dashboard, anaId)?.sessions.length === 1);
    expect(lastRow(dashboard, anaId)?.sessions).toEqual([{ sessionId: 's-1', target: 'sandbox', startedAt: session.startedAt, state: 'greeted', label: 'Greeted' }]);

    const lesson = b.classroom.service.catalog[0]!.id;
    await b.classroom.service.recordProgress(anaId, lesson, { completed: true });
    await waitFor('the progress on A’s dashboard', () => lastRow(dashboard, anaId)?.completed.includes(lesson) === true);
    expect(lastRow(dashboard, anaId)).toMatchObject({ student: { currentLesson: lesson }, online: true, sessions: [expect.objectContaining({ sessionId: 's-1' })] });
    // A's roster, asked over HTTP, counts B's tab and session too.
    expect(await a.classroom.hub.roster()).toEqual([expect.objectContaining({ online: true, connections: 1, sessions: [expect.objectContaining({ sessionId: 's-1' })] })]);

    await a.classroom.service.addNotice({ studentId: anaId, kind: 'hint', lessonId: lesson, text: 'Look at the 250' });
    await a.classroom.service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Hello all' });
    await waitFor('the notices on B', () => noticeTexts(anaTab).length === 2);
    expect(noticeTexts(anaTab)).toEqual(['Look at the 250', 'Hello all']);
    await waitFor('the notices on A’s dashboard', () => noticeTexts(dashboard).length === 2);

    await a.classroom.service.setOpenLessons([lesson]);
    await waitFor('the open lessons on B', () => anaTab.sent.some((message) => message.type === 'class.settings'));
    expect(anaTab.sent.filter((message) => message.type === 'class.settings')).toEqual([{ type: 'class.settings', openLessons: [lesson] }]);

    b.live.length = 0;
    b.classroom.hub.sessionMessage(session.namespace, { type: 'session.closed', sessionId: 's-1' });
    b.classroom.hub.disconnected(anaTab);
    await waitFor('Ana offline on A’s dashboard', () => lastRow(dashboard, anaId)?.online === false);
    expect(lastRow(dashboard, anaId)).toMatchObject({ connections: 0, sessions: [] });
    expect([...a.errors, ...b.errors, ...a.busErrors, ...b.busErrors]).toEqual([]);
  });

  it('closes a removed student’s tab on the other process', async () => {
    await a.classroom.service.remove(anaId, false);
    await waitFor('the tab on B closed', () => anaTab.closedWith !== null);
    expect(anaTab.closedWith).toEqual([4001, 'The instructor removed you from the class.']);
    expect(dashboard.sent.at(-1)).toEqual({ type: 'class.student.removed', studentId: anaId });
  });

  it('applies a behaviours change made on B to A’s sandbox', async () => {
    const applied: ClassBehaviours[] = [];
    a.classroom.followBehaviours((behaviours) => applied.push(behaviours));
    const changed = await b.classroom.service.changeBehaviours({ greylist: true, replyDelayMs: 250 });
    expect(changed.ok).toBe(true);
    await waitFor('the behaviours on A', () => applied.length === 1);
    expect(applied[0]).toMatchObject({ greylist: true, replyDelayMs: 250 });
  });

  it('resyncs a process whose listening connection was cut: rows pushed again, presence asked for again, missed notices delivered, later events heard', async () => {
    const applied: ClassBehaviours[] = [];
    a.classroom.followBehaviours((behaviours) => applied.push(behaviours));
    let resyncs = 0;
    a.events.onResync(() => void resyncs++);
    const rowsBefore = dashboard.sent.filter((message) => message.type === 'class.student').length;

    await a.db.get('SELECT pg_terminate_backend(?)', [await listenerPid(a.db, 'process-a')]);
    await waitFor('A to notice the loss', () => a.busErrors.length > 0);
    // While A hears nothing: Ana opens a second tab on B, the instructor (on B) sends a notice and switches greylisting on.
    const secondTab = new FakeConnection(`student:${anaId}`);
    b.classroom.hub.connected(secondTab);
    await b.classroom.service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Said in the gap' });
    await b.classroom.service.changeBehaviours({ greylist: true });
    expect(resyncs).toBe(0);

    await waitFor('the resync', () => resyncs === 1);
    await waitFor('Ana’s two tabs on A’s dashboard', () => lastRow(dashboard, anaId)?.connections === 2);
    // The resync's own push and the row for B's answer to presence.requested may come as one
    // or as two, depending on which is read first; at least one fresh row is the point.
    expect(dashboard.sent.filter((message) => message.type === 'class.student').length).toBeGreaterThan(rowsBefore);
    await waitFor('the missed notice on A’s dashboard', () => noticeTexts(dashboard).includes('Said in the gap'));
    await waitFor('the missed behaviours on A', () => applied.at(-1)?.greylist === true);
    expect(a.busErrors.map((error) => error.message)).toEqual([expect.stringMatching(/^Live updates lost their PostgreSQL connection/)]);

    // And the events after it arrive as before.
    b.classroom.hub.disconnected(secondTab);
    await waitFor('one tab again on A’s dashboard', () => lastRow(dashboard, anaId)?.connections === 1);
    await b.classroom.service.addNotice({ studentId: anaId, kind: 'hint', lessonId: null, text: 'After the gap' });
    await waitFor('the later notice on A’s dashboard', () => noticeTexts(dashboard).includes('After the gap'));
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('drops the presence of a process that is gone from A’s roster', async () => {
    expect(lastRow(dashboard, anaId)).toMatchObject({ online: true, connections: 1 });
    // B goes without a goodbye: its tab never says disconnected, its bus just ends.
    await b.close();
    await waitFor('B gone from A’s roster', async () => {
      await a.classroom.hub.forgetGoneProcesses();
      return lastRow(dashboard, anaId)?.online === false;
    });
    expect(lastRow(dashboard, anaId)).toMatchObject({ connections: 0, sessions: [] });
    expect(await a.classroom.hub.roster()).toEqual([expect.objectContaining({ online: false, connections: 0 })]);
  });

  it('shows A’s instructor, watching Ana, her session on B closed when B is gone, after the lines B wrote', async () => {
    const session = anaOpensSessionOnB();
    const { namespace, sessionId } = session;
    // As the bridge does: each event recorded, then sent.
    const say = (n: number) => {
      const event = { type: 'server.reply', n };
      b.transcripts.append(sessionId, event);
      b.classroom.hub.sessionMessage(namespace, { type: 'session.event', sessionId, event });
    };
    say(1);
    await b.transcripts.flush();
    await waitFor('the session on A’s dashboard', () => lastRow(dashboard, anaId)?.sessions.length === 1);

    expect(await a.classroom.hub.clientMessage(dashboard, { type: 'watch', studentId: anaId })).toBeNull();
    await waitFor('the snapshot', () => dashboard.sent.some((message) => message.type === 'watch.snapshot'));
    expect(dashboard.sent.find((message) => message.type === 'watch.snapshot')).toEqual({
      type: 'watch.snapshot',
      studentId: anaId,
      sessions: [{ sessionId, target: 'sandbox', startedAt: session.startedAt, state: 'greeted', label: 'Greeted', events: [{ type: 'server.reply', n: 1 }], omittedEvents: 0 }],
    });
    say(2);
    say(3);
    await b.transcripts.flush();
    const watched = () => dashboard.sent.flatMap((message) => (message.type === 'watch.message' ? [message.message] : []));
    await waitFor('the live lines on A', () => watched().length === 2);

    // B is killed with a line written and its session still open: A shows it closed, after that line.
    say(4);
    await b.close();
    await waitFor('the session closed on A', async () => {
      await a.classroom.hub.forgetGoneProcesses();
      await a.classroom.hub.idle();
      return watched().some((message) => message.type === 'session.closed');
    });
    expect(watched()).toEqual([
      { type: 'session.event', sessionId, event: { type: 'server.reply', n: 2 } },
      { type: 'session.event', sessionId, event: { type: 'server.reply', n: 3 } },
      { type: 'session.event', sessionId, event: { type: 'server.reply', n: 4 } },
      { type: 'session.closed', sessionId, reason: 'The server process that held this session stopped.', by: 'shutdown' },
    ]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('announces the lines of Ana’s session on B only while a dashboard on A watches her, the ones written before included', async () => {
    const { namespace, sessionId } = anaOpensSessionOnB();
    const announced: number[] = [];
    a.events.subscribe((event) => void (event.type === 'transcript.recorded' && event.sessionId === sessionId && announced.push(event.seq)));
    const say = async (n: number) => {
      b.transcripts.append(sessionId, { type: 'server.reply', n });
      await b.transcripts.flush();
    };
    /** Every event B published so far has reached A. */
    const heardAll = async () => {
      let marked = false;
      const stop = a.events.subscribe((event) => void (event.type === 'lessons.changed' && (marked = true)));
      await b.events.publish({ type: 'lessons.changed' });
      await waitFor('B’s marker at A', () => marked);
      stop();
    };
    const seqs = async () => (await b.transcripts.events(namespace, sessionId))!.map((event) => event.seq);

    await say(1);
    await heardAll();
    expect(announced).toEqual([]);

    // Watched from A: B announces what it has written (line 1, written before it heard), then each write.
    await a.classroom.hub.clientMessage(dashboard, { type: 'watch', studentId: anaId });
    await waitFor('B to hear of the watch', () => b.classroom.hub.watchedElsewhere(namespace));
    await waitFor('line 1 announced', () => announced.length === 1);
    await say(2);
    await heardAll();
    expect(announced).toEqual(await seqs());

    await a.classroom.hub.clientMessage(dashboard, { type: 'unwatch', studentId: anaId });
    await waitFor('B to hear the watch ended', () => !b.classroom.hub.watchedElsewhere(namespace));
    await say(3);
    await heardAll();
    expect(announced).toEqual((await seqs()).slice(0, 2));
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('relays to two watchers on A the lines of Ana’s session on B once each, and after a lost connection the lines missed meanwhile', async () => {
    const { namespace, sessionId } = anaOpensSessionOnB();
    const say = async (n: number) => {
      const event = { type: 'server.reply', n };
      b.transcripts.append(sessionId, event);
      b.classroom.hub.sessionMessage(namespace, { type: 'session.event', sessionId, event });
      await b.transcripts.flush();
    };
    await say(1);
    await waitFor('the session on A’s dashboard', () => lastRow(dashboard, anaId)?.sessions.length === 1);
    const lines = (connection: FakeConnection) => [
      ...connection.sent.flatMap((message) => (message.type === 'watch.snapshot' ? message.sessions.flatMap((session) => session.events) : [])),
      ...connection.sent.flatMap((message) => (message.type === 'watch.message' && message.message.type === 'session.event' ? [message.message.event] : [])),
    ];

    await a.classroom.hub.clientMessage(dashboard, { type: 'watch', studentId: anaId });
    await say(2);
    const second = new FakeConnection('instructor');
    a.classroom.hub.connected(second);
    await a.classroom.hub.clientMessage(second, { type: 'watch', studentId: anaId });
    await say(3);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'server.reply', n: i + 1 }));
    await waitFor('three lines on both dashboards', () => lines(dashboard).length === 3 && lines(second).length === 3);
    expect(lines(dashboard)).toEqual(upTo(3));
    expect(lines(second)).toEqual(upTo(3));

    let resyncs = 0;
    a.events.onResync(() => void resyncs++);
    await a.db.get('SELECT pg_terminate_backend(?)', [await listenerPid(a.db, 'process-a')]);
    await waitFor('A to notice the loss', () => a.busErrors.length > 0);
    await say(4);
    await say(5);
    await waitFor('the resync', () => resyncs === 1);
    await waitFor('the missed lines on both dashboards', () => lines(dashboard).length === 5 && lines(second).length === 5);
    await say(6);
    await waitFor('the next line', () => lines(dashboard).length === 6 && lines(second).length === 6);
    await a.classroom.hub.idle();
    expect(lines(dashboard)).toEqual(upTo(6));
    expect(lines(second)).toEqual(upTo(6));
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
