/**
 * Transcripts of live learner sessions, so a conversation can be reviewed after it ended and
 * after a restart. Appending is one prepared INSERT, cheap enough to call for every line.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { PageOptions } from './message-types.ts';
import { pageBounds } from './page-bounds.ts';
import type { SessionEvent, SessionPage, SessionSummary } from './session-types.ts';

export interface SessionStoreOptions {
  /** The most sessions kept per namespace; creating one more deletes the oldest. Default 500. */
  readonly maxSessions?: number;
}

export const DEFAULT_MAX_SESSIONS = 500;

interface SessionRow {
  id: string;
  target: string;
  client_address: string;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
  event_count: number;
}

const SESSION_COLUMNS = `id, target, client_address, started_at, ended_at, end_reason,
  (SELECT COUNT(*) FROM session_events e WHERE e.session_id = sessions.id) AS event_count`;

/** Records and reads session transcripts, per namespace. */
export class SessionStore {
  readonly maxSessions: number;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #createSession: (namespace: string, id: string, target: string, clientAddress: string) => void;

  constructor(db: Database, options: SessionStoreOptions = {}) {
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new RangeError(`maxSessions must be a positive integer, got ${maxSessions}`);
    }
    this.maxSessions = maxSessions;
    this.#statements = prepareStatements(db);
    this.#createSession = db.transaction((namespace: string, id: string, target: string, clientAddress: string) => {
      const s = this.#statements;
      s.insert.run(id, namespace, target, clientAddress, Date.now());
      const { total } = s.count.get(namespace) as { total: number };
      if (total > this.maxSessions) s.deleteOldest.run(namespace, namespace, total - this.maxSessions);
    });
  }

  /** Starts a transcript and returns its new session id (a UUID). */
  create(namespace: string, session: { target: string; clientAddress: string }): string {
    const id = randomUUID();
    this.#createSession(namespace, id, session.target, session.clientAddress);
    return id;
  }

  /**
   * Appends one event (any JSON-serializable value) to a session's transcript.
   * Throws if the session does not exist (never created, or evicted).
   */
  append(sessionId: string, event: unknown): void {
    const json = JSON.stringify(event);
    if (json === undefined) throw new TypeError('A session event must be JSON-serializable');
    try {
      this.#statements.append.run(sessionId, Date.now(), json);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new Error(`No session ${sessionId} to append to`, { cause: error });
      }
      throw error;
    }
  }

  /** Marks a session as ended with a reason ("client closed", "idle timeout"…); the first end wins. */
  end(sessionId: string, reason: string): void {
    this.#statements.end.run(Date.now(), reason, sessionId);
  }

  /** A page of the namespace's sessions, newest first. */
  list(namespace: string, page: PageOptions = {}): SessionPage {
    const { limit, offset } = pageBounds(page);
    const rows = this.#statements.list.all(namespace, limit, offset) as SessionRow[];
    const { total } = this.#statements.count.get(namespace) as { total: number };
    return { sessions: rows.map(toSummary), total };
  }

  /** One session's summary, or null if it is not in this namespace. */
  get(namespace: string, sessionId: string): SessionSummary | null {
    const row = this.#statements.one.get(namespace, sessionId) as SessionRow | undefined;
    return row === undefined ? null : toSummary(row);
  }

  /** A session's events in order, or null if the session is not in this namespace. */
  events(namespace: string, sessionId: string): SessionEvent[] | null {
    if (this.#statements.exists.get(namespace, sessionId) === undefined) return null;
    const rows = this.#statements.events.all(sessionId) as { seq: number; at: number; event: string }[];
    return rows.map((row) => ({ seq: row.seq, at: new Date(row.at).toISOString(), event: JSON.parse(row.event) }));
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
    events: statement('SELECT seq, at, event FROM session_events WHERE session_id = ? ORDER BY seq'),
  };
}

function toSummary(row: SessionRow): SessionSummary {
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
