/** The messages between the main thread and the capture worker (capture-worker.ts). */
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type { MessageSummary } from '../storage/message-types.ts';

export interface CaptureWorkerData {
  readonly databaseFile: string;
  readonly maxMessages: number;
}

/** Store one message, or (after the last one) close the database and stop. */
export type CaptureRequest =
  | { readonly kind: 'save'; readonly seq: number; readonly namespace: string; readonly message: CapturedMessage }
  | { readonly kind: 'close' };

export type CaptureResult =
  | { readonly seq: number; readonly ok: true; readonly summary: MessageSummary; readonly evicted: number }
  | { readonly seq: number; readonly ok: false; readonly error: string };
