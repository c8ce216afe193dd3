/**
 * How the mailbox reads its list: a page at a time, newest first, optionally searched. Live
 * mode asks the server (`GET /api/messages?q=&before=&limit=`); simulated mode pages and
 * searches the messages the simulator accepted in this page, the same way.
 */
import type { MailboxMessage } from '../session/view-types.ts';
import { readReaderHeaders } from './header-fields.ts';

export interface MailboxQuery {
  /** Search text ('' for none): subject, From, To and the envelope, case-insensitive. */
  readonly q: string;
  /** The `nextBefore` of the page before, or null for the newest. */
  readonly before: string | null;
  readonly limit: number;
}

export interface MailboxPage {
  readonly messages: readonly MailboxMessage[];
  readonly hasMore: boolean;
  readonly nextBefore: string | null;
  /** Messages matching the search, all pages together. */
  readonly matched: number;
  /** Messages in the mailbox. */
  readonly total: number;
}

export type MailboxPager = (query: MailboxQuery) => Promise<MailboxPage>;

/** Rows per page; the server takes at most 500. */
export const PAGE_SIZE = 50;

/** Pages through messages held in the page; the cursor is the id of the last message shown. */
export function localPager(messages: readonly MailboxMessage[]): MailboxPager {
  return async ({ q, before, limit }) => {
    const sorted = newestFirst(messages);
    const needle = q.trim().toLowerCase();
    const matching = needle === '' ? sorted : sorted.filter((message) => searchText(message).includes(needle));
    const start = before === null ? 0 : matching.findIndex((message) => message.id === before) + 1;
    const page = matching.slice(start, start + limit);
    const hasMore = start + limit < matching.length;
    return { messages: page, hasMore, nextBefore: hasMore ? (page.at(-1)?.id ?? null) : null, matched: matching.length, total: messages.length };
  };
}

function searchText(message: MailboxMessage): string {
  const headers = message.raw === null ? null : readReaderHeaders(message.raw);
  return [headers?.subject ?? '', ...(headers?.from ?? []), ...(headers?.to ?? []), message.mailFrom, ...message.rcptTo].join('\n').toLowerCase();
}

/** Newest first. */
export function newestFirst(messages: readonly MailboxMessage[]): MailboxMessage[] {
  return [...messages].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
}
