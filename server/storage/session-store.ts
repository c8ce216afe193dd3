/**
 * Transcripts of live learner sessions, so a conversation can be reviewed after it ended and
 * after a restart.
 *
 * Writing is called for every line of every live session, on the event loop that also
 * relays them: so `create`, `append` and `end` only check and queue (the bridge gets its
 * session id at once), and the queue is written a few milliseconds later in one transaction
 * (one commit for many events instead of one each). Every read writes the queue first, so
 * reads always see every event. Call `flush()` before closing the database; a crash loses at
 * most the last few milliseconds of events.
 */
import { randomUUID } from 'node:crypto';
import type { PageOptions } from './message-types.ts';
import { pageBounds } from './page-bounds.ts';
import type { SqlDatabase, SqlEngine, SqlSession } from './sql/sql-database.ts';
import type { EventPage, EventPageOptions, EventTail, StoredSessionEvent, SessionPage, StoredSessionSummary } from './session-types.ts';

export interface SessionStoreOptions {
  /** The most sessions kept per namespace; creating one more deletes the oldest. Default 500. */
  readonly maxSessions?: number;
  /** How long appended events may wait before they are written. Default 10 ms. */
  readonly flushDelayMs?: number;
  /** A write that failed in the background (disk full…); default: ignored. */
  readonly onError?: (error: Error) => void;
  /**
   * Called after each write commits, with the sessions it added events to and the last `seq`
   * written for each (other processes' watchers read those events from the table).
   */
  readonly onRecorded?: (recorded: readonly RecordedEvents[]) => void;
}

/** A session's transcript has events up to `seq`. */
export interface RecordedEvents {
  readonly namespace: string;
  readonly sessionId: string;
  readonly seq: number;
}

export const DEFAULT_MAX_SESSIONS = 500;
const DEFAULT_FLUSH_DELAY_MS = 10;
/** Beyond this many queued writes, write at once rather than wait for the timer. */
const MAX_QUEUED_EVENTS = 500;
/**
 * Events per INSERT: within both engines' limits on parameters (3 each), and few statement
 * texts to prepare (one per row count up to this).
 */
const EVENTS_PER_STATEMENT = 100;
/** A statement also ends after the event that takes its JSON past this many bytes, so one stays small. */
const BYTES_PER_STATEMENT = 1024 * 1024;
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

/** A write waiting in the queue, in the order it was asked for. */
type QueuedWrite =
  | { readonly kind: 'create'; readonly namespace: string; readonly id: string; readonly target: string; readonly clientAddress: string; readonly at: number }
  | { readonly kind: 'append'; readonly namespace: string; readonly id: string; readonly at: number; readonly json: string }
  | { readonly kind: 'end'; readonly id: string; readonly at: number; readonly reason: string };

const SESSION_COLUMNS = `id, target, client_address, started_at, ended_at, end_reason,
  (SELECT COUNT(*) FROM session_events e WHERE e.session_id = sessions.id) AS event_count`;

/** Records and reads session transcripts, per namespace, on either engine. */
export class SessionStore {
  readonly maxSessions: number;
  readonly #db: SqlDatabase;
  readonly #sql: ReturnType<typeof sessionStatements>;
  readonly #flushDelayMs: number;
  readonly #onError: (error: Error) => void;
  readonly #onRecorded: ((recorded: readonly RecordedEvents[]) => void) | undefined;
  #queue: QueuedWrite[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The last write under way (settled either way): the next one starts after it. */
  #writing: Promise<void> = Promise.resolve();
  /** Sessions this store made and has not seen end or be evicted, with their namespaces: `append` checks them without a query. */
  readonly #known = new Map<string, string>();

  constructor(db: SqlDatabase, options: SessionStoreOptions = {}) {
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new RangeError(`maxSessions must be a positive integer, got ${maxSessions}`);
    }
    this.maxSessions = maxSessions;
    this.#db = db;
    this.#sql = sessionStatements(db.engine);
    this.#flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
    this.#onError = options.onError ?? (() => undefined);
    this.#onRecorded = options.onRecorded;
  }

  /** Starts a transcript and returns its new session id (a UUID); it is written with the next flush. */
  create(namespace: string, session: { target: string; clientAddress: string }): string {
    const id = randomUUID();
    this.#queueWrite({ kind: 'create', namespace, id, target: session.target, clientAddress: session.clientAddress, at: Date.now() });
    this.#known.set(id, namespace);
    return id;
  }

  /**
   * Appends one event (any JSON-serializable value) to a session's transcript; it is written
   * within `flushDelayMs`. Throws if this store did not create the session, or it has ended or
   * been evicted; the events of a session another store (or process) deleted meanwhile are dropped.
   */
  append(sessionId: string, event: unknown): void {
    const json = JSON.stringify(event);
    if (json === undefined) throw new TypeError('A session event must be JSON-serializable');
    const namespace = this.#known.get(sessionId);
    if (namespace === undefined) throw new Error(`No session ${sessionId} to append to`);
    this.#queueWrite({ kind: 'append', namespace, id: sessionId, at: Date.now(), json });
  }

  /** Marks a session as ended with a reason ("client closed", "idle timeout"…); the first end wins. */
  end(sessionId: string, reason: string): void {
    this.#known.delete(sessionId);
    this.#queueWrite({ kind: 'end', id: sessionId, at: Date.now(), reason });
  }

  /** Writes the queued writes now (one transaction, after any write under way). Rejects if that write fails. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0) return this.#writing;
    const writes = this.#queue;
    this.#queue = [];
    const done = this.#writing.then(async () => {
      const recorded = await this.#db.transaction((tx) => this.#write(tx, writes));
      // After the commit: whoever reads these events now finds them.
      if (recorded.length === 0) return;
      try {
        this.#onRecorded?.(recorded);
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.#writing = done.catch(() => undefined);
    return done;
  }

  /** A page of the namespace's sessions, newest first. */
  async list(namespace: string, page: PageOptions = {}): Promise<SessionPage> {
    await this.flush();
    const { limit, offset } = pageBounds(page);
    const rows = await this.#db.all<SessionRow>(this.#sql.list, [namespace, limit, offset]);
    const { total } = (await this.#db.get<{ total: number }>(this.#sql.count, [namespace]))!;
    return { sessions: rows.map(toSummary), total };
  }

  /** One session's summary, or null if it is not in this namespace. */
  async get(namespace: string, sessionId: string): Promise<StoredSessionSummary | null> {
    await this.flush();
    const row = await this.#db.get<SessionRow>(this.#sql.one, [namespace, sessionId]);
    return row === undefined ? null : toSummary(row);
  }

  /**
   * All of a session's events in order, or null if the session is not in this namespace. The
   * bridge caps what a session records; readers over HTTP use `eventPage`.
   */
  async events(namespace: string, sessionId: string): Promise<StoredSessionEvent[] | null> {
    if (!(await this.#exists(namespace, sessionId))) return null;
    return (await this.#db.all<EventRow>(this.#sql.events, [sessionId])).map(toEvent);
  }

  /**
   * A page of a session's events in order: those with `seq` above `after`, at most `limit` of
   * them and about MAX_EVENT_PAGE_BYTES (always at least one). Null if the session is not in
   * this namespace. Read the next page with `after: nextAfter` while `hasMore`.
   */
  async eventPage(namespace: string, sessionId: string, page: EventPageOptions = {}): Promise<EventPage | null> {
    if (!(await this.#exists(namespace, sessionId))) return null;
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_EVENT_PAGE_LIMIT), 1), MAX_EVENT_PAGE_LIMIT);
    const after = Math.max(Math.trunc(page.after ?? 0), 0);
    // One more than asked: whether there is more.
    const rows = await this.#db.all<EventRow>(this.#sql.eventsAfter, [sessionId, after, limit + 1]);
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
  lastEvents(namespace: string, sessionId: string, maxEvents: number, maxBytes: number): Promise<EventTail | null> {
    // Read between the write of what is queued now and any later write: exactly the events
    // appended before this call (a watcher's snapshot; what follows is relayed to it live).
    this.#flushInBackground();
    const read = this.#writing.then(() => this.#lastEvents(namespace, sessionId, maxEvents, maxBytes));
    this.#writing = read.then(
      () => undefined,
      () => undefined,
    );
    return read;
  }

  async #lastEvents(namespace: string, sessionId: string, maxEvents: number, maxBytes: number): Promise<EventTail | null> {
    if ((await this.#db.get(this.#sql.exists, [namespace, sessionId])) === undefined) return null;
    const rows = await this.#db.all<EventRow>(this.#sql.lastEvents, [sessionId, maxEvents]);
    const kept: EventRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      if (kept.length > 0 && bytes + row.event.length > maxBytes) break;
      bytes += row.event.length;
      kept.push(row);
    }
    const { total } = (await this.#db.get<{ total: number }>(this.#sql.eventCount, [sessionId]))!;
    return { events: kept.reverse().map(toEvent), omitted: total - kept.length };
  }

  /** Deletes every session of the namespace, events included; returns how many sessions there were. */
  async deleteAll(namespace: string): Promise<number> {
    await this.flush();
    return (await this.#db.run(this.#sql.deleteAll, [namespace])).changes;
  }

  /** Whether the session is in this namespace, once the queue is written. */
  async #exists(namespace: string, sessionId: string): Promise<boolean> {
    await this.flush();
    return (await this.#db.get(this.#sql.exists, [namespace, sessionId])) !== undefined;
  }

  #queueWrite(write: QueuedWrite): void {
    this.#queue.push(write);
    if (this.#queue.length >= MAX_QUEUED_EVENTS) this.#flushInBackground();
    else this.#timer ??= setTimeout(() => this.#flushInBackground(), this.#flushDelayMs).unref();
  }

  /** A failed background write is reported, never thrown at the session that queued it. */
  #flushInBackground(): void {
    this.flush().catch((error: unknown) => this.#onError(error instanceof Error ? error : new Error(String(error))));
  }

  /**
   * Writes the queue; returns the last seq written per session (in the order they were first
   * written). Creations first (a session's events always follow its creation), then the events
   * in queue order, many per statement, then the ends (none of a session's events follow its end).
   */
  async #write(tx: SqlSession, writes: readonly QueuedWrite[]): Promise<RecordedEvents[]> {
    const appends: Extract<QueuedWrite, { kind: 'append' }>[] = [];
    for (const write of writes) {
      if (write.kind === 'create') await this.#insertSession(tx, write);
      else if (write.kind === 'append') appends.push(write);
    }
    const recorded = new Map<string, RecordedEvents>();
    for (const chunk of statementChunks(appends)) await this.#insertEvents(tx, chunk, recorded);
    for (const write of writes) {
      if (write.kind === 'end') await tx.run(this.#sql.end, [write.at, write.reason, write.id]);
    }
    return [...recorded.values()];
  }

  /** A new session, evicting the namespace's oldest beyond `maxSessions`. */
  async #insertSession(tx: SqlSession, write: Extract<QueuedWrite, { kind: 'create' }>): Promise<void> {
    const s = this.#sql;
    await tx.run(s.insert, [write.id, write.namespace, write.target, write.clientAddress, write.at]);
    const { total } = (await tx.get<{ total: number }>(s.count, [write.namespace]))!;
    if (total <= this.maxSessions) return;
    const evicted = await tx.all<{ id: string }>(s.deleteOldest, [write.namespace, write.namespace, total - this.maxSessions]);
    for (const { id } of evicted) this.#known.delete(id);
  }

  /**
   * Events in one statement, in queue order (their seq follows it). Those of a session deleted
   * since they were queued (evicted here or by another process) are dropped: its events went with it.
   */
  async #insertEvents(tx: SqlSession, appends: readonly Extract<QueuedWrite, { kind: 'append' }>[], recorded: Map<string, RecordedEvents>): Promise<void> {
    const ids = [...new Set(appends.map((write) => write.id))];
    const existing = await tx.all<{ id: string }>(this.#sql.existingSessions(ids.length), ids);
    const live = new Set(existing.map((row) => row.id));
    const kept = appends.filter((write) => live.has(write.id));
    if (kept.length === 0) return;
    const rows = await tx.all<{ session_id: string; seq: number }>(
      this.#sql.appendEvents(kept.length),
      kept.flatMap((write) => [write.id, write.at, write.json]),
    );
    const namespaceOf = new Map(kept.map((write) => [write.id, write.namespace]));
    for (const row of rows) {
      const last = recorded.get(row.session_id);
      if (last !== undefined && last.seq >= row.seq) continue;
      recorded.set(row.session_id, { namespace: namespaceOf.get(row.session_id)!, sessionId: row.session_id, seq: row.seq });
    }
  }
}

/**
 * The statements; `insertionOrder` breaks ties in started_at (SQLite's rowid, PostgreSQL's
 * created_seq). Events go in many to a statement (one round trip on PostgreSQL instead of one each).
 */
function sessionStatements(engine: SqlEngine) {
  const insertionOrder = engine === 'postgres' ? 'created_seq' : 'rowid';
  // PostgreSQL: the lock a foreign key check takes, so no other process deletes the session
  // before this transaction commits. SQLite: the transaction already holds the only write lock.
  const keepSessions = engine === 'postgres' ? ' FOR KEY SHARE' : '';
  return {
    insert: `INSERT INTO sessions (id, namespace, target, client_address, started_at)
        VALUES (?, ?, ?, ?, ?)`,
    count: 'SELECT COUNT(*) AS total FROM sessions WHERE namespace = ?',
    // The events go with their session (ON DELETE CASCADE).
    deleteOldest: `DELETE FROM sessions WHERE namespace = ? AND id IN (
        SELECT id FROM sessions WHERE namespace = ? ORDER BY started_at, ${insertionOrder} LIMIT ?) RETURNING id`,
    existingSessions: (count: number) => `SELECT id FROM sessions WHERE id IN (${placeholders(count, '?')})${keepSessions}`,
    // Rows are numbered in the order written: the transcript's order.
    appendEvents: (count: number) =>
      `INSERT INTO session_events (session_id, at, event) VALUES ${placeholders(count, '(?, CAST(? AS BIGINT), ?)')} RETURNING session_id, seq`,
    end: 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
    list: `SELECT ${SESSION_COLUMNS} FROM sessions WHERE namespace = ?
        ORDER BY started_at DESC, ${insertionOrder} DESC LIMIT ? OFFSET ?`,
    one: `SELECT ${SESSION_COLUMNS} FROM sessions WHERE namespace = ? AND id = ?`,
    exists: 'SELECT 1 FROM sessions WHERE namespace = ? AND id = ?',
    events: 'SELECT seq, at, event FROM session_events WHERE session_id = ? ORDER BY seq',
    eventsAfter: 'SELECT seq, at, event FROM session_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    lastEvents: 'SELECT seq, at, event FROM session_events WHERE session_id = ? ORDER BY seq DESC LIMIT ?',
    eventCount: 'SELECT COUNT(*) AS total FROM session_events WHERE session_id = ?',
    // The events go with their sessions (ON DELETE CASCADE).
    deleteAll: 'DELETE FROM sessions WHERE namespace = ?',
  };
}

/** Consecutive appends cut into statements of at most EVENTS_PER_STATEMENT events and about BYTES_PER_STATEMENT. */
function statementChunks<T extends { readonly json: string }>(appends: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const append of appends) {
    chunk.push(append);
    bytes += append.json.length;
    if (chunk.length === EVENTS_PER_STATEMENT || bytes >= BYTES_PER_STATEMENT) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** `count` copies of a placeholder group, comma-separated. */
function placeholders(count: number, group: string): string {
  return Array.from({ length: count }, () => group).join(', ');
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
