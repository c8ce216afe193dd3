/** The messages between the main thread and the capture worker (capture-worker.ts). */
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type { MessageSummary } from '../storage/message-types.ts';
import type { OutboundPlan } from '../../protocol/world/outbound-plan.ts';

export interface CaptureWorkerData {
  /**
   * Where the messages go: the SQLite file (created, checked and migrated by the caller), or a
   * PostgreSQL URL (`postgres://…`, migrated by the worker's openPostgres as well).
   */
  readonly database: string;
  readonly maxMessages: number;
  /** SQLite only (PostgreSQL commits durably): see OpenDatabaseOptions.synchronous, and CaptureWriterOptions for the live process's choice. */
  readonly synchronous: 'NORMAL' | 'FULL';
  /** The outbound queue's message lifetime in lab ms (see OutboundQueueOptions). */
  readonly queueLifetimeMs?: number;
}

/** One message to store, with a copy in each of `namespaces`, all copies or none. */
export interface SaveRequest {
  readonly seq: number;
  readonly namespaces: readonly string[];
  readonly message: CapturedMessage;
  /**
   * Date.now() after which the worker must not begin a transaction with this message: the
   * client is told 451 instead, and a 451'd message must never be stored behind its back.
   */
  readonly deadline: number;
  /** The lab world's part, stored in the same transaction: local mailbox copies and queue rows. */
  readonly outbound?: OutboundPlan;
}

/**
 * Store messages (those the sandbox accepted in one turn of the event loop), or (after the
 * last ones) close the database and stop.
 */
export type CaptureRequest =
  | { readonly kind: 'save'; readonly saves: readonly SaveRequest[] }
  /** Another connection stored messages raw (the lab MX hosts' delivered copies): parse them too. */
  | { readonly kind: 'parse' }
  | { readonly kind: 'close' };

/** What became of one message: committed, or certainly not stored (and never will be). */
export type SaveOutcome =
  | { readonly seq: number; readonly result: 'committed' }
  /** The database stayed locked by another connection until the deadline. */
  | { readonly seq: number; readonly result: 'busy' }
  /** The database refused it; `broken` when it will refuse every message (damaged, unwritable). */
  | { readonly seq: number; readonly result: 'failed'; readonly error: string; readonly broken: boolean };

export type CaptureReport =
  /** Settled messages, in the order they were sent: each one once. */
  | { readonly kind: 'stored'; readonly outcomes: readonly SaveOutcome[] }
  /** A stored message was parsed: it is complete now, as the summary shows. */
  | { readonly kind: 'parsed'; readonly namespace: string; readonly summary: MessageSummary }
  /** Parsing or recording the parse of a stored message failed (its raw form is kept). */
  | { readonly kind: 'parse-failed'; readonly id: number; readonly error: string };

/** Whether a CaptureWorkerData.database names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}
