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
}

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
};

/** The text after "250 2.0.0 " when a message was accepted; the queue id varies per message. */
export function queuedReplyText(queueId: string): string {
  return `OK: message queued as ${queueId}`;
}
