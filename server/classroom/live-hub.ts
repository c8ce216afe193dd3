/**
 * The classroom's live side of the WebSocket bridge: who is online (and how many tabs each
 * student has), the instructor's roster updates, `watch` subscriptions to a student's live
 * sessions, and pushes of notices and open lessons. The bridge calls it for every connection,
 * every session message and every classroom client message; it never touches a socket itself.
 *
 * Changes come as class events (server/events) from every process, this one's included: the
 * hub reads what changed from the tables and pushes it to its own connections. Presence is the
 * one thing the tables do not hold: the hub sends its own (student.presence) and keeps the
 * other processes' to merge into roster rows.
 */
import type { ClassroomClientMessage, ClassroomServerMessage, RosterEntry } from '../../protocol/wire/classroom-contract.ts';
import { CLOSE_REMOVED_FROM_CLASS } from '../../protocol/wire/classroom-contract.ts';
import { INSTRUCTOR_NAMESPACE, studentNamespace, type LiveSessionJson, type NoticeJson, type StudentJson } from './classroom-types.ts';
import type { ClassEvent, PresenceEvent } from '../events/class-event.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { ClassService } from './class-service.ts';
import { RemotePresence } from './remote-presence.ts';

/** One bridge connection as the hub sees it (the bridge's BridgeConnection). */
export interface HubConnection {
  readonly namespace: string;
  /** Sends a push once the client has said hello. */
  notify(message: ClassroomServerMessage): void;
  /** Ends its SMTP session and closes the WebSocket. */
  kick(code: number, reason: string): void;
}

/** A live bridged session (the bridge's registry entry). */
export interface HubSession extends LiveSessionJson {
  readonly namespace: string;
}

/** What the hub reads from the bridge and the transcript store. */
export interface HubSources {
  /** The live bridged sessions: every one, or one namespace's. */
  readonly liveSessions: (namespace?: string) => readonly HubSession[];
  /**
   * A session's last recorded events, at most `maxEvents` and about `maxBytes` of JSON, and how
   * many earlier ones were left out (SessionStore.lastEvents): every event recorded before the
   * call and none after; null for an unknown session (or one that could not be read).
   */
  readonly recordedEvents: (
    namespace: string,
    sessionId: string,
    maxEvents: number,
    maxBytes: number,
  ) => Promise<{ readonly events: readonly unknown[]; readonly omitted: number } | null>;
  /** A live session's state in words, from the bridge's one session model; null once it is gone. */
  readonly labelOf: (sessionId: string) => string | null;
  /**
   * The transcript store every process writes to: the sessions of a watched student that live
   * in another process are read from it (snapshot, then each `transcript.recorded`). Without
   * it only this process's sessions are watched.
   */
  readonly transcripts?: Pick<SessionStore, 'lastEvents' | 'eventPage' | 'get' | 'flush'>;
}

/** A watched student's session in another process, as the snapshot shows it. */
type SnapshotSession = LiveSessionJson & { readonly events: { type: string }[]; readonly omittedEvents: number };

export type Admission = { readonly ok: true } | { readonly ok: false; readonly status: 429; readonly message: string };

/** A session message the bridge sends its learner (session.opened, .event, .closed). */
export type SessionMessage = {
  readonly type: string;
  readonly sessionId: string;
  readonly event?: { readonly type: string };
};

/** Events after which the session's state can change: replies and connection events, not client lines. */
const CLIENT_EVENTS = new Set(['client.line', 'client.elided']);

const STUDENT_PREFIX = 'student:';
/** A watch snapshot keeps the last this many events of each session… */
export const WATCH_SNAPSHOT_EVENTS = 500;
/** …and about this many bytes of events in all, shared by the student's sessions. */
export const WATCH_SNAPSHOT_BYTES = 4 * 1024 * 1024;
/** At most this many pages (of up to 500 events) are read for one `transcript.recorded`; the next one goes on. */
const MAX_CATCH_UP_PAGES = 20;
/** Why a watched session of a process that went away (killed, no goodbye) is shown closed. */
const PROCESS_GONE_REASON = 'The server process that held this session stopped.';
/** How often, while other processes' presence is held, the hub checks those processes are still up. */
export const PRESENCE_CHECK_MS = 5000;

export class LiveHub {
  readonly #service: ClassService;
  readonly #events: EventBus;
  readonly #sources: HubSources;
  readonly #maxConnectionsPerStudent: number;
  readonly #connections = new Map<string, Set<HubConnection>>();
  /** Student id → the instructor connections watching them. */
  readonly #watchers = new Map<string, Set<HubConnection>>();
  /** Live session id → its last state label, to push roster rows only when it changes. */
  readonly #labels = new Map<string, string>();
  /**
   * The last work queued per key (a student's namespace for their roster pushes, "notices",
   * "settings", "resync"): each key's work runs in order, so the last thing sent is the newest.
   */
  readonly #queues = new Map<string, Promise<void>>();
  /** The other processes' connections and sessions of each student. */
  readonly #remote = new RemotePresence();
  /** The newest notice delivered here (or stored before the hub began): a resync delivers the ones after it. */
  #noticeMark = 0;
  readonly #unsubscribe: (() => void)[];
  #presenceCheck: NodeJS.Timeout | undefined;
  #checkingPresence = false;
  #closed = false;
  /** Watchers whose snapshot is still being read: what is relayed meanwhile waits here, to follow it. */
  readonly #awaitingSnapshot = new Map<HubConnection, ClassroomServerMessage[]>();
  /**
   * Watched students → their live sessions in other processes, as the watchers here were told
   * (snapshot, then session.opened / session.closed as presence changes).
   */
  readonly #remoteShown = new Map<string, Map<string, LiveSessionJson>>();
  /**
   * Watched students → each watcher whose snapshot of the other processes' sessions is read →
   * the last seq relayed to it per session: every recorded event is relayed once, in order.
   */
  readonly #remoteSeen = new Map<string, Map<HubConnection, Map<string, number>>>();

  /** Where a push that could not be made (the database failing) is reported; the hub keeps running. */
  readonly #onError: (error: unknown) => void;

  constructor(service: ClassService, sources: HubSources, maxConnectionsPerStudent: number, onError: (error: unknown) => void = () => undefined) {
    this.#service = service;
    this.#onError = onError;
    this.#sources = sources;
    this.#maxConnectionsPerStudent = maxConnectionsPerStudent;
    this.#events = service.events;
    this.#inOrder('notices', async () => {
      this.#noticeMark = Math.max(this.#noticeMark, await service.progress.newestNoticeId());
    });
    this.#unsubscribe = [this.#events.subscribe((event) => this.#received(event)), this.#events.onResync(() => this.#inOrder('resync', () => this.#resync()))];
  }

  /** Stops following the class's events (the bus itself belongs to the caller). */
  close(): void {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    clearInterval(this.#presenceCheck);
    this.#presenceCheck = undefined;
  }

  /** Checked before the WebSocket handshake: a student's tabs are capped, so hundreds of them cannot starve the class. */
  admit(namespace: string): Admission {
    if (!namespace.startsWith(STUDENT_PREFIX)) return { ok: true };
    const open = this.#connections.get(namespace)?.size ?? 0;
    if (open < this.#maxConnectionsPerStudent) return { ok: true };
    return { ok: false, status: 429, message: `You already have ${open} SMTP Lab tabs open, the most allowed; close one and reload.` };
  }

  connected(connection: HubConnection): void {
    const set = this.#connections.get(connection.namespace) ?? new Set();
    set.add(connection);
    this.#connections.set(connection.namespace, set);
    this.#presenceChanged(connection.namespace);
  }

  disconnected(connection: HubConnection): void {
    const set = this.#connections.get(connection.namespace);
    set?.delete(connection);
    if (set?.size === 0) this.#connections.delete(connection.namespace);
    this.#awaitingSnapshot.delete(connection);
    for (const studentId of [...this.#watchers.keys()]) this.#stopWatching(studentId, connection);
    this.#presenceChanged(connection.namespace);
  }

  /**
   * Whether a dashboard in another process watches this namespace's student: only then are its
   * transcript writes announced (transcript-announcements.ts). This process's own watchers get
   * its sessions' lines through sessionMessage.
   */
  watchedElsewhere(namespace: string): boolean {
    const studentId = studentIdOf(namespace);
    return studentId !== null && this.#remote.watched(studentId);
  }

  /** Open connections of a namespace. */
  connectionCount(namespace: string): number {
    return this.#connections.get(namespace)?.size ?? 0;
  }

  /** Every session message the bridge sends a learner: relayed to watchers; state changes update the roster. */
  sessionMessage(namespace: string, message: SessionMessage): void {
    const studentId = studentIdOf(namespace);
    if (studentId === null) return;
    for (const watcher of this.#watchers.get(studentId) ?? []) {
      const relayed: ClassroomServerMessage = { type: 'watch.message', studentId, message };
      const waiting = this.#awaitingSnapshot.get(watcher);
      if (waiting === undefined) watcher.notify(relayed);
      else waiting.push(relayed);
    }
    if (message.type === 'session.opened') this.#labels.set(message.sessionId, '');
    if (message.type === 'session.closed') this.#labels.delete(message.sessionId);
    const label = message.type === 'session.event' && !CLIENT_EVENTS.has(message.event?.type ?? '') ? this.#sources.labelOf(message.sessionId) : null;
    const changed = label !== null && this.#labels.get(message.sessionId) !== label;
    if (changed) this.#labels.set(message.sessionId, label);
    // A closed session's presence goes out once its transcript is written: other processes'
    // watchers read its last events before they show it closed.
    if (changed || message.type === 'session.opened' || message.type === 'session.closed') this.#presenceChanged(namespace, message.type === 'session.closed');
  }

  /** A classroom message from a client; resolves to an error text to send back, or null. */
  async clientMessage(
    connection: HubConnection,
    message: ClassroomClientMessage,
  ): Promise<{ code: 'forbidden' | 'unknown_student'; message: string } | null> {
    if (connection.namespace !== INSTRUCTOR_NAMESPACE) {
      return { code: 'forbidden', message: 'Only the instructor can watch sessions; connect to /ws?as=instructor signed in.' };
    }
    const { studentId } = message;
    if (message.type === 'unwatch') {
      this.#stopWatching(studentId, connection);
      return null;
    }
    if ((await this.#service.students.byId(studentId)) === null) {
      return { code: 'unknown_student', message: `There is no student ${JSON.stringify(studentId)} in the class.` };
    }
    // A dashboard that went away while the student was looked up subscribes to nothing.
    if (!this.#connections.get(connection.namespace)?.has(connection)) return null;
    // Snapshot and subscription in the same tick (after the one wait above): every event is either
    // recorded already (the snapshot reads exactly those) or relayed after it, held back until
    // the snapshot is sent.
    const set = this.#watchers.get(studentId) ?? new Set();
    set.add(connection);
    this.#watchers.set(studentId, set);
    // The other processes start announcing the student's transcripts.
    if (set.size === 1) this.#publish(this.#presenceOf(studentId));
    const waiting: ClassroomServerMessage[] = [];
    this.#awaitingSnapshot.set(connection, waiting);
    this.#remoteSeen.get(studentId)?.delete(connection);
    if (!this.#remoteShown.has(studentId)) this.#remoteShown.set(studentId, new Map(this.#remote.sessions(studentId).map((session) => [session.sessionId, session])));
    void this.#snapshot(studentId, connection, waiting).then(
      (sessions) => {
        // Not if a later watch (or a disconnect) replaced this one meanwhile.
        if (this.#awaitingSnapshot.get(connection) !== waiting) return;
        this.#awaitingSnapshot.delete(connection);
        connection.notify({ type: 'watch.snapshot', studentId, sessions });
        for (const relayed of waiting) connection.notify(relayed);
      },
      (error: unknown) => {
        // The transcripts could not be read: the watch stays without its snapshot, the hub keeps running.
        if (this.#awaitingSnapshot.get(connection) === waiting) this.#awaitingSnapshot.delete(connection);
        this.#onError(error);
      },
    );
    return null;
  }

  /** The roster, one row per student in the class, in joining order. */
  async roster(): Promise<RosterEntry[]> {
    const [progress, students] = await Promise.all([this.#service.progress.byStudent(), this.#service.students.active()]);
    const sessions = this.#sessionsByNamespace();
    return students.map((student) => this.#entry(student, sessions.get(studentNamespace(student.id)) ?? [], progress.get(student.id) ?? []));
  }

  /** Resolves once every push begun so far (for an event, a change here, a resync) has been sent or failed and been reported. */
  async idle(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all(this.#queues.values());
  }

  /** Forgets the presence of processes whose event buses are gone (a process killed sends no goodbye). */
  async forgetGoneProcesses(): Promise<void> {
    if (this.#remote.isEmpty) return;
    const forgotten = this.#remote.retainOnly(await this.#events.processes());
    for (const studentId of forgotten) {
      this.#remoteSessionsChanged(studentId, true);
      this.#rosterChanged(studentNamespace(studentId));
    }
  }

  /** One event of any process (this one's included). */
  #received(event: ClassEvent): void {
    switch (event.type) {
      case 'student.changed':
      case 'progress.recorded':
        this.#rosterChanged(studentNamespace(event.studentId));
        return;
      case 'student.removed':
        this.#studentRemoved(event.studentId);
        return;
      case 'student.presence':
        // Our own presence is already in our counts.
        if (event.process === this.#events.processId) return;
        if (event.watched && !this.#remote.watched(event.studentId)) this.#announceTranscripts(event.studentId);
        this.#remote.set(event);
        this.#remoteSessionsChanged(event.studentId, false);
        this.#watchPresence();
        this.#rosterChanged(studentNamespace(event.studentId));
        return;
      case 'transcript.recorded':
        this.#transcriptRecorded(event.namespace, event.sessionId, event.seq);
        return;
      case 'presence.requested':
        if (event.process !== this.#events.processId) this.#publishAllPresence();
        return;
      case 'notice.added':
        this.#noticeAdded(event.noticeId, event.studentId);
        return;
      case 'lessons.changed':
        this.#inOrder('settings', () => this.#pushSettings());
        return;
      default:
        // Behaviours are the sandbox's (createClassroom's followBehaviours), zones the ZoneStore's; mail reaches the bridge.
        return;
    }
  }

  #studentRemoved(studentId: string): void {
    for (const connection of [...(this.#connections.get(studentNamespace(studentId)) ?? [])]) {
      connection.kick(CLOSE_REMOVED_FROM_CLASS, 'The instructor removed you from the class.');
    }
    this.#watchers.delete(studentId);
    this.#remoteShown.delete(studentId);
    this.#remoteSeen.delete(studentId);
    this.#remote.forgetStudent(studentId);
    this.#toInstructors({ type: 'class.student.removed', studentId });
  }

  /** Reads the notice only when someone here is to see it; in order, so notices arrive as they were stored. */
  #noticeAdded(noticeId: number, studentId: string | null): void {
    this.#inOrder('notices', async () => {
      this.#noticeMark = Math.max(this.#noticeMark, noticeId);
      if (this.#noticeAudience(studentId).length === 0) return;
      const notice = await this.#service.progress.noticeById(noticeId);
      if (notice !== null) this.#deliverNotice(notice);
    });
  }

  /** The connections a notice goes to: its student's (everyone's for null) and the instructor's. */
  #noticeAudience(studentId: string | null): HubConnection[] {
    const students =
      studentId === null
        ? [...this.#connections.entries()].filter(([namespace]) => namespace.startsWith(STUDENT_PREFIX)).flatMap(([, set]) => [...set])
        : [...(this.#connections.get(studentNamespace(studentId)) ?? [])];
    return [...students, ...this.#instructorConnections()];
  }

  #deliverNotice(notice: NoticeJson): void {
    for (const connection of this.#noticeAudience(notice.studentId)) connection.notify({ type: 'class.notice', notice });
  }

  async #pushSettings(): Promise<void> {
    if (this.#connections.size === 0) return;
    const openLessons = await this.#service.openLessons();
    for (const set of this.#connections.values()) for (const connection of set) connection.notify({ type: 'class.settings', openLessons });
  }

  /**
   * After a lost connection to the other processes: their presence is asked for again, ours
   * sent again, and what the tables say now is pushed to everyone here, for whatever events
   * were missed: roster rows, removals, open lessons, notices.
   */
  async #resync(): Promise<void> {
    this.#remote.clear();
    this.#publish({ type: 'presence.requested', process: this.#events.processId });
    this.#publishAllPresence();
    this.#inOrder('settings', () => this.#pushSettings());
    this.#inOrder('notices', async () => {
      const missed = await this.#service.progress.noticesAfter(this.#noticeMark);
      for (const notice of missed) {
        this.#noticeMark = Math.max(this.#noticeMark, notice.id);
        this.#deliverNotice(notice);
      }
    });
    const active = new Set((await this.#service.students.active()).map((student) => student.id));
    for (const namespace of [...this.#connections.keys()]) {
      const studentId = studentIdOf(namespace);
      if (studentId !== null && !active.has(studentId)) this.#studentRemoved(studentId);
    }
    for (const studentId of active) this.#rosterChanged(studentNamespace(studentId));
    // Events recorded in other processes while the connection was lost.
    for (const [studentId, shown] of this.#remoteShown) {
      for (const sessionId of shown.keys()) this.#inOrder(watchKey(studentId), () => this.#catchUp(studentId, sessionId));
    }
  }

  /**
   * This process's connections or sessions of a student changed: their row here, their presence
   * everywhere else (in order per student; after the transcripts are written if `afterTranscripts`).
   */
  #presenceChanged(namespace: string, afterTranscripts = false): void {
    this.#rosterChanged(namespace);
    const studentId = studentIdOf(namespace);
    if (studentId === null) return;
    const transcripts = this.#sources.transcripts;
    if (!afterTranscripts || transcripts === undefined) {
      this.#publish(this.#presenceOf(studentId));
      return;
    }
    this.#inOrder(`presence:${studentId}`, async () => {
      // Written or not, the presence goes out: a failed write is the store's to report.
      await transcripts.flush().catch(() => undefined);
      this.#publish(this.#presenceOf(studentId));
    });
  }

  #publishAllPresence(): void {
    const namespaces = new Set([...this.#connections.keys(), ...this.#sessionsByNamespace().keys(), ...[...this.#watchers.keys()].map(studentNamespace)]);
    for (const namespace of namespaces) {
      const studentId = studentIdOf(namespace);
      if (studentId !== null) this.#publish(this.#presenceOf(studentId));
    }
  }

  #presenceOf(studentId: string): PresenceEvent {
    const namespace = studentNamespace(studentId);
    return {
      type: 'student.presence',
      process: this.#events.processId,
      studentId,
      connections: this.connectionCount(namespace),
      sessions: this.#localSessions(namespace),
      omittedSessions: 0,
      watched: this.#watchers.has(studentId),
    };
  }

  #publish(event: ClassEvent): void {
    // Connections closing at shutdown have nobody left to tell.
    if (this.#closed) return;
    this.#events.publish(event).catch(this.#onError);
  }

  /** While other processes' presence is held, checks now and then that they are still up. */
  #watchPresence(): void {
    if (this.#presenceCheck !== undefined) return;
    this.#presenceCheck = setInterval(() => {
      if (this.#remote.isEmpty) {
        clearInterval(this.#presenceCheck);
        this.#presenceCheck = undefined;
        return;
      }
      // One check at a time: a slow database does not pile them up.
      if (this.#checkingPresence) return;
      this.#checkingPresence = true;
      this.forgetGoneProcesses()
        .catch(this.#onError)
        .finally(() => {
          this.#checkingPresence = false;
        });
    }, PRESENCE_CHECK_MS);
    this.#presenceCheck.unref();
  }

  /**
   * Pushes the student's roster row to the instructors. The row is read from the database, so
   * the push comes a moment later; one student's pushes run in order, so the last row sent is
   * the newest.
   */
  #rosterChanged(namespace: string): void {
    const studentId = studentIdOf(namespace);
    if (studentId === null || this.#instructorConnections().length === 0) return;
    this.#inOrder(namespace, () => this.#pushRosterRow(studentId));
  }

  /** Runs `work` after the work queued before under the same key; a failure is reported, the queue goes on. */
  #inOrder(key: string, work: () => void | Promise<void>): void {
    const next: Promise<void> = (this.#queues.get(key) ?? Promise.resolve())
      .then(work)
      .catch(this.#onError)
      .finally(() => {
        if (this.#queues.get(key) === next) this.#queues.delete(key);
      });
    this.#queues.set(key, next);
  }

  async #pushRosterRow(studentId: string): Promise<void> {
    const [student, progress] = await Promise.all([this.#service.students.byId(studentId), this.#service.progress.ofStudent(studentId)]);
    if (student === null) return;
    this.#toInstructors({ type: 'class.student', entry: this.#entry(student, this.#localSessions(studentNamespace(studentId)), progress) });
  }

  #entry(student: StudentJson, sessions: readonly LiveSessionJson[], progress: readonly { lessonId: string; completedAt: string | null }[]): RosterEntry {
    const namespace = studentNamespace(student.id);
    // Every process's tabs and sessions of the student: this one's and the others' last presence.
    const connections = this.connectionCount(namespace) + this.#remote.connections(student.id);
    return {
      student,
      online: connections > 0,
      connections,
      completed: progress.filter((record) => record.completedAt !== null).map((record) => record.lessonId),
      sessions: [...sessions, ...this.#remote.sessions(student.id)],
    };
  }

  /**
   * The student's live sessions with their last events, this process's and the others': bounded,
   * and saying how many were left out.
   */
  async #snapshot(studentId: string, connection: HubConnection, waiting: readonly ClassroomServerMessage[]): Promise<SnapshotSession[]> {
    const namespace = studentNamespace(studentId);
    const sessions = this.#localSessions(namespace);
    const remote = [...(this.#remoteShown.get(studentId)?.values() ?? [])];
    const bytesEach = Math.floor(WATCH_SNAPSHOT_BYTES / Math.max(sessions.length + remote.length, 1));
    // Every read starts in this tick, so each one's boundary is the moment of the subscription.
    const local = Promise.all(
      sessions.map(async (session) => {
        const recorded = await this.#sources.recordedEvents(namespace, session.sessionId, WATCH_SNAPSHOT_EVENTS, bytesEach);
        return { ...session, events: (recorded?.events ?? []) as { type: string }[], omittedEvents: recorded?.omitted ?? 0 };
      }),
    );
    const others = this.#remoteSnapshot(studentId, remote, bytesEach, connection, waiting);
    return [...(await local), ...(await others)];
  }

  /**
   * The other processes' sessions of the snapshot, read from the shared transcripts in the
   * student's queue: what was relayed before is in the tail, what is relayed after follows it.
   */
  #remoteSnapshot(
    studentId: string,
    sessions: readonly LiveSessionJson[],
    bytesEach: number,
    connection: HubConnection,
    waiting: readonly ClassroomServerMessage[],
  ): Promise<SnapshotSession[]> {
    const transcripts = this.#sources.transcripts;
    if (transcripts === undefined) return Promise.resolve([]);
    const namespace = studentNamespace(studentId);
    return new Promise((resolve, reject) => {
      this.#inOrder(watchKey(studentId), async () => {
        try {
          const seen = new Map<string, number>();
          const read = await Promise.all(
            sessions.map(async (session) => {
              const tail = await transcripts.lastEvents(namespace, session.sessionId, WATCH_SNAPSHOT_EVENTS, bytesEach);
              seen.set(session.sessionId, tail?.events.at(-1)?.seq ?? 0);
              return { ...session, events: (tail?.events ?? []).map((recorded) => recorded.event as { type: string }), omittedEvents: tail?.omitted ?? 0 };
            }),
          );
          this.#markSeen(studentId, connection, waiting, seen);
          resolve(read);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** The watcher's snapshot of other processes' sessions is read (unless a later watch replaced it): relays to it begin. */
  #markSeen(studentId: string, connection: HubConnection, waiting: readonly ClassroomServerMessage[], seen: Map<string, number>): void {
    if (this.#awaitingSnapshot.get(connection) !== waiting) return;
    const byWatcher = this.#remoteSeen.get(studentId) ?? new Map<HubConnection, Map<string, number>>();
    byWatcher.set(connection, seen);
    this.#remoteSeen.set(studentId, byWatcher);
  }

  #stopWatching(studentId: string, connection: HubConnection): void {
    const watchers = this.#watchers.get(studentId);
    watchers?.delete(connection);
    this.#remoteSeen.get(studentId)?.delete(connection);
    if (watchers === undefined || watchers.size > 0) return;
    this.#watchers.delete(studentId);
    this.#remoteShown.delete(studentId);
    this.#remoteSeen.delete(studentId);
    // Nobody here watches them any more: the other processes may stop announcing.
    this.#publish(this.#presenceOf(studentId));
  }

  /** Sends a watcher one of the student's session messages, after its snapshot if that is still being read. */
  #relay(watcher: HubConnection, studentId: string, message: SessionMessage): void {
    const relayed: ClassroomServerMessage = { type: 'watch.message', studentId, message };
    const waiting = this.#awaitingSnapshot.get(watcher);
    if (waiting === undefined) watcher.notify(relayed);
    else waiting.push(relayed);
  }

  /**
   * Another process's sessions of a student changed (its presence, or the process gone): the
   * student's watchers here are told which opened and which closed, in the student's queue,
   * a closed one after its last recorded events.
   */
  #remoteSessionsChanged(studentId: string, processGone: boolean): void {
    const shown = this.#remoteShown.get(studentId);
    if (shown === undefined) return;
    const current = new Map(this.#remote.sessions(studentId).map((session) => [session.sessionId, session]));
    for (const [sessionId, session] of current) {
      if (shown.has(sessionId)) continue;
      shown.set(sessionId, session);
      // The target's label is the bridge's; another process's presence names only the target.
      this.#inOrder(watchKey(studentId), () => this.#toWatchers(studentId, { type: 'session.opened', sessionId, target: session.target, label: session.target }));
    }
    for (const sessionId of [...shown.keys()]) {
      if (current.has(sessionId)) continue;
      shown.delete(sessionId);
      this.#inOrder(watchKey(studentId), async () => {
        await this.#catchUp(studentId, sessionId);
        const reason = processGone ? PROCESS_GONE_REASON : ((await this.#sources.transcripts?.get(studentNamespace(studentId), sessionId))?.endReason ?? 'The session ended.');
        this.#toWatchers(studentId, { type: 'session.closed', sessionId, reason, by: processGone ? 'shutdown' : 'server' });
        for (const seen of this.#remoteSeen.get(studentId)?.values() ?? []) seen.delete(sessionId);
      });
    }
  }

  #toWatchers(studentId: string, message: SessionMessage & Record<string, unknown>): void {
    for (const watcher of this.#watchers.get(studentId) ?? []) this.#relay(watcher, studentId, message);
  }

  /**
   * A dashboard in another process began watching the student: the lines this process wrote
   * before it heard so (after that dashboard's snapshot, unannounced) are announced now.
   */
  #announceTranscripts(studentId: string): void {
    const transcripts = this.#sources.transcripts;
    if (transcripts === undefined) return;
    const namespace = studentNamespace(studentId);
    for (const { sessionId } of this.#sources.liveSessions(namespace)) {
      this.#inOrder(watchKey(studentId), async () => {
        const last = (await transcripts.lastEvents(namespace, sessionId, 1, 1))?.events.at(-1);
        if (last !== undefined) this.#publish({ type: 'transcript.recorded', namespace, sessionId, seq: last.seq });
      });
    }
  }

  /** Another process recorded events of a session: relayed here if its student is watched here and the session is not live here. */
  #transcriptRecorded(namespace: string, sessionId: string, seq: number): void {
    const studentId = studentIdOf(namespace);
    if (studentId === null || !this.#remoteShown.get(studentId)?.has(sessionId)) return;
    // This process's own sessions reach watchers through sessionMessage.
    if (this.#sources.liveSessions(namespace).some((session) => session.sessionId === sessionId)) return;
    this.#inOrder(watchKey(studentId), () => this.#catchUp(studentId, sessionId, seq));
  }

  /**
   * Relays the session's recorded events that the student's watchers (those whose snapshot is
   * read) have not had, in order, each once; bounded pages.
   */
  async #catchUp(studentId: string, sessionId: string, upTo = Number.POSITIVE_INFINITY): Promise<void> {
    const transcripts = this.#sources.transcripts;
    const byWatcher = this.#remoteSeen.get(studentId);
    if (transcripts === undefined || byWatcher === undefined || byWatcher.size === 0) return;
    let after = Math.min(...[...byWatcher.values()].map((seen) => seen.get(sessionId) ?? 0));
    if (after >= upTo) return;
    const namespace = studentNamespace(studentId);
    for (let pages = 0; pages < MAX_CATCH_UP_PAGES; pages++) {
      const page = await transcripts.eventPage(namespace, sessionId, { after });
      if (page === null) return;
      for (const { seq, event } of page.events) {
        // Watchers that stopped meanwhile are no longer in the map.
        for (const [watcher, seen] of this.#remoteSeen.get(studentId) ?? []) {
          if ((seen.get(sessionId) ?? 0) >= seq) continue;
          seen.set(sessionId, seq);
          this.#relay(watcher, studentId, { type: 'session.event', sessionId, event: event as { type: string } });
        }
      }
      if (page.nextAfter === null) return;
      after = page.nextAfter;
    }
  }

  /** Every live session of this process, by namespace (the whole roster, a resync). */
  #sessionsByNamespace(): Map<string, LiveSessionJson[]> {
    const grouped = new Map<string, LiveSessionJson[]>();
    for (const session of this.#sources.liveSessions()) {
      const list = grouped.get(session.namespace) ?? [];
      list.push(toLiveSessionJson(session));
      grouped.set(session.namespace, list);
    }
    return grouped;
  }

  /** One namespace's live sessions in this process: asked on every state change, so never the whole process's. */
  #localSessions(namespace: string): LiveSessionJson[] {
    return this.#sources.liveSessions(namespace).map(toLiveSessionJson);
  }

  #instructorConnections(): HubConnection[] {
    return [...(this.#connections.get(INSTRUCTOR_NAMESPACE) ?? [])];
  }

  #toInstructors(message: ClassroomServerMessage): void {
    for (const connection of this.#instructorConnections()) connection.notify(message);
  }
}

function toLiveSessionJson({ sessionId, target, startedAt, state, label }: HubSession): LiveSessionJson {
  return { sessionId, target, startedAt, state, label };
}

/** The queue of a watched student's sessions in other processes. */
function watchKey(studentId: string): string {
  return `watch:${studentId}`;
}

function studentIdOf(namespace: string): string | null {
  return namespace.startsWith(STUDENT_PREFIX) ? namespace.slice(STUDENT_PREFIX.length) : null;
}
