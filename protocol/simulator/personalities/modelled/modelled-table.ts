/**
 * What a personality modelled on documentation (exim, gmail, exchange) is made of: data only.
 * One set of handlers (modelled-handlers.ts) reads it. Each text names its published source in
 * the table's `sources` (with the source's own words); a text with no entry there has no
 * published source we could find, and the personality keeps smtp-server's (SMTP_SERVER_TEXTS
 * and SMTP_SERVER_GREETING below) rather than invent one.
 */
import type { PersonalityEvidence } from '../personality.ts';
import type { PersonalityName } from '../../../sandbox-config.ts';
import type { ModelledReceived } from './modelled-received.ts';

export interface ModelledReply {
  readonly code: number;
  /** Exactly as the server writes it (one string a line), enhanced status code included when it sends one. */
  readonly text: string | readonly string[];
}

export interface ModelledReplies {
  /** EHLO or HELO without a name; `verb` is the one typed. */
  readonly heloSyntax: (verb: 'EHLO' | 'HELO') => ModelledReply;
  readonly needHelo: ModelledReply;
  readonly mailOk: ModelledReply;
  readonly nestedMail: ModelledReply;
  readonly badSender: ModelledReply;
  readonly needMail: ModelledReply;
  readonly rcptOk: ModelledReply;
  readonly badRecipient: ModelledReply;
  readonly needRcpt: ModelledReply;
  /** DATA with no MAIL at all. */
  readonly dataWithoutMail: ModelledReply;
  readonly help: ModelledReply;
  readonly startData: ModelledReply;
  readonly ok: ModelledReply;
  readonly reset: ModelledReply;
  readonly unknownCommand: ModelledReply;
  /** Sent instead of the unknown-command reply when the limit is reached; then the server hangs up. */
  readonly tooManyUnknownCommands: ModelledReply;
  /** The answer to text sent before the greeting (the server then hangs up). */
  readonly earlyTalker: (hostname: string) => ModelledReply;
  readonly bye: (hostname: string) => ModelledReply;
  readonly queued: (queueId: string) => ModelledReply;
  readonly unknownUser: (address: string) => ModelledReply;
  readonly relayDenied: (address: string) => ModelledReply;
  /** A MAIL SIZE= or a message over the size limit (RFC 1870). */
  readonly sizeExceeded: (limit: number) => ModelledReply;
}

/** Where one text of a modelled personality comes from. */
export interface ModelledSource {
  /** The published document (URL) or source file (repository path at a release tag). */
  readonly source: string;
  /** The source's own words for this text, copied as published (format placeholders and all). */
  readonly quote: string;
}

/** The texts a modelled personality can take from a source. */
export type ModelledTextName = keyof ModelledReplies | 'banner' | 'welcome' | 'ehloKeywords';

export interface ModelledTable {
  readonly name: PersonalityName;
  readonly label: string;
  readonly evidence: PersonalityEvidence;
  readonly labHostname: string;
  readonly banner: (hostname: string) => string;
  /** The first line of the EHLO/HELO reply. */
  readonly welcome: (hostname: string, helo: string, clientHostname: string) => string;
  readonly ehloKeywords: readonly string[];
  /** MAIL, RCPT and DATA need EHLO/HELO first. */
  readonly requireHelo: boolean;
  /** The unknown command that gets tooManyUnknownCommands (the 4th for Exim). */
  readonly maxUnknownCommands: number;
  /**
   * Commands that must end a pipelined group: with more input already waiting the server
   * answers `syncError` and hangs up (Exim's smtp_enforce_sync). Empty: no such check.
   */
  readonly syncCommands: ReadonlySet<string>;
  readonly syncError: ModelledReply | null;
  readonly localDomains: readonly string[];
  readonly localUsers: ReadonlySet<string>;
  /**
   * The message size limit its EHLO SIZE announces, enforced at MAIL SIZE= and at the end of
   * data (message-size.ts); null when it announces none: the lab's configured limit.
   */
  readonly messageSizeLimit: number | null;
  readonly replies: ModelledReplies;
  /** The published source of each text; a text without one is smtp-server's. */
  readonly sources: Readonly<Partial<Record<ModelledTextName, ModelledSource>>>;
  /** The Received header it prepends, in its published layout, and where that layout comes from. */
  readonly received: ModelledReceived;
}

const reply = (code: number, text: string): ModelledReply => ({ code, text });

/**
 * smtp-server 3.21's texts (protocol/simulator/handlers, verified by tests/conformance), the
 * fallback where a modelled server's documentation gives no text.
 */
export const SMTP_SERVER_TEXTS: ModelledReplies = {
  heloSyntax: (verb) => reply(501, verb === 'EHLO' ? 'Error: syntax: EHLO hostname' : 'Error: Syntax: HELO hostname'),
  needHelo: reply(503, 'Error: send HELO/EHLO first'),
  mailOk: reply(250, 'Accepted'),
  nestedMail: reply(503, 'Error: nested MAIL command'),
  badSender: reply(501, 'Error: Bad sender address syntax'),
  needMail: reply(503, 'Error: need MAIL command'),
  rcptOk: reply(250, 'Accepted'),
  badRecipient: reply(501, 'Error: Bad recipient address syntax'),
  needRcpt: reply(503, 'Error: need RCPT command'),
  dataWithoutMail: reply(503, 'Error: need RCPT command'),
  help: reply(214, 'See https://tools.ietf.org/html/rfc5321 for details'),
  startData: reply(354, 'End data with <CR><LF>.<CR><LF>'),
  ok: reply(250, 'OK'),
  reset: reply(250, 'Flushed'),
  unknownCommand: reply(500, 'Error: command not recognized'),
  tooManyUnknownCommands: reply(421, 'Error: too many unrecognized commands'),
  earlyTalker: (hostname) => reply(421, `${hostname} You talk too soon`),
  bye: () => reply(221, 'Bye'),
  queued: (queueId) => reply(250, `OK: message queued as ${queueId}`),
  // smtp-server itself refuses nobody: these are the sandbox's teaching refusals (server-behaviours.ts).
  unknownUser: (address) => reply(550, `<${address}>: Recipient address rejected: mailbox does not exist`),
  relayDenied: (address) => reply(530, `<${address}>: Relay access denied: without AUTH this server only takes mail for its own domains`),
  // As smtp-server writes it, its enhanced code (MESSAGE_TOO_BIG) included.
  sizeExceeded: (limit) => reply(552, `5.3.4 Error: message exceeds fixed maximum message size ${limit}`),
};

/** smtp-server 3.21's greeting and EHLO welcome, the fallback where no source gives a modelled server's. */
export const SMTP_SERVER_GREETING: Pick<ModelledTable, 'banner' | 'welcome'> = {
  banner: (hostname) => `${hostname} ESMTP`,
  welcome: (hostname, _helo, clientHostname) => `${hostname} Nice to meet you, ${clientHostname}`,
};

/** The lab's users for every modelled server, at lab.test and localhost. */
export const MODELLED_LOCAL_USERS: ReadonlySet<string> = new Set(['postmaster', 'alice', 'bob', 'carol']);
export const MODELLED_LOCAL_DOMAINS: readonly string[] = ['lab.test', 'localhost'];

/**
 * smtp-server's session rules, for a modelled server whose sources document none of its own:
 * EHLO/HELO before MAIL, RCPT and DATA; the 10th unknown command ends the session; no
 * pipelining synchronization check; the lab's local domains and users.
 */
export const SMTP_SERVER_SESSION_RULES: Pick<
  ModelledTable,
  'requireHelo' | 'maxUnknownCommands' | 'syncCommands' | 'syncError' | 'localDomains' | 'localUsers'
> = {
  requireHelo: true,
  maxUnknownCommands: 10,
  syncCommands: new Set(),
  syncError: null,
  localDomains: MODELLED_LOCAL_DOMAINS,
  localUsers: MODELLED_LOCAL_USERS,
};
