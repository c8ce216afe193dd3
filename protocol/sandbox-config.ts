/**
 * The learner sandbox's configuration: one source of truth read by the real smtp-server
 * (server/sandbox) and mirrored by the simulated server (protocol/simulator), so both answer
 * every line with the same codes and texts.
 */

/** A mailbox account a learner can authenticate as with AUTH PLAIN or LOGIN. */
export interface SandboxAccount {
  readonly username: string;
  readonly password: string;
}

export type SandboxAuthMethod = 'PLAIN' | 'LOGIN';

export interface SandboxConfig {
  /** The name the server greets with and uses in its EHLO reply. */
  readonly hostname: string;
  /** Free text after "ESMTP" in the 220 greeting. */
  readonly banner: string;
  /** Advertised as SIZE; DATA larger than this is refused with 552. */
  readonly maxMessageSize: number;
  /** RCPT beyond this many recipients in one transaction gets 452. */
  readonly maxRecipients: number;
  /** Longest command line (bytes, without CRLF) before the server gives up with 421. */
  readonly maxCommandLength: number;
  readonly authMethods: readonly SandboxAuthMethod[];
  readonly accounts: readonly SandboxAccount[];
  /**
   * Allow AUTH before STARTTLS. On by default so learners can try AUTH on loopback; real
   * submission servers refuse it with 538 (RFC 4954 §4), which a lesson can switch on.
   */
  readonly allowInsecureAuth: boolean;
  /** Show RFC 3463 enhanced status codes (and advertise ENHANCEDSTATUSCODES). */
  readonly enhancedStatusCodes: boolean;
  /** Teaching behaviours a lesson or an instructor switches on (see DEFAULT_BEHAVIOURS). */
  readonly behaviours: ServerBehaviours;
}

/**
 * Behaviours real servers show that a lesson may need: each one is implemented identically by
 * the real sandbox and the simulator (and checked by the conformance tests). The refusals'
 * codes and texts are in protocol/simulator/server-behaviours.ts.
 */
export interface ServerBehaviours {
  /**
   * MAIL/RCPT/DATA before AUTH get "530 5.7.0 Error: authentication Required", as on a
   * submission port (RFC 4954 §6, RFC 6409). smtp-server then also counts the commands of an
   * unauthenticated client (AUTH itself excepted, its continuation lines included) and closes
   * with "421 Error: too many unauthenticated commands" at the tenth.
   */
  readonly requireAuth: boolean;
  /**
   * Greylisting: the first RCPT for a (sender, recipient) pair gets a temporary 451; the same
   * pair is accepted when retried, at once, in this or a later session of the same server
   * (real greylisting also waits a few minutes and remembers the client address).
   * Authenticated clients are never greylisted.
   */
  readonly greylist: boolean;
  /**
   * Relay policy of a real MX: recipients outside `localDomains` are refused with 530 5.7.0
   * ("Relay access denied") unless the client authenticated. Off: the sandbox captures mail
   * for any domain (it never delivers anything either way).
   */
  readonly refuseRelay: boolean;
  /** The domains this server receives mail for (for `refuseRelay`): exact names, any case. */
  readonly localDomains: readonly string[];
  /**
   * Recipients refused with 550 5.1.1 (mailbox does not exist): `*` matches any run of
   * characters, any case. Only the matching RCPT is refused; the others still count.
   */
  readonly unknownMailboxes: readonly string[];
  /**
   * The server answers this many command lines, then answers the next one with 421 and
   * closes (0: never). Every line read outside message data counts: unrecognized commands
   * and AUTH continuation lines too.
   */
  readonly closeAfterCommands: number;
  /**
   * Wait before each reply (the greeting, each command's reply, the reply to the end of the
   * message), in milliseconds, to feel a slow server (0: none).
   */
  readonly replyDelayMs: number;
}

/**
 * The plain learner sandbox: every switch off, so mail for any domain is captured; only the
 * mailboxes that plainly cannot exist (nobody@…, anything at .invalid, RFC 2606) are refused,
 * so "one recipient rejected among several" works without setup.
 */
export const DEFAULT_BEHAVIOURS: ServerBehaviours = {
  requireAuth: false,
  greylist: false,
  refuseRelay: false,
  localDomains: ['smtp-lab.test', 'example.com', 'example.org', 'example.net'],
  unknownMailboxes: ['nobody@*', '*@*.invalid'],
  closeAfterCommands: 0,
  replyDelayMs: 0,
};

/** The configuration the sandbox runs with unless a lesson or operator changes it. */
export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = {
  hostname: 'sandbox.smtp-lab.test',
  banner: 'SMTP Lab sandbox: mail is captured here, never relayed',
  maxMessageSize: 10 * 1024 * 1024,
  maxRecipients: 50,
  // RFC 5321 §4.5.3.1.4 requires servers to accept at least 512 octets per command line.
  maxCommandLength: 2048,
  authMethods: ['PLAIN', 'LOGIN'],
  accounts: [
    { username: 'student', password: 'learn-smtp' },
    { username: 'alice', password: 'wonderland' },
  ],
  allowInsecureAuth: true,
  enhancedStatusCodes: true,
  behaviours: DEFAULT_BEHAVIOURS,
};

/** The text after "250 2.0.0 " when a message was accepted; the queue id varies per message. */
export function queuedReplyText(queueId: string): string {
  return `OK: message queued as ${queueId}`;
}
