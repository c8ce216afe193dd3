/**
 * The connection state the simulator keeps, field for field what smtp-server's
 * SMTPConnection keeps and the replies depend on.
 */
import type { ServerContext } from './server-context.ts';

/** An address accepted by MAIL FROM or RCPT TO, after smtp-server's normalization. */
export interface AcceptedAddress {
  /** "" for the null reverse-path `<>`. */
  readonly address: string;
}

/** Handles one command line (a verb's handler, or the next line of an AUTH exchange). */
export type CommandHandler = (context: ServerContext, line: string) => void;

export interface ServerSession {
  /** The greeting was sent; before it every line gets "421 You talk too soon". */
  ready: boolean;
  closed: boolean;
  /** "220 Ready to start TLS" was sent and the handshake has not happened yet. */
  upgrading: boolean;
  secure: boolean;
  /** The authenticated account, once AUTH succeeded. */
  user: string | null;
  /** The lower-cased EHLO/HELO argument; null until one was accepted. */
  hostNameAppearsAs: string | null;
  mailFrom: AcceptedAddress | null;
  rcptTo: AcceptedAddress[];
  /** Lower-cased recipient to its index in rcptTo, to spot a repeated RCPT. */
  rcptIndex: Map<string, number>;
  /** Reset only when a message completes, never by RSET, EHLO or STARTTLS. */
  unrecognizedCommands: number;
  /** Commands counted while AUTH is required and the client has not authenticated; never reset. */
  unauthenticatedCommands: number;
  /** Command lines read so far, for `closeAfterCommands`; never reset. */
  commandLines: number;
  /** Set during an AUTH exchange: the next line is its continuation, not a command. */
  nextHandler: CommandHandler | null;
  /** Replies with a 4xx or 5xx code sent so far, for Postfix's `smtpd_hard_error_limit`; never reset. */
  errorReplies: number;
  /** The SIZE= of the last MAIL that got that far; Postfix keeps it until the transaction resets. */
  declaredSize: number;
  /** The BDAT chunks received in this transaction (RFC 3030), joined; null before the first. */
  chunkedContent: string | null;
  /** Octets of all BDAT chunks so far; chunkedContent holds only their start past the size limit. */
  chunkedOctets: number;
  /** sendmail's WIZ joke: survives RSET and EHLO like the rest of the session object. */
  isWizard: boolean;
}

/** A fresh connection, before the greeting. */
export function newSession(): ServerSession {
  return {
    ready: false,
    closed: false,
    upgrading: false,
    secure: false,
    user: null,
    hostNameAppearsAs: null,
    mailFrom: null,
    rcptTo: [],
    rcptIndex: new Map(),
    unrecognizedCommands: 0,
    unauthenticatedCommands: 0,
    commandLines: 0,
    nextHandler: null,
    errorReplies: 0,
    declaredSize: 0,
    chunkedContent: null,
    chunkedOctets: 0,
    isWizard: false,
  };
}

/** smtp-server's `_resetSession()`: forgets the mail transaction, keeps identity and auth. */
export function resetTransaction(session: ServerSession): void {
  session.mailFrom = null;
  session.rcptTo = [];
  session.rcptIndex = new Map();
  session.declaredSize = 0;
  session.chunkedContent = null;
  session.chunkedOctets = 0;
}
