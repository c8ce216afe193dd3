/**
 * What the mailbox hands out. Every field is JSON-ready (dates are ISO 8601 strings), so the
 * HTTP API can send these objects as they are.
 */

/** One line of the mailbox list. `id` is unique in the whole database and never reused. */
export interface MessageSummary {
  readonly id: number;
  readonly queueId: string;
  /** The envelope sender (MAIL FROM); "" for the null reverse-path `<>`. */
  readonly mailFrom: string;
  /** The envelope recipients (RCPT TO), which need not match the To header. */
  readonly rcptTo: readonly string[];
  /** The From, To and Subject headers, decoded; null when absent. */
  readonly from: string | null;
  readonly to: string | null;
  readonly subject: string | null;
  /** The Date header; null when absent or unreadable. */
  readonly date: string | null;
  /** When the sandbox accepted the message. */
  readonly receivedAt: string;
  /** Size of the raw message in bytes. */
  readonly size: number;
  readonly hasHtml: boolean;
  readonly attachmentCount: number;
  /**
   * The raw message has bare CR line endings (RFC 5321 §2.3.8 forbids them; servers differ in
   * how they read this). The stored bytes are as received; the parsed fields come from a copy
   * with each bare CR read as CRLF.
   */
  readonly bareCr: boolean;
  /**
   * False for a short while after arrival: the raw message and its envelope are stored at
   * once, mailparser reads the content right after. Until then every field taken from the
   * content (from, to, subject, date, hasHtml, attachmentCount; in the parsed form also cc,
   * messageId, headers, text, html, attachments) is null, 0 or empty.
   */
  readonly parsed: boolean;
  /** The lab mailbox (recipient address) a lab MX delivered this copy to; absent for captured mail. */
  readonly mailbox?: string;
}

/** One header field in message order; `value` is unfolded but otherwise as written. */
export interface StoredHeaderField {
  readonly key: string;
  readonly value: string;
}

/** An attachment's description; its bytes come from `MessageStore.attachment`. */
export interface AttachmentInfo {
  /** Position in the message, the `index` used to fetch it. */
  readonly index: number;
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
  /** The Content-ID without angle brackets, for inline parts referenced as `cid:`. */
  readonly contentId: string | null;
}

/** An attachment with its decoded bytes. */
export interface AttachmentContent extends AttachmentInfo {
  readonly content: Buffer;
}

/** A whole captured message, parsed. */
export interface ParsedMessage extends MessageSummary {
  readonly cc: string | null;
  /** The Message-ID header, angle brackets included. */
  readonly messageId: string | null;
  readonly headers: readonly StoredHeaderField[];
  readonly text: string | null;
  /** The HTML part exactly as sent: never render it outside a sandboxed iframe. */
  readonly html: string | null;
  readonly attachments: readonly AttachmentInfo[];
  readonly clientHelo: string;
  readonly remoteAddress: string;
  readonly authenticatedUser: string | null;
  /** Whether the session was TLS-protected when the message arrived. */
  readonly secure: boolean;
  /** Why parsing failed, if it did; the raw message is stored either way. */
  readonly parseError: string | null;
}

/** A page of the mailbox, newest first. */
export interface MessagePage {
  readonly messages: MessageSummary[];
  /** Messages in the namespace, all pages together. */
  readonly total: number;
  /** Messages that match the search, all pages together (`total` without one). */
  readonly matched: number;
  /** Whether older matching messages follow this page. */
  readonly hasMore: boolean;
  /** The cursor for the next page (`before`), or null on the last page. */
  readonly nextBefore: string | null;
  /** The most messages kept per namespace; older ones are evicted. */
  readonly maxMessages: number;
  /** How many messages this namespace has lost to eviction so far. */
  readonly evictedTotal: number;
}

/** Where a page starts: just after the message that arrived at `receivedAt` with `id`. */
export interface PageCursor {
  readonly receivedAt: number;
  readonly id: number;
}

/** Paging and search for list queries. */
export interface PageOptions {
  /** At most this many rows (default 50). */
  readonly limit?: number;
  /** Rows to skip (default 0). */
  readonly offset?: number;
  /** Only messages older than this one (a cursor from `nextBefore`). */
  readonly before?: PageCursor | null;
  /** Only messages whose subject, From, To, envelope sender or recipients contain this text. */
  readonly query?: string | null;
  /** Only messages a lab MX delivered to this mailbox (an address, any case). */
  readonly mailbox?: string | null;
}
