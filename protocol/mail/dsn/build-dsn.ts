/**
 * A delivery status notification as a whole message (RFC 3464 inside RFC 6522's
 * `multipart/report; report-type=delivery-status`): a human-readable part, the
 * `message/delivery-status` part, and the original headers as `text/rfc822-headers`.
 * Pure text in, text out: the relay worker sends it with MAIL FROM:<> (see should-bounce.ts).
 */
import { formatRfc5322Date } from '../rfc5322-date.ts';
import { deliveryStatusFields } from './delivery-status-fields.ts';
import { dsnHumanText } from './dsn-human-text.ts';
import { crlfText, singleLine } from './dsn-lines.ts';
import type { DsnInput } from './dsn-types.ts';

function subjectFor(input: DsnInput): string {
  const actions = new Set(input.recipients.map((recipient) => recipient.action));
  if (actions.has('failed')) return 'Undelivered Mail Returned to Sender';
  if (actions.has('delayed')) return 'Delayed Mail (still being retried)';
  return 'Successful Mail Delivery Report';
}

/** A boundary that occurs in none of the parts (RFC 2046 §5.1.1), the same for the same input. */
function boundaryFor(messageId: string, parts: readonly string[]): string {
  const base = `=_dsn_${messageId.replace(/[^A-Za-z0-9.]/g, '_').slice(0, 50)}`;
  for (let suffix = 0; ; suffix += 1) {
    const boundary = suffix === 0 ? base : `${base}_${suffix}`;
    if (parts.every((part) => !part.includes(boundary))) return boundary;
  }
}

// Non-ASCII (an SMTPUTF8 address, a reply in another language) makes the message 8bit.
const transferEncoding = (text: string): string => (/[^\x00-\x7f]/.test(text) ? '8bit' : '7bit');

export function buildDsn(input: DsnInput): string {
  const human = crlfText(dsnHumanText(input));
  const status = crlfText(deliveryStatusFields(input));
  const headers = crlfText(input.originalHeaders);
  const boundary = boundaryFor(input.messageId, [human, status, headers]);
  const encoding = transferEncoding(human + status + headers);
  const part = (head: string[], body: string): string => [`--${boundary}`, ...head, '', body, ''].join('\r\n');
  return [
    `From: Mail Delivery System <${singleLine(input.from)}>`,
    `To: <${singleLine(input.to)}>`,
    `Subject: ${subjectFor(input)}`,
    `Date: ${formatRfc5322Date(input.date)}`,
    `Message-ID: <${singleLine(input.messageId)}>`,
    // RFC 3834 §5: marks it as automatic, so auto-responders do not answer it.
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    part(['Content-Description: Notification', 'Content-Type: text/plain; charset=utf-8', `Content-Transfer-Encoding: ${encoding}`], human),
    part(['Content-Description: Delivery report', 'Content-Type: message/delivery-status'], status),
    part(['Content-Description: Undelivered Message Headers', 'Content-Type: text/rfc822-headers'], headers),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
