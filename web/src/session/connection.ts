/**
 * What the session controller needs from a connection, whatever is at the other end: the
 * simulated server in this page or the live sandbox behind the WebSocket bridge. Both report
 * the same wire events, so one session model and one visualizer serve both modes.
 */
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import type { MailboxMessage } from './view-types.ts';

/** Where the SMTP connection stands, for the status indicator. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'error';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** One plain sentence for the learner (why it is closed, what to do). */
  readonly message: string;
}

/** A live server the operator allowed, as listed in the bridge's welcome. */
export interface LiveTarget {
  readonly id: string;
  readonly label: string;
  /** A lab host: the learner reaches it from this lab address, outside every lab domain. */
  readonly labFrom?: string;
  /** A lab host: the server it answers as (its replies are explained in that server's words). */
  readonly personality?: PersonalityName;
}

export type MailboxUpdate =
  /** `total`: how many the mailbox holds when `messages` is only its newest page. */
  | { readonly kind: 'replace'; readonly messages: readonly MailboxMessage[]; readonly total?: number }
  | { readonly kind: 'add'; readonly message: MailboxMessage }
  /** A message already listed, now with more detail (e.g. its raw source). */
  | { readonly kind: 'update'; readonly message: MailboxMessage }
  | { readonly kind: 'remove'; readonly id: string };

/** Callbacks a connection reports through. */
export interface ConnectionHooks {
  /** One event from the wire, in order: client lines as sent, replies as received. */
  event(event: ReplayEvent): void;
  status(state: ConnectionState): void;
  mailbox(update: MailboxUpdate): void;
  /** Live only: the targets the server offers (from its welcome). */
  targets(targets: readonly LiveTarget[]): void;
  /** Something worth telling the learner that is not a wire event (rate limit, refused text). */
  notice(text: string): void;
}

export interface LabConnection {
  /**
   * Sends raw client text, CRLFs included, in one write. The connection reports each line
   * as a `client.line` event once it is on its way (at once, or when the bridge echoes it).
   * Returns false when nothing was sent (not connected).
   */
  send(text: string): boolean;
  /** Deletes a message from the mailbox (live: through the HTTP API). */
  deleteMessage(id: string): void;
  /** Deletes every message of the mailbox (live: every page the server holds). */
  deleteAllMessages(): void;
  /** Ends everything: the SMTP connection, sockets, timers. */
  dispose(): void;
}

/** Opens a connection; `hooks` receive everything it reports from now on. */
export type ConnectionOpener = (hooks: ConnectionHooks) => LabConnection;
