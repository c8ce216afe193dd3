/** Scripted conversations (the `smtp-lab replay` format) and the result of playing one. */
import type { SessionEvent } from '../session/events.ts';
import type { SessionActor } from '../session/session-actor.ts';
import type { PersonalityName } from '../sandbox-config.ts';

/** One line of a script after comments are dropped and `<empty>`/`+ ` are resolved. */
export interface ScriptLine {
  /** The text to send, without CRLF. */
  readonly text: string;
  /** True for a `+ ` line: sent in the same write as the line before it (pipelining). */
  readonly pipelined: boolean;
  /** 1-based line number in the script file, for error messages. */
  readonly sourceLine: number;
}

export type ScriptParseResult =
  | { readonly ok: true; readonly lines: readonly ScriptLine[] }
  | { readonly ok: false; readonly message: string; readonly sourceLine: number };

/**
 * A line from the server that is not a valid SMTP reply. smtp-server never sends one, but a
 * replay can target any server (or a port where no SMTP server listens), so such lines are
 * shown to the learner rather than dropped. The session model has no event for them.
 */
export interface UnreadableServerLine {
  readonly type: 'server.unreadable';
  readonly line: string;
  /** Why the reply grammar refused it. */
  readonly message: string;
  /** The exact text, line ends included, when the host asked the driver for raw bytes. */
  readonly raw?: string;
}

type WithRaw<E> = E & { readonly raw?: string };

/**
 * What the client driver reports, in every host: the session-model events plus unreadable
 * server lines; client lines and replies carry their exact wire text in `raw` when the host
 * asked for it (the bridge, to show the wire byte for byte). The model ignores `raw`.
 */
export type ReplayEvent =
  | Exclude<SessionEvent, { type: 'client.line' | 'server.reply' }>
  | WithRaw<Extract<SessionEvent, { type: 'client.line' | 'server.reply' }>>
  | UnreadableServerLine;

/** Why a replay stopped. */
export type ReplayEnd = 'quit' | 'server-closed' | 'end-of-script' | 'reply-timeout' | 'tls-failed';

export interface ReplayResult {
  /** Everything that happened, in order. */
  readonly events: readonly ReplayEvent[];
  readonly end: ReplayEnd;
}

export interface ReplayOptions {
  /** How long to wait for each expected reply (and for the close after QUIT); default 5000. */
  readonly replyTimeoutMs?: number;
  /**
   * Called with every event as it happens (to print live), after `session` has read it.
   */
  readonly onEvent?: (event: ReplayEvent) => void;
  /** How `socket.opened` names the server, e.g. "127.0.0.1:2525" or "simulator". */
  readonly serverName?: string;
  /**
   * The session model the replay feeds (every event but `server.unreadable`) and paces the
   * script by; the caller must not feed it too. By default the replay makes its own.
   */
  readonly session?: SessionActor;
  /** The server's personality, for the replay's own model (a simulated server's); default smtp-server. */
  readonly personality?: PersonalityName;
}
