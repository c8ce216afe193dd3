/** One mailbox row: what the list shows before the full MIME parse. */
import type { MailboxMessage } from '../../lib/view-types.ts';
import { readReaderHeaders } from '../../lib/mail/header-fields.ts';

export interface MessageSummary {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly time: string;
  readonly size: number;
}

/** Header From/To/Subject when the raw text is at hand, the envelope otherwise. */
export function summarizeMessage(message: MailboxMessage): MessageSummary {
  const headers = message.raw === null ? null : readReaderHeaders(message.raw);
  const envelopeFrom = message.mailFrom === '' ? '<> (null sender)' : message.mailFrom;
  return {
    id: message.id,
    from: headers?.from[0] ?? envelopeFrom,
    to: headers !== null && headers.to.length > 0 ? headers.to.join(', ') : message.rcptTo.join(', '),
    subject: headers?.subject ?? '(no subject)',
    time: formatTime(message.receivedAt),
    size: message.size,
  };
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Newest first. */
export function newestFirst(messages: readonly MailboxMessage[]): MailboxMessage[] {
  return [...messages].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
}
