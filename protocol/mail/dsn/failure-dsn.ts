/**
 * The DSN for one recipient a relay gave up on (a 5xx, a null MX, a domain not in the lab, or
 * the queue's lifetime running out), in buildDsn's terms. Shared by the server's relay worker
 * and the page's simulated relay, so both write the same report from the same reply.
 */
import type { DsnInput } from './dsn-types.ts';

export interface FailedDelivery {
  /** The MTA writing the report (the sandbox, or a forwarder that failed to pass mail on). */
  readonly reportingMta: string;
  /** The host in the report's From (MAILER-DAEMON@…). */
  readonly mailerDaemonHost: string;
  readonly originalSender: string;
  readonly finalRecipient: string;
  /** RFC 3463 status, e.g. 5.1.1, 5.1.10, 4.4.7 (expired). */
  readonly status: string;
  readonly remoteMta: string | null;
  readonly diagnosticCode: string | null;
  /** Lab time. */
  readonly arrivalDate: Date;
  readonly date: Date;
  /** The failed message's header section, which the report quotes. */
  readonly originalHeaders: string;
  /** Without angle brackets. */
  readonly messageId: string;
}

/** RFC 3463: 4.4.7 "delivery time expired"; otherwise the reply's own enhanced code, or its class. */
export function failureStatus(reply: string, expired: boolean): string {
  if (expired) return '4.4.7';
  return /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1] ?? `${reply.startsWith('5') ? '5' : '4'}.0.0`;
}

/**
 * The lab's diagnostic-type (RFC 3464 §2.3.6) for a failure no SMTP server replied with: a null
 * MX, a domain not in the lab, a loop, a refused connection. Like Postfix's `X-Postfix;`, it
 * names the MTA that wrote the words, so a reader does not look for a server that said them.
 */
const LAB_DIAGNOSTIC_TYPE = 'X-SMTP-Lab';

/** A failure's Remote-MTA and Diagnostic-Code (RFC 3464 §2.3.5, §2.3.6). */
export interface FailureDiagnostic {
  readonly remoteMta: string | null;
  readonly diagnosticCode: string | null;
}

/**
 * `smtp;` and Remote-MTA only for a reply a remote server sent (`answeredBy` is the host that
 * sent it); the relay's own words (no server answered) are `X-SMTP-Lab;` with no Remote-MTA.
 */
export function failureDiagnostic(reply: string, answeredBy: string | null): FailureDiagnostic {
  if (reply === '') return { remoteMta: null, diagnosticCode: null };
  if (answeredBy !== null && /^[245]\d\d\b/.test(reply)) return { remoteMta: answeredBy, diagnosticCode: `smtp; ${reply}` };
  return { remoteMta: null, diagnosticCode: `${LAB_DIAGNOSTIC_TYPE}; ${reply}` };
}

export function failureDsnInput(failure: FailedDelivery): DsnInput {
  // buildDsn holds a failed action to a 5.x.x status: an expiry (4.4.7) is reported as 5.4.7, as Exchange does.
  const status = failure.status.startsWith('4.') ? `5.${failure.status.slice(2)}` : failure.status;
  return {
    reportingMta: failure.reportingMta,
    arrivalDate: failure.arrivalDate,
    recipients: [
      {
        finalRecipient: failure.finalRecipient,
        action: 'failed',
        status,
        ...(failure.remoteMta === null ? {} : { remoteMta: failure.remoteMta }),
        ...(failure.diagnosticCode === null ? {} : { diagnosticCode: failure.diagnosticCode }),
        lastAttemptDate: failure.date,
      },
    ],
    originalHeaders: failure.originalHeaders,
    originalEnvelopeFrom: failure.originalSender,
    to: failure.originalSender,
    from: `MAILER-DAEMON@${failure.mailerDaemonHost}`,
    date: failure.date,
    messageId: failure.messageId,
  };
}
