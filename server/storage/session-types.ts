/** What the transcript store hands out; JSON-ready like the message types. */

/** One live learner session (a WebSocket bridged to an SMTP server). */
export interface SessionSummary {
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
export interface SessionEvent {
  /** Increases with every append across the database; use it to order events. */
  readonly seq: number;
  /** When the event was appended. */
  readonly at: string;
  /** The value given to `append`, as it came back from JSON. */
  readonly event: unknown;
}

/** A page of sessions, newest first. */
export interface SessionPage {
  readonly sessions: SessionSummary[];
  readonly total: number;
}
