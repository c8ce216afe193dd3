/**
 * What a command handler may do to the connection: the same operations smtp-server's
 * handlers call on their SMTPConnection (`send`, `close`, data mode, the TLS upgrade).
 */
import type { SandboxConfig } from '../sandbox-config.ts';
import type { MessageDataReader } from './data-receiver.ts';
import type { ReplyContext } from './enhanced-status-codes.ts';
import type { LocalRecipients } from './local-recipients.ts';
import type { Personality } from './personalities/personality.ts';
import type { GreylistMemory } from './server-behaviours.ts';
import type { ServerSession } from './server-session.ts';

/** Called with the message once the end-of-data line arrived, dot-unstuffed. */
export type MessageCompletion = (content: string) => void;

export interface ServerContext {
  /** Normalized (normalizeSandboxConfig), as smtp-server normalizes its options. */
  readonly settings: SandboxConfig;
  readonly session: ServerSession;
  /** The server this one answers like (settings.personality). */
  readonly personality: Personality;
  /** The client address as written in the EHLO/HELO reply, e.g. `[203.0.113.25]`. */
  readonly clientHostname: string;
  /** The client's address, as the server sees it. */
  readonly remoteAddress: string;
  /** The (sender, recipient) pairs this server has greylisted, shared with its other connections. */
  readonly greylist: GreylistMemory;
  /** Who this server takes mail for when its host decides (a lab MX); null: the personality's own rules. */
  readonly localRecipients: LocalRecipients | null;
  /**
   * Writes a reply like smtp-server's `send()`: enhanced code by context, control characters
   * blanked, and a 421 closes the connection.
   */
  send(code: number, text?: string | readonly string[], context?: ReplyContext): void;
  /**
   * True when the client has already sent more input after the line being answered: Exim's
   * synchronization check refuses such pipelining after a command that must end a group.
   */
  hasPendingInput(): boolean;
  /** Ends the connection: nothing the client sends afterwards is read. */
  close(): void;
  /**
   * Switches the input to message data until the reader says it ended: the personality's
   * end-of-data reader by default, or another one (a BDAT chunk of a given size).
   */
  startDataMode(onComplete: MessageCompletion, reader?: MessageDataReader): void;
  /** Discards the rest of the input and waits for the (simulated) TLS handshake. */
  startTlsUpgrade(): void;
  /** The account name when username and password match one, null otherwise. */
  authenticate(username: string, password: string): string | null;
  /** Hands an accepted message to the host and returns its queue id. */
  deliver(content: string): string;
}
