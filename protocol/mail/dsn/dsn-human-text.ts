/**
 * The human-readable first part of a DSN (RFC 6522 §3): what happened, to which recipient, the
 * remote server's own words, and what the reader can do, written for a learner rather than for
 * a postmaster.
 */
import { formatRfc5322Date } from '../rfc5322-date.ts';
import type { DsnInput, DsnRecipient } from './dsn-types.ts';

/** RFC 3463 §3: the status code's subject (its middle number) says where the trouble lies. */
const SUBJECT_ADVICE: Readonly<Record<string, string>> = {
  '1': 'The address itself was refused: check its spelling and that the mailbox exists.',
  '2': 'The mailbox exists but cannot take the message (full, disabled or too small a limit).',
  '3': 'The receiving mail system had a problem of its own; its postmaster can say more.',
  '4': 'The message could not be routed: check the domain and its MX records in DNS.',
  '5': 'The conversation between the two servers went wrong (a protocol error).',
  '6': 'The content was refused (its size, format or encoding).',
  '7': "The receiver's policy or security checks refused it: check SPF, DKIM and DMARC for the sending domain.",
};

/** Codes whose detail says more than their subject. */
const DETAIL_ADVICE: Readonly<Record<string, string>> = {
  '1.2': 'The domain after the @ takes no mail here (it does not exist, or is unreachable from this system): check its spelling.',
  '1.10': 'The domain publishes a null MX (RFC 7505): it says it accepts no mail at all.',
  '3.4': 'The message is bigger than the receiving system takes (RFC 1870: its EHLO reply names the limit after SIZE): send a smaller one, or share large files another way.',
};

const HEADLINE: Readonly<Record<DsnRecipient['action'], string>> = {
  failed: 'could not be delivered',
  delayed: 'has not been delivered yet; the mail system is still trying',
  delivered: 'was delivered',
  relayed: 'was passed on to a system that sends no delivery reports',
  expanded: 'was delivered to a list that passed it on',
};

function recipientLines(recipient: DsnRecipient): string[] {
  const lines = [`<${recipient.finalRecipient}>: ${HEADLINE[recipient.action]} (status ${recipient.status}).`];
  if (recipient.diagnosticCode !== undefined) {
    // Without a Remote-MTA no server was reached: the reason is this mail system's own.
    const source = recipient.remoteMta === undefined ? 'No server was reached; the reason given' : `The server ${recipient.remoteMta} answered`;
    lines.push(`    ${source}:`, `    ${recipient.diagnosticCode.replace(/^\s*[A-Za-z][\w-]*\s*;\s*/, '')}`);
  }
  if (recipient.action === 'delayed') {
    const until = recipient.willRetryUntil === undefined ? '' : ` until ${formatRfc5322Date(recipient.willRetryUntil)}`;
    lines.push(`    Nothing to do yet: a 4xx reply means "try again later", and this system will retry${until}.`);
  } else if (recipient.action === 'failed') {
    const [, subject = '', detail = ''] = recipient.status.split('.');
    const advice = DETAIL_ADVICE[`${subject}.${detail}`] ?? SUBJECT_ADVICE[subject];
    if (advice !== undefined) lines.push(`    What to do: ${advice}`);
  }
  return lines;
}

export function dsnHumanText(input: DsnInput): string {
  const failed = input.recipients.some((recipient) => recipient.action === 'failed');
  return [
    `This is the mail system at host ${input.reportingMta}.`,
    '',
    failed
      ? 'Your message could not be delivered to one or more recipients.'
      : 'This is a report on the delivery of your message.',
    '',
    ...input.recipients.flatMap((recipient) => [...recipientLines(recipient), '']),
    `This report goes to <${input.originalEnvelopeFrom}>, the envelope sender (MAIL FROM),`,
    'which is not always the From: header: bounces follow the envelope (RFC 5321 §4.5.5).',
    'The original message headers are attached below.',
  ].join('\r\n');
}
