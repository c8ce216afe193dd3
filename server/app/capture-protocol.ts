/** The messages between the main thread and the capture worker (capture-worker.ts). */
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type { MessageSummary } from '../storage/message-types.ts';

export interface CaptureWorkerData {
  readonly databaseFile: string;
  readonly maxMessages: number;
}

/** One message to store. */
export interface SaveRequest {
  readonly seq: number;
  readonly namespace: string;
  readonly message: CapturedMessage;
}

/**
 * Store messages (those the sandbox accepted in one turn of the event loop), or (after the
 * last ones) close the database and stop.
 */
export type CaptureRequest = { readonly kind: 'save'; readonly saves: readonly SaveRequest[] } | { readonly kind: 'close' };

/** What became of the messages of one `save` batch. */
export type SaveOutcome =
  | { readonly seq: number; readonly ok: true }
  | { readonly seq: number; readonly ok: false; readonly error: string };

export type CaptureReport =
  /** Stored raw (or not), in the order the saves were sent. */
  | { readonly kind: 'stored'; readonly outcomes: readonly SaveOutcome[] }
  /** A stored message was parsed: it is complete now, as the summary shows. */
  | { readonly kind: 'parsed'; readonly namespace: string; readonly summary: MessageSummary }
  /** Parsing or recording the parse of a stored message failed (its raw form is kept). */
  | { readonly kind: 'parse-failed'; readonly id: number; readonly error: string };
