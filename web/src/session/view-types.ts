// web/src/session/view-types.ts
import type { TranscriptEntry } from '../../../protocol/session/index.ts';
import type { SessionSnapshot, SessionSummary } from '../../../protocol/session/index.ts';

export type LabMode = 'simulated' | 'live';

/** A message in the mailbox panel: captured by the live sandbox or accepted by the simulator. */
export interface MailboxMessage {
  readonly id: string;
  readonly source: LabMode;
  readonly receivedAt: string;          // ISO time
  readonly mailFrom: string;            // envelope sender, '' for <>
  readonly rcptTo: readonly string[];   // envelope recipients
  readonly queueId: string | null;
  readonly size: number;                // bytes
  /** The raw message (RFC 5322 text). Live mode may leave it null and give rawUrl instead. */
  readonly raw: string | null;
  readonly rawUrl: string | null;       // live: /api/messages/:id/raw
  readonly htmlUrl: string | null;      // live: /api/messages/:id/html (CSP-sandboxed by the server)
  readonly messageUrl: string | null;   // live: /api/messages/:id (the parsed message: attachment download URLs)
  /** Live: the server's parse of the list fields (simulated mode reads them from `raw`). */
  readonly headline: MessageHeadline | null;
  /** Live: the lab mailbox this copy was filed in (by a lab MX, or a DSN by the sandbox); absent for the sandbox's own capture. */
  readonly mailbox?: string;
  /** Simulated: this message's journey in the page's relay (PageWorld.journey); absent when it never left the simulated server. */
  readonly journeyId?: number;
}

/** What the server's parse (mailparser) says about a message, for its list row. */
export interface MessageHeadline {
  readonly from: string | null;
  readonly to: string | null;
  readonly subject: string | null;
  /** The Date header as ISO time; null when absent or unreadable. */
  readonly date: string | null;
  /** Bare CR line endings in the stored bytes (RFC 5321 §2.3.8 forbids them). */
  readonly bareCr: boolean;
  /** False until the server has parsed the message (a moment after it arrived). */
  readonly parsed: boolean;
}

/** Everything the panels draw, at one point in time (the live end or a time-travel step). */
export interface LabView {
  readonly mode: LabMode;
  readonly snapshot: SessionSnapshot;   // the XState snapshot of protocol/session's sessionMachine
  readonly summary: SessionSummary;     // summarizeSession(snapshot)
  readonly transcript: readonly TranscriptEntry[];
  /** The previous state path and the current one, for animating the last transition. */
  readonly lastTransition: { readonly from: string; readonly to: string } | null;
  readonly tlsActive: boolean;
}
