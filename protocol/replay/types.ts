/** Scripted conversations (the `smtp-lab replay` format) and the result of playing one. */
import type { SessionEvent } from '../session/events.ts';

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

/** Why a replay stopped. */
export type ReplayEnd = 'quit' | 'server-closed' | 'end-of-script' | 'reply-timeout';

export interface ReplayResult {
  /** Everything that happened, in order, as session-model events. */
  readonly events: readonly SessionEvent[];
  readonly end: ReplayEnd;
}

export interface ReplayOptions {
  /** How long to wait for each expected reply before giving up on it. */
  readonly replyTimeoutMs?: number;
  /** Called with every event as it happens (to drive a session model live). */
  readonly onEvent?: (event: SessionEvent) => void;
}
