/**
 * One student's live SMTP sessions as the instructor watches them: the `watch.snapshot`
 * (each session's events so far) and then every session message of that student
 * (`watch.message`), fed through the same session model as the student's own page, so the
 * transcript reads exactly as the student sees it. Read-only: nothing is ever sent.
 */
import { fromWireEvent, parseServerMessage } from '../../../protocol/wire/contract.ts';
import { SessionRecorder } from '../session/session-recorder.ts';
import type { LabView } from '../session/view-types.ts';

/** Closed sessions kept beside the live ones, newest first. */
const MAX_SESSIONS = 6;

export interface WatchedSession {
  readonly sessionId: string;
  readonly startedAt: string;
  /** Why it closed, or null while it is open. */
  readonly closed: string | null;
  /** Events from before watching started that the snapshot left out (it keeps the last ones). */
  readonly omittedEvents: number;
  readonly view: LabView;
}

/** A session as `watch.snapshot` lists it. */
export interface SnapshotSession {
  readonly sessionId: string;
  readonly startedAt: string;
  readonly events: readonly unknown[];
  readonly omittedEvents: number;
}

interface Tracked {
  readonly sessionId: string;
  readonly startedAt: string;
  readonly recorder: SessionRecorder;
  closed: string | null;
  omittedEvents: number;
}

export class WatchedSessions {
  readonly studentId: string;
  /** Oldest first. */
  #sessions: Tracked[] = [];

  constructor(studentId: string) {
    this.studentId = studentId;
  }

  /** Starts over from a snapshot (sent when watching starts). */
  applySnapshot(sessions: readonly SnapshotSession[]): void {
    this.dispose();
    for (const session of sessions) {
      const tracked = this.#track(session.sessionId, session.startedAt);
      tracked.omittedEvents = session.omittedEvents;
      for (const event of session.events) this.#record(tracked, session.sessionId, event);
    }
  }

  /** One session message of the student (the `message` of a `watch.message`); false if not understood. */
  applyMessage(raw: unknown): boolean {
    const parsed = parseServerMessage(JSON.stringify(raw));
    if (!parsed.ok) return false;
    const message = parsed.message;
    switch (message.type) {
      case 'session.opened':
        if (this.#find(message.sessionId) === undefined) this.#track(message.sessionId, new Date().toISOString());
        return true;
      case 'session.event': {
        const tracked = this.#find(message.sessionId) ?? this.#track(message.sessionId, new Date().toISOString());
        tracked.recorder.record(fromWireEvent(message.event));
        return true;
      }
      case 'session.closed': {
        const tracked = this.#find(message.sessionId);
        if (tracked !== undefined) tracked.closed = message.reason;
        return true;
      }
      default:
        return true;
    }
  }

  /** The sessions, newest first. */
  list(): WatchedSession[] {
    return this.#sessions
      .map(({ sessionId, startedAt, closed, omittedEvents, recorder }) => ({ sessionId, startedAt, closed, omittedEvents, view: recorder.currentView() }))
      .reverse();
  }

  dispose(): void {
    for (const session of this.#sessions) session.recorder.stop();
    this.#sessions = [];
  }

  #find(sessionId: string): Tracked | undefined {
    return this.#sessions.find((session) => session.sessionId === sessionId);
  }

  #track(sessionId: string, startedAt: string): Tracked {
    const tracked: Tracked = { sessionId, startedAt, recorder: new SessionRecorder('live'), closed: null, omittedEvents: 0 };
    this.#sessions.push(tracked);
    while (this.#sessions.length > MAX_SESSIONS) {
      const oldest = this.#sessions.findIndex((session) => session.closed !== null);
      const [dropped] = this.#sessions.splice(oldest === -1 ? 0 : oldest, 1);
      dropped?.recorder.stop();
    }
    return tracked;
  }

  #record(tracked: Tracked, sessionId: string, event: unknown): void {
    const parsed = parseServerMessage(JSON.stringify({ type: 'session.event', sessionId, event }));
    if (parsed.ok && parsed.message.type === 'session.event') tracked.recorder.record(fromWireEvent(parsed.message.event));
  }
}
