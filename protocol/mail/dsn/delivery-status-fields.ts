/**
 * The `message/delivery-status` body (RFC 3464 §2.1): the per-message fields, then one block
 * of per-recipient fields for each recipient, blocks separated by an empty line.
 */
import { formatRfc5322Date } from '../rfc5322-date.ts';
import { singleLine } from './dsn-lines.ts';
import type { DsnInput, DsnRecipient } from './dsn-types.ts';

/** RFC 3463 §2: class 2, 4 or 5, then subject and detail of one to three digits each. */
const STATUS_PATTERN = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** RFC 3464 §2.3.4: the class follows from the action, so a mismatch is a caller's mistake. */
const CLASS_FOR_ACTION: Readonly<Record<DsnRecipient['action'], string>> = {
  failed: '5', delayed: '4', delivered: '2', relayed: '2', expanded: '2',
};

/** "smtp; 550 …" kept as given; a code without a type is an SMTP reply (§2.3.6). */
const diagnostic = (code: string): string => (/^[A-Za-z][\w-]*\s*;/.test(code) ? singleLine(code) : `smtp; ${singleLine(code)}`);

function recipientBlock(recipient: DsnRecipient): string[] {
  if (!STATUS_PATTERN.test(recipient.status)) throw new Error(`"${recipient.status}" is not an enhanced status code (RFC 3463)`);
  if (recipient.status[0] !== CLASS_FOR_ACTION[recipient.action]) {
    throw new Error(`Action ${recipient.action} needs a ${CLASS_FOR_ACTION[recipient.action]}.x.x status, not ${recipient.status}`);
  }
  const fields = [
    `Final-Recipient: rfc822; ${singleLine(recipient.finalRecipient)}`,
    `Action: ${recipient.action}`,
    `Status: ${recipient.status}`,
  ];
  if (recipient.remoteMta !== undefined) fields.push(`Remote-MTA: dns; ${singleLine(recipient.remoteMta)}`);
  if (recipient.diagnosticCode !== undefined) fields.push(`Diagnostic-Code: ${diagnostic(recipient.diagnosticCode)}`);
  if (recipient.lastAttemptDate !== undefined) fields.push(`Last-Attempt-Date: ${formatRfc5322Date(recipient.lastAttemptDate)}`);
  if (recipient.willRetryUntil !== undefined) fields.push(`Will-Retry-Until: ${formatRfc5322Date(recipient.willRetryUntil)}`);
  return fields;
}

export function deliveryStatusFields(input: DsnInput): string {
  if (input.recipients.length === 0) throw new Error('A delivery status notification reports at least one recipient');
  const perMessage = [`Reporting-MTA: dns; ${singleLine(input.reportingMta)}`];
  if (input.originalEnvelopeId !== undefined) perMessage.push(`Original-Envelope-Id: ${singleLine(input.originalEnvelopeId)}`);
  perMessage.push(`Arrival-Date: ${formatRfc5322Date(input.arrivalDate)}`);
  return [perMessage, ...input.recipients.map(recipientBlock)].map((block) => block.join('\r\n')).join('\r\n\r\n');
}
