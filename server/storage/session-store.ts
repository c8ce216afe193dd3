/**
 * Transcripts of live learner sessions, so a conversation can be reviewed after it ended and
 * after a restart.
 *
 * Appending is called for every line of every live session, on the event loop that also
 * relays them: so `append` only checks and queues, and the queue is written a few
 * milliseconds later in one transaction (one commit for many events instead of one each).
 * Every read, `create` and `end` writes the queue first, so reads always see every event.
 * Call `flush()` before closing the database; a crash loses at most the last few
 * milliseconds of events.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { PageOptions } from './message-types.ts';
import { pageBounds } from './page-bounds.ts';
import type { EventPage, EventPageOptions, EventTail, StoredSessionEvent, SessionPage, StoredSessionSummary } from './session-types.ts';

export interface SessionStoreOptions {
  /** The most sessions kept per namespace; creating one more deletes the oldest. Default 500. */
  readonly maxSessions?: number;
  /** How long appended events may wait before they are written. Default 10 ms. */
  readonly flushDelayMs?: number;
  /** A write that failed in the background (disk full…); default: ignored. */
  readonly onError?: (error: Error) => void;
}

export const DEFAULT_MAX_SESSIONS = 500;
const DEFAULT_FLUSH_DELAY_MS = 10;
/** Beyond this many queued events, write at once rather than wait for the timer. */
const MAX_QUEUED_EVENTS = 500;
export const DEFAULT_EVENT_PAGE_LIMIT = 500;
export const MAX_EVENT_PAGE_LIMIT = 500;
/** A page stops after the event that takes it past this many bytes of event JSON, so one read stays small. */
export const MAX_EVENT_PAGE_BYTES = 4 * 1024 * 1024;

interface SessionRow {
  id: string;
  target: string;
  client_address: string;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
  event_count: number;
}

interface EventRow {
  seq: number;
  at: number;
  event: string;
}

type QueuedEvent = readonly [sessionId: string, at: number, json: string];

const SESSION_COLUMNS = `id, target, client_address, started_at, ended_at, end_reason,
  (SELECT COUNT(*) FROM session_events e WHERE e.session_id = sessions.id) AS event_count`;

/** Records and reads session transcripts, per namespace. */
export class SessionStore {
  readonly maxSessions: number;
  readonly #db: Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #createSession: (namespace: string, id: string, target: string, clientAddress: string) => void;
  readonly #writeQueued: (events: readonly QueuedEvent[]) => void;
  readonly #flushDelayMs: number;
  readonly #onError: (error: Error) => void;
  #queue: QueuedEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Sessions seen to exist, so `append` checks the database once per session, not per event. */
  readonly #known = new Set<string>();

  constructor(db: Database, options: SessionStoreOptions = {}) {
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new RangeError(`maxSessions must be a positive integer, got ${maxSessions}`);
    }
    this.maxSessions = maxSessions;
    this.#db = db;
    this.#flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
    this.#onError = options.onError ?? (() => undefined);
    this.#statements = prepareStatements(db);
    this.#createSession = db.transaction((namespace: string, id: string, target: string, clientAddress: string) => {
      const s = this.#statements;
      s.insert.run(id, namespace, target, clientAddress, Date.now());
      const { total } = s.count.get(namespace) as { total: number };
      if (total <= this.maxSessions) return;
      s.deleteOldest.run(namespace, namespace, total - this.maxSessions);
      this.#known.clear();
    });
    this.#writeQueued = db.transaction((events: readonly QueuedEvent[]) => {
      for (const [sessionId, at, json] of events) {
        try {
          this.#statements.append.run(sessionId, at, json);
        } catch (error) {
          // Deleted since it was queued (evicted by another store on this database): its
          // events would have gone with it. Any other failure ends the transaction.
          if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
        }
      }
    });
  }

  /** Starts a transcript and returns its new session id (a UUID). */
  create(namespace: string, session: { target: string; clientAddress: string }): string {
    this.flush();
    const id = randomUUID();
    this.#createSession(namespace, id, session.target, session.clientAddress);
    this.#known.add(id);
    return id;
  }

  /**
   * Appends one event (any JSON-serializable value) to a session's transcript; it is written
   * within `flushDelayMs`. Throws if the session does not exist (never created, or evicted).
   */
  append(sessionId: string, event: unknown): void {
    const json = JSON.stringify(event);
    if (json === undefined) throw new TypeError('A session event must be JSON-serializable');
    if (!this.#known.has(sessionId)) {
      if (this.#statements.existsAnywhere.get(sessionId) === undefined) throw new Error(`No session ${sessionId} to append to`);
      this.#known.add(sessionId);
    }
    this.#queue.push([sessionId, Date.now(), json]);
    if (this.#queue.length >= MAX_QUEUED_EVENTS) this.flush();
    else this.#timer ??= setTimeout(() => this.#flushInBackground(), this.#flushDelayMs).unref();
  }

  /** Writes the queued events now (one transaction). Throws if the write fails. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0) return;
    const events = this.#queue;
    this.#queue = [];
    this.#writeQueued(events);
  }

  /** Marks a session as ended with a reason ("client closed", "idle timeout"…); the first end wins. */
  end(sessionId: string, reason: string): void {
    this.flush();
    this.#known.delete(sessionId);
    this.#statements.end.run(Date.now(), reason, sessionId);
  }

  /** A page of the namespace's sessions, newest first. */
  list(namespace: string, page: PageOptions = {}): SessionPage {
    this.flush();
    const { limit, offset } = pageBounds(page);
    const rows = this.#statements.list.all(namespace, limit, offset) as SessionRow[];
    const { total } = this.#statements.count.get(namespace) as { total: number };
    return { sessions: rows.map(toSummary), total };
  }

  /** One session's summary, or null if it is not in this namespace. */
  get(namespace: string, sessionId: string): StoredSessionSummary | null {
    this.flush();
    const row = this.#statements.one.get(namespace, sessionId) as SessionRow | undefined;
    return row === undefined ? null : toSummary(row);
  }

  /**
   * All of a session's events in order, or null if the session is not in this namespace. The
   * bridge caps what a session records; readers over HTTP use `eventPage`.
   */
  events(namespace: string, sessionId: string): StoredSessionEvent[] | null {
    this.flush();
    if (this.#statements.exists.get(namespace, sessionId) === undefined) return null;
    return (this.#statements.events.all(sessionId) as EventRow[]).map(toEvent);
  }

  /**
   * A page of a session's events in order: those with `seq` above `after`, at most `limit` of
   * them and about MAX_EVENT_PAGE_BYTES (always at least one). Null if the session is not in
   * this namespace. Read the next page with `after: nextAfter` while `hasMore`.
   */
  eventPage(namespace: string, sessionId: string, page: EventPageOptions = {}): EventPage | null {
    this.flush();
    if (this.#statements.exists.get(namespace, sessionId) === undefined) return null;
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_EVENT_PAGE_LIMIT), 1), MAX_EVENT_PAGE_LIMIT);
    const after = Math.max(Math.trunc(page.after ?? 0), 0);
    // One more than asked: whether there is more.
    const rows = this.#statements.eventsAfter.all(sessionId, after, limit + 1) as EventRow[];
    const events: StoredSessionEvent[] = [];
    let bytes = 0;
    for (const row of rows.slice(0, limit)) {
      if (events.length > 0 && bytes + row.event.length > MAX_EVENT_PAGE_BYTES) break;
      bytes += row.event.length;
      events.push(toEvent(row));
    }
    const hasMore = rows.length > events.length;
    return { events, hasMore, nextAfter: hasMore ? (events.at(-1)?.seq ?? after) : null };
  }

  /**
   * The last events of a session, at most `maxEvents` and about `maxBytes` of event JSON, in
   * order, and how many earlier ones were left out. Null if the session is not in this namespace.
   */
  lastEvents(namespace: string, sessionId: string, maxEvents: number, maxBytes: number): EventTail | null {
    this.flush();
    if (this.#statements.exists.get(namespace, sessionId) === undefined) return null;
    const rows = this.#statements.lastEvents.all(sessionId, maxEvents) as EventRow[];
    const kept: EventRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      if (kept.length > 0 && bytes + row.event.length > maxBytes) break;
      bytes += row.event.length;
      kept.push(row);
    }
    const { total } = this.#statements.eventCount.get(sessionId) as { total: number };
    return { events: kept.reverse().map(toEvent), omitted: total - kept.length };
  }

  /** Deletes every session of the namespace, events included; returns how many sessions there were. */
  deleteAll(namespace: string): number {
    this.flush();
    return this.#statements.deleteAll.run(namespace).changes;
  }

  #flushInBackground(): void {
    this.#timer = undefined;
    // Closed without a flush (a test, a failed start): nothing left to write to.
    if (!this.#db.open) {
      this.#queue = [];
      return;
    }
    try {
      this.flush();
    } catch (error) {
      this.#onError(error as Error);
    }
  }
}

function prepareStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    insert: statement(`INSERT INTO sessions (id, namespace, target, client_address, started_at)
        VALUES (?, ?, ?, ?, ?)`),
    count: statement('SELECT COUNT(*) AS total FROM sessions WHERE namespace = ?'),
    // The events go with their session (ON DELETE CASCADE).
    deleteOldest: statement(`DELETE FROM sessions WHERE namespace = ? AND id IN (
        SELECT id FROM sessions WHERE namespace = ? ORDER BY started_at, rowid LIMIT ?)`),
    append: statement('INSERT INTO session_events (session_id, at, event) VALUES (?, ?, ?)'),
    end: statement('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
    list: statement(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE namespace = ?
        ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`),
    one: statement(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE namespace = ? AND id = ?`),
    exists: statement('SELECT 1 FROM sessions WHERE namespace = ? AND id = ?'),
    existsAnywhere: statement('SELECT 1 FROM sessions WHERE id = ?'),
    events: statement('SELECT seq, at, event FROM session_events WHERE session_id = ? ORDER BY seq'),
    eventsAfter: statement('SELECT seq, at, event FROM session_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    lastEvents: statement('SELECT seq, at, event FROM session_events WHERE session_id = ? ORDER BY seq DESC LIMIT ?'),
    eventCount: statement('SELECT COUNT(*) AS total FROM session_events WHERE session_id = ?'),
    // The events go with their sessions (ON DELETE CASCADE).
    deleteAll: statement('DELETE FROM sessions WHERE namespace = ?'),
  };
}

function toEvent(row: EventRow): StoredSessionEvent {
  return { seq: row.seq, at: new Date(row.at).toISOString(), event: JSON.parse(row.event) };
}

function toSummary(row: SessionRow): StoredSessionSummary {
  return {
    id: row.id,
    target: row.target,
    clientAddress: row.client_address,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    endReason: row.end_reason,
    eventCount: row.event_count,
  };
}
