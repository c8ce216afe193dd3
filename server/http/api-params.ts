/** Strict parsing of ids and paging from URLs: anything unexpected becomes a clear 400 message. */
import { parseCursor } from '../storage/message-cursor.ts';
import type { PageCursor } from '../storage/message-types.ts';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../storage/page-bounds.ts';
import { DEFAULT_EVENT_PAGE_LIMIT, MAX_EVENT_PAGE_LIMIT } from '../storage/session-store.ts';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Message ids are positive decimal integers, no signs, no leading zeros, below 2^53. */
const MESSAGE_ID = /^[1-9][0-9]{0,14}$/;
const ATTACHMENT_INDEX = /^(0|[1-9][0-9]{0,4})$/;
/** Session ids are lowercase UUIDs, as `SessionStore.create` makes them. */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_NUMBER = /^(0|[1-9][0-9]{0,8})$/;
/** Event sequence numbers grow across the database: up to 15 digits, below 2^53. */
const SEQ_NUMBER = /^(0|[1-9][0-9]{0,14})$/;
/** A mailbox address for the filter: local@domain, no spaces; local part at most 64 octets (RFC 5321 §4.5.3.1.1), domain at most 253. */
const MAILBOX_ADDRESS = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** A message id from the URL. */
export function parseMessageId(text: string): Parsed<number> {
  return MESSAGE_ID.test(text)
    ? { ok: true, value: Number(text) }
    : { ok: false, message: `"${preview(text)}" is not a message id: ids are positive whole numbers such as 42.` };
}

/** An attachment index from the URL (0 for the first attachment). */
export function parseAttachmentIndex(text: string): Parsed<number> {
  return ATTACHMENT_INDEX.test(text)
    ? { ok: true, value: Number(text) }
    : { ok: false, message: `"${preview(text)}" is not an attachment index: use 0 for the first, 1 for the next…` };
}

/** A session id from the URL. */
export function parseSessionId(text: string): Parsed<string> {
  return SESSION_ID.test(text)
    ? { ok: true, value: text }
    : { ok: false, message: `"${preview(text)}" is not a session id: session ids are lowercase UUIDs.` };
}

/** `?limit=&offset=` with defaults; limit 1..MAX_PAGE_LIMIT, offset ≥ 0. */
export function parsePage(query: URLSearchParams): Parsed<{ limit: number; offset: number }> {
  const limitText = query.get('limit');
  const offsetText = query.get('offset');
  const limit = limitText === null ? DEFAULT_PAGE_LIMIT : PAGE_NUMBER.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_PAGE_LIMIT)) {
    return { ok: false, message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got "${preview(limitText ?? '')}".` };
  }
  const offset = offsetText === null ? 0 : PAGE_NUMBER.test(offsetText) ? Number(offsetText) : NaN;
  if (!(offset >= 0)) {
    return { ok: false, message: `offset must be a whole number, 0 or more, got "${preview(offsetText ?? '')}".` };
  }
  return { ok: true, value: { limit, offset } };
}

/** The longest search text: enough for any address or subject, small enough to scan cheaply. */
export const MAX_SEARCH_LENGTH = 200;

export interface MessageListQuery {
  readonly limit: number;
  readonly offset: number;
  readonly before: PageCursor | null;
  readonly query: string | null;
  /** `mailbox=ADDRESS`: only what a lab MX delivered to that mailbox. */
  readonly mailbox: string | null;
}

/** `?limit=&offset=&before=CURSOR&q=TEXT` for the mailbox list; an empty `q` means no search. */
export function parseMessageListQuery(query: URLSearchParams): Parsed<MessageListQuery> {
  const page = parsePage(query);
  if (!page.ok) return page;
  const beforeText = query.get('before');
  const before = beforeText === null || beforeText === '' ? null : parseCursor(beforeText);
  if (beforeText !== null && beforeText !== '' && before === null) {
    return { ok: false, message: `before must be the nextBefore of an earlier page (such as 1735689600000.42), got "${preview(beforeText)}".` };
  }
  const text = (query.get('q') ?? '').trim();
  if (text.length > MAX_SEARCH_LENGTH) {
    return { ok: false, message: `q is limited to ${MAX_SEARCH_LENGTH} characters, got ${text.length}.` };
  }
  const mailbox = (query.get('mailbox') ?? '').trim();
  if (mailbox !== '' && !MAILBOX_ADDRESS.test(mailbox)) {
    return { ok: false, message: `mailbox must be a lab address such as alice@example.net, got "${preview(mailbox)}".` };
  }
  return { ok: true, value: { ...page.value, before, query: text === '' ? null : text, mailbox: mailbox === '' ? null : mailbox } };
}

/** `?after=SEQ&limit=N` for a transcript's events: after ≥ 0 (default 0), limit 1..MAX_EVENT_PAGE_LIMIT. */
export function parseEventPage(query: URLSearchParams): Parsed<{ after: number; limit: number }> {
  const afterText = query.get('after');
  const limitText = query.get('limit');
  const after = afterText === null ? 0 : SEQ_NUMBER.test(afterText) ? Number(afterText) : NaN;
  if (!(after >= 0)) {
    return { ok: false, message: `after must be an event's seq (a whole number, 0 or more), got "${preview(afterText ?? '')}".` };
  }
  const limit = limitText === null ? DEFAULT_EVENT_PAGE_LIMIT : PAGE_NUMBER.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_EVENT_PAGE_LIMIT)) {
    return { ok: false, message: `limit must be a whole number from 1 to ${MAX_EVENT_PAGE_LIMIT}, got "${preview(limitText ?? '')}".` };
  }
  return { ok: true, value: { after, limit } };
}

/** Echo at most a little of what the client sent: error messages must stay small. */
function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
