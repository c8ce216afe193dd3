/**
 * A server personality: what makes one real SMTP server's answers differ from another's, as
 * data (banner, extensions, reply texts, limits, local users) plus a few named hooks (the
 * command loop, the verb table, the message-data reader, the Received header). The simulator
 * asks its personality for each of these; the rest of the machinery is shared.
 */
import type { PersonalityName, SandboxConfig } from '../../sandbox-config.ts';
import type { MessageDataReader } from '../data-receiver.ts';
import type { ServerContext } from '../server-context.ts';
import type { CommandHandler } from '../server-session.ts';

/** How sure we are that the personality answers like its server. */
export type PersonalityEvidence =
  /** Compared with the real server, scenario by scenario, in the test suite. */
  | 'verified-against-server'
  /** Written from the server's published documentation and source, not compared. */
  | 'modelled-on-documentation';

/** What a Received header (RFC 5321 §4.4) records about one hop. */
export interface ReceivedFields {
  /** The name the client gave in EHLO/HELO ("" when it gave none). */
  readonly helo: string;
  /** The client's address as the server saw it. */
  readonly clientAddress: string;
  /** The server's own name. */
  readonly serverHostname: string;
  /** RFC 3848 protocol name: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA. */
  readonly protocol: string;
  readonly queueId: string;
  /** The envelope recipients; servers name one only when there is exactly one. */
  readonly recipients: readonly string[];
  readonly date: Date;
  /** The envelope sender (MAIL FROM), for servers that record it (Exim's "envelope-from"). */
  readonly envelopeFrom?: string;
}

export interface Personality {
  readonly name: PersonalityName;
  /** The server's name as learners know it, with version where it matters. */
  readonly label: string;
  readonly evidence: PersonalityEvidence;
  /** The host name the lab's server of this kind answers with (the CLI's and lessons' default). */
  readonly labHostname: string;
  /** The 220 greeting's text for this configuration (the hostname comes from the config). */
  greetingText(settings: SandboxConfig): string;
  /** Answers one complete command line: the server's shared checks, then the verb's handler. */
  dispatch(context: ServerContext, line: string): void;
  /** The verb table: upper-cased command name to handler. */
  readonly verbs: ReadonlyMap<string, CommandHandler>;
  /**
   * What happens to text sent before the greeting: smtp-server refuses it with 421 ("You talk
   * too soon"); a server without an early-talker check simply reads it after greeting.
   */
  readonly earlyTalker: 'refuse' | 'read-after-greeting';
  /**
   * Reads message data after 354: finds the end-of-data line and removes transparency dots,
   * keeping no more of the message than its size check needs.
   */
  newDataReader(settings: SandboxConfig): MessageDataReader;
  /**
   * A command line longer than the configured maxLineLength: smtp-server answers 421 and
   * closes; Postfix reads the first part as the command and skips the rest of the line.
   */
  readonly longCommandLine: 'refuse' | 'truncate';
  /**
   * Two addresses it accepts in RCPT TO from a client that has not logged in, in the lab's
   * configuration: what the console and the statechart suggest, so a suggestion is never a
   * recipient this server refuses (Postfix serves only lab.test and localhost).
   */
  readonly suggestedRecipients: readonly [string, string];
  /** The Received header it prepends to each accepted message, or null when it adds none. */
  receivedHeader: ((fields: ReceivedFields) => string) | null;
  /** Makes the id named in the reply that accepts a message. */
  newQueueId(): string;
}
