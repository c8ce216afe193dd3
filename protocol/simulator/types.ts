/** The simulated server's public options and the message it hands to its host. */
import type { SandboxConfig } from '../sandbox-config.ts';
import type { LocalRecipients } from './local-recipients.ts';
import type { GreylistMemory } from './server-behaviours.ts';

/** A message the simulator accepted (the simulator's counterpart of the sandbox's capture). */
export interface SimulatedMessage {
  /** The id named in the 250 reply to the end of data. */
  readonly queueId: string;
  /** The envelope sender; "" for the null reverse-path `<>`. */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** The message as received after dot-unstuffing, CRLF line ends included. */
  readonly data: string;
  /** The lower-cased name the client gave in EHLO/HELO. */
  readonly clientHelo: string;
  readonly remoteAddress: string;
  /** The account the client authenticated as, if any. */
  readonly authenticatedUser: string | null;
  /** Whether the session had gone through (simulated) STARTTLS. */
  readonly secure: boolean;
}

export interface SimulatedServerOptions {
  /** The sandbox configuration to mirror; DEFAULT_SANDBOX_CONFIG otherwise. */
  readonly config?: SandboxConfig;
  /** The client address the server pretends to see; a documentation address by default. */
  readonly clientAddress?: string;
  /** Makes the queue id of each accepted message; the personality's random id by default. */
  readonly newQueueId?: () => string;
  /** Called once for every message the server accepted. */
  readonly onMessage?: (message: SimulatedMessage) => void;
  /**
   * The greylisting memory to use; pass the same one to every connection of one simulated
   * server so a reconnect counts as a retry. A fresh one by default.
   */
  readonly greylist?: GreylistMemory;
  /**
   * Who the server takes mail for, in place of its personality's lab defaults (a lab MX
   * host's own domains and mailboxes, and its greylisting).
   */
  readonly localRecipients?: LocalRecipients;
  /**
   * Decides on each accepted message before the server answers the end of data (mail
   * authentication, storage: a 250 means stored). Until it settles the server holds its
   * reply and reads no further input; `pendingReply` gives what to write once it has.
   */
  readonly admitMessage?: (message: SimulatedMessage) => Promise<MessageVerdict>;
}

/** The host's decision on a message: accept it, or refuse it with this reply instead of the 250. */
export type MessageVerdict =
  | { readonly accept: true }
  | { readonly accept: false; readonly code: number; readonly text: string };
