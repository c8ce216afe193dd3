/**
 * The classroom's live side of the WebSocket bridge: who is online (and how many tabs each
 * student has), the instructor's roster updates, `watch` subscriptions to a student's live
 * sessions, and pushes of notices and open lessons. The bridge calls it for every connection,
 * every session message and every classroom client message; it never touches a socket itself.
 */
import type { ClassroomClientMessage, ClassroomServerMessage, RosterEntry } from '../../protocol/wire/classroom-contract.ts';
import { CLOSE_REMOVED_FROM_CLASS } from '../../protocol/wire/classroom-contract.ts';
import { INSTRUCTOR_NAMESPACE, studentNamespace, type LiveSessionJson, type NoticeJson, type StudentJson } from './classroom-types.ts';
import type { ClassListener, ClassService } from './class-service.ts';

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
  /** Every live bridged session. */
  readonly liveSessions: () => readonly HubSession[];
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
}

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

export class LiveHub implements Partial<ClassListener> {
  readonly #service: ClassService;
  readonly #sources: HubSources;
  readonly #maxConnectionsPerStudent: number;
  readonly #connections = new Map<string, Set<HubConnection>>();
  /** Student id → the instructor connections watching them. */
  readonly #watchers = new Map<string, Set<HubConnection>>();
  /** Live session id → its last state label, to push roster rows only when it changes. */
  readonly #labels = new Map<string, string>();
  /** Student id → the last roster push queued for them (the chain that keeps their pushes in order). */
  readonly #pushes = new Map<string, Promise<void>>();
  /** Watchers whose snapshot is still being read: what is relayed meanwhile waits here, to follow it. */
  readonly #awaitingSnapshot = new Map<HubConnection, ClassroomServerMessage[]>();

  /** Where a push that could not be made (the database failing) is reported; the hub keeps running. */
  readonly #onError: (error: unknown) => void;

  constructor(service: ClassService, sources: HubSources, maxConnectionsPerStudent: number, onError: (error: unknown) => void = () => undefined) {
    this.#service = service;
    this.#onError = onError;
    this.#sources = sources;
    this.#maxConnectionsPerStudent = maxConnectionsPerStudent;
    service.listen(this);
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
    this.#rosterChanged(connection.namespace);
  }

  disconnected(connection: HubConnection): void {
    const set = this.#connections.get(connection.namespace);
    set?.delete(connection);
    if (set?.size === 0) this.#connections.delete(connection.namespace);
    this.#awaitingSnapshot.delete(connection);
    for (const [studentId, watchers] of this.#watchers) {
      watchers.delete(connection);
      if (watchers.size === 0) this.#watchers.delete(studentId);
    }
    this.#rosterChanged(connection.namespace);
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
    if (changed || message.type === 'session.opened' || message.type === 'session.closed') this.#rosterChanged(namespace);
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
      this.#watchers.get(studentId)?.delete(connection);
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
    const waiting: ClassroomServerMessage[] = [];
    this.#awaitingSnapshot.set(connection, waiting);
    void this.#snapshot(studentId).then(
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
    return students.map((student) => this.#entry(student, sessions, progress.get(student.id) ?? []));
  }

  studentChanged(studentId: string): void {
    this.#rosterChanged(studentNamespace(studentId));
  }

  studentRemoved(studentId: string): void {
    for (const connection of [...(this.#connections.get(studentNamespace(studentId)) ?? [])]) {
      connection.kick(CLOSE_REMOVED_FROM_CLASS, 'The instructor removed you from the class.');
    }
    this.#watchers.delete(studentId);
    this.#toInstructors({ type: 'class.student.removed', studentId });
  }

  openLessonsChanged(openLessons: readonly string[] | null): void {
    for (const set of this.#connections.values()) for (const connection of set) connection.notify({ type: 'class.settings', openLessons });
  }

  noticeAdded(notice: NoticeJson): void {
    const audience =
      notice.studentId === null
        ? [...this.#connections.entries()].filter(([namespace]) => namespace.startsWith(STUDENT_PREFIX)).flatMap(([, set]) => [...set])
        : [...(this.#connections.get(studentNamespace(notice.studentId)) ?? [])];
    for (const connection of [...audience, ...this.#instructorConnections()]) connection.notify({ type: 'class.notice', notice });
  }

  /** Resolves once every roster push begun so far has been sent (or failed and been reported). */
  async idle(): Promise<void> {
    while (this.#pushes.size > 0) await Promise.all(this.#pushes.values());
  }

  /**
   * Pushes the student's roster row to the instructors. The row is read from the database, so
   * the push comes a moment later; one student's pushes run in order, so the last row sent is
   * the newest.
   */
  #rosterChanged(namespace: string): void {
    const studentId = studentIdOf(namespace);
    if (studentId === null || this.#instructorConnections().length === 0) return;
    const next = (this.#pushes.get(studentId) ?? Promise.resolve())
      .then(() => this.#pushRosterRow(studentId))
      .catch(this.#onError)
      .finally(() => {
        if (this.#pushes.get(studentId) === next) this.#pushes.delete(studentId);
      });
    this.#pushes.set(studentId, next);
  }

  async #pushRosterRow(studentId: string): Promise<void> {
    const [student, progress] = await Promise.all([this.#service.students.byId(studentId), this.#service.progress.ofStudent(studentId)]);
    if (student === null) return;
    this.#toInstructors({ type: 'class.student', entry: this.#entry(student, this.#sessionsByNamespace(), progress) });
  }

  #entry(student: StudentJson, sessions: Map<string, LiveSessionJson[]>, progress: readonly { lessonId: string; completedAt: string | null }[]): RosterEntry {
    const namespace = studentNamespace(student.id);
    const connections = this.connectionCount(namespace);
    return {
      student,
      online: connections > 0,
      connections,
      completed: progress.filter((record) => record.completedAt !== null).map((record) => record.lessonId),
      sessions: sessions.get(namespace) ?? [],
    };
  }

  /** The student's live sessions with their last events: bounded, and saying how many were left out. */
  #snapshot(studentId: string) {
    const namespace = studentNamespace(studentId);
    const sessions = this.#sessionsByNamespace().get(namespace) ?? [];
    const bytesEach = Math.floor(WATCH_SNAPSHOT_BYTES / Math.max(sessions.length, 1));
    // Every read starts in this tick, so each one's boundary is the moment of the subscription.
    return Promise.all(
      sessions.map(async (session) => {
        const recorded = await this.#sources.recordedEvents(namespace, session.sessionId, WATCH_SNAPSHOT_EVENTS, bytesEach);
        return { ...session, events: (recorded?.events ?? []) as { type: string }[], omittedEvents: recorded?.omitted ?? 0 };
      }),
    );
  }

  #sessionsByNamespace(): Map<string, LiveSessionJson[]> {
    const grouped = new Map<string, LiveSessionJson[]>();
    for (const { namespace, sessionId, target, startedAt, state, label } of this.#sources.liveSessions()) {
      const list = grouped.get(namespace) ?? [];
      list.push({ sessionId, target, startedAt, state, label });
      grouped.set(namespace, list);
    }
    return grouped;
  }

  #instructorConnections(): HubConnection[] {
    return [...(this.#connections.get(INSTRUCTOR_NAMESPACE) ?? [])];
  }

  #toInstructors(message: ClassroomServerMessage): void {
    for (const connection of this.#instructorConnections()) connection.notify(message);
  }
}

function studentIdOf(namespace: string): string | null {
  return namespace.startsWith(STUDENT_PREFIX) ? namespace.slice(STUDENT_PREFIX.length) : null;
}
