/** One mailbox row: what the list shows before the message is opened. */
import type { MailboxMessage } from '../../session/view-types.ts';
import { readReaderHeaders } from '../../mail/header-fields.ts';

/** The flag on a message whose stored bytes have bare CR line endings. */
export const BARE_CR_NOTE = 'bare CR line endings: servers differ in how they read this';

/** In a classroom, whose copy this is: the student sent it, or it was delivered to them. */
export type Direction = 'sent' | 'received';

export interface MailboxRow {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly time: string;
  readonly size: number;
  readonly bareCr: boolean;
  readonly direction: Direction | null;
  /** The lab mailbox this copy was filed in; null for what the sandbox captured. */
  readonly deliveredTo: string | null;
}

/**
 * The server's parse for live messages, the header fields of the raw text for simulated
 * ones, the envelope where neither has a value. `ownAddress` (a student's class address)
 * tells sent copies from delivered ones.
 */
export function summarizeMessage(message: MailboxMessage, ownAddress: string | null = null): MailboxRow {
  const envelopeFrom = message.mailFrom === '' ? '<> (null sender)' : message.mailFrom;
  const envelopeTo = message.rcptTo.join(', ');
  const headline = message.headline;
  const headers = headline === null && message.raw !== null ? readReaderHeaders(message.raw) : null;
  const from = headline?.from ?? headers?.from[0] ?? null;
  const to = headline?.to ?? (headers !== null && headers.to.length > 0 ? headers.to.join(', ') : null);
  return {
    id: message.id,
    from: from ?? envelopeFrom,
    to: to ?? envelopeTo,
    subject: headline?.subject ?? headers?.subject ?? (headline !== null && !headline.parsed ? '(reading…)' : '(no subject)'),
    time: formatTime(message.receivedAt),
    size: message.size,
    bareCr: headline?.bareCr ?? false,
    direction: directionOf(message, ownAddress),
    deliveredTo: message.mailbox ?? null,
  };
}

/**
 * Class mail lands in a student's mailbox only as the sender's copy or as a delivery to their
 * class address (server/classroom/class-mail.ts): a copy addressed to them was received (a
 * note to themselves too), any other was sent by them.
 */
export function directionOf(message: MailboxMessage, ownAddress: string | null): Direction | null {
  if (ownAddress === null) return null;
  const own = ownAddress.toLowerCase();
  return message.rcptTo.some((address) => address.toLowerCase() === own) ? 'received' : 'sent';
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A Date header's time for people, with the day. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
