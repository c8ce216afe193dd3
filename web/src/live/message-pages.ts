/** The live mailbox's pages and search, from the server (`GET /api/messages?q=&before=&limit=`). */
import type { WireMessageSummary } from '../../../protocol/wire/contract.ts';
import type { MailboxPage, MailboxPager } from '../mail/mailbox-pages.ts';
import type { MailboxMessage } from '../session/view-types.ts';

/** Asks the server for each page; rejects with a sentence on failure. */
export function livePager(fetchImpl: typeof fetch = (input, init) => fetch(input, init), apiBase = ''): MailboxPager {
  return async ({ q, before, limit }): Promise<MailboxPage> => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (q.trim() !== '') params.set('q', q.trim());
    if (before !== null) params.set('before', before);
    const response = await fetchImpl(`${apiBase}/api/messages?${params}`);
    if (!response.ok) throw new Error(`The server answered ${response.status} for the mailbox.`);
    const body = (await response.json()) as { messages: WireMessageSummary[]; hasMore?: boolean; nextBefore?: string | null; matched?: number; total: number };
    return {
      messages: body.messages.map(toMailboxMessage),
      hasMore: body.hasMore === true,
      nextBefore: body.nextBefore ?? null,
      matched: body.matched ?? body.total,
      total: body.total,
    };
  };
}

/** A summary from the HTTP API or a `message.captured` push, as the mailbox panel shows it. */
export function toMailboxMessage(summary: WireMessageSummary & { readonly parsed?: boolean }): MailboxMessage {
  const base = `/api/messages/${summary.id}`;
  return {
    id: String(summary.id),
    source: 'live',
    receivedAt: summary.receivedAt,
    mailFrom: summary.mailFrom,
    rcptTo: summary.rcptTo,
    queueId: summary.queueId,
    size: summary.size,
    raw: null,
    rawUrl: `${base}/raw`,
    htmlUrl: summary.hasHtml ? `${base}/html` : null,
    messageUrl: base,
    ...(summary.mailbox === undefined ? {} : { mailbox: summary.mailbox }),
    headline: {
      from: summary.from,
      to: summary.to,
      subject: summary.subject,
      date: summary.date,
      bareCr: summary.bareCr === true,
      parsed: summary.parsed !== false,
    },
  };
}
