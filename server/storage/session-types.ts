/** What the transcript store hands out; JSON-ready like the message types. */

/** One live learner session (a WebSocket bridged to an SMTP server). */
export interface StoredSessionSummary {
  readonly id: string;
  /** The SMTP server the session talked to, as `host:port`. */
  readonly target: string;
  /** The learner's address as the HTTP server saw it. */
  readonly clientAddress: string;
  readonly startedAt: string;
  /** null while the session is still open (or if the process died before it ended). */
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly eventCount: number;
}

/** One recorded event of a session, in the order appended. */
export interface StoredSessionEvent {
  /** Increases with every append across the database; use it to order events. */
  readonly seq: number;
  /** When the event was appended. */
  readonly at: string;
  /** The value given to `append`, as it came back from JSON. */
  readonly event: unknown;
}

/** A page of sessions, newest first. */
export interface SessionPage {
  readonly sessions: StoredSessionSummary[];
  readonly total: number;
}

/** Which events of a session to read: those after `after` (a `seq`; default 0), at most `limit`. */
export interface EventPageOptions {
  readonly after?: number;
  readonly limit?: number;
}

/** A page of a session's events in order. */
export interface EventPage {
  readonly events: StoredSessionEvent[];
  readonly hasMore: boolean;
  /** The `after` of the next page while `hasMore`, otherwise null. */
  readonly nextAfter: number | null;
}

/** The last events of a session, and how many earlier ones were left out. */
export interface EventTail {
  readonly events: StoredSessionEvent[];
  readonly omitted: number;
}
