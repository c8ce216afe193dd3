/** What a delivery status notification (RFC 3464) reports: one message, one or more recipients. */

/** RFC 3464 §2.3.3: what the reporting MTA did with a recipient. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

export interface DsnRecipient {
  /** The address the MTA tried to deliver to (Final-Recipient, type rfc822). */
  readonly finalRecipient: string;
  readonly action: DsnAction;
  /** The enhanced status code (RFC 3463), e.g. "5.1.1"; the first digit matches the action. */
  readonly status: string;
  /** The host that answered, e.g. "mx.example.net" (Remote-MTA, type dns). */
  readonly remoteMta?: string;
  /** The remote server's reply with its type, kept exactly: "smtp; 550 5.1.1 <bob@…>: …". */
  readonly diagnosticCode?: string;
  readonly lastAttemptDate?: Date;
  /** For a delayed recipient: when the MTA stops retrying (RFC 3464 §2.3.9). */
  readonly willRetryUntil?: Date;
}

export interface DsnInput {
  /** The host name of the MTA writing the report (Reporting-MTA, type dns). */
  readonly reportingMta: string;
  /** When the reporting MTA accepted the original message. */
  readonly arrivalDate: Date;
  /** The ENVID the sender gave in MAIL FROM (RFC 3461), if any. */
  readonly originalEnvelopeId?: string;
  readonly recipients: readonly DsnRecipient[];
  /** The original message's header section, as received (CRLF or LF line ends). */
  readonly originalHeaders: string;
  /** The original MAIL FROM: the report is addressed there, never to the From: header. */
  readonly originalEnvelopeFrom: string;
  /** The report's To: (the envelope sender's mailbox). */
  readonly to: string;
  /** The report's From:, e.g. "MAILER-DAEMON@mx.example.com". */
  readonly from: string;
  readonly date: Date;
  /** Without angle brackets: "20261207.1@mx.example.com". */
  readonly messageId: string;
}
