/**
 * The mailbox: captured messages, raw and parsed, per namespace. Every statement filters on
 * the namespace, so an id from another namespace is simply "not found".
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type {
  AttachmentContent,
  AttachmentInfo,
  HeaderField,
  MessagePage,
  MessageSummary,
  PageOptions,
  ParsedMessage,
} from './message-types.ts';
import { parseMessage, type ParsedContent } from './parse-message.ts';
import { pageBounds } from './page-bounds.ts';

export interface MessageStoreOptions {
  /** The most messages kept per namespace; saving one more evicts the oldest. Default 1000. */
  readonly maxMessages?: number;
}

export const DEFAULT_MAX_MESSAGES = 1000;

const SUMMARY_COLUMNS = `id, queue_id, mail_from, rcpt_to, from_text, to_text, subject, date, received_at, size,
  html_body IS NOT NULL AS has_html, attachment_count`;

interface SummaryRow {
  id: number;
  queue_id: string;
  mail_from: string;
  rcpt_to: string;
  from_text: string | null;
  to_text: string | null;
  subject: string | null;
  date: number | null;
  received_at: number;
  size: number;
  has_html: number;
  attachment_count: number;
}

interface MessageRow extends SummaryRow {
  cc_text: string | null;
  message_id: string | null;
  headers: string;
  text_body: string | null;
  html_body: string | null;
  client_helo: string;
  remote_address: string;
  authenticated_user: string | null;
  secure: number;
  parse_error: string | null;
}

interface AttachmentRow {
  position: number;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
}

/** Stores and reads captured messages. Synchronous except `save`, which parses first. */
export class MessageStore {
  readonly maxMessages: number;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #insertParsed: (namespace: string, captured: CapturedMessage, parsed: ParsedContent) => {
    id: number;
    evicted: number;
  };

  constructor(db: Database, options: MessageStoreOptions = {}) {
    const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
    }
    this.maxMessages = maxMessages;
    this.#statements = prepareStatements(db);
    this.#insertParsed = db.transaction((namespace, captured, parsed) => this.#insert(namespace, captured, parsed));
  }

  /**
   * Parses and stores a captured message in `namespace`. The raw bytes are kept exactly; if
   * parsing fails the message is still stored, with `parseError` set. The oldest messages
   * beyond `maxMessages` are evicted in the same transaction; `evicted` says how many.
   */
  async save(namespace: string, captured: CapturedMessage): Promise<{ message: MessageSummary; evicted: number }> {
    const parsed = await parseMessage(captured.raw);
    const { id, evicted } = this.#insertParsed(namespace, captured, parsed);
    // Read back synchronously after the commit: nothing can have deleted it in between.
    return { message: this.summary(namespace, id)!, evicted };
  }

  /** A page of the namespace's messages, newest first. */
  list(namespace: string, page: PageOptions = {}): MessagePage {
    const { limit, offset } = pageBounds(page);
    const rows = this.#statements.list.all(namespace, limit, offset) as SummaryRow[];
    const { total } = this.#statements.count.get(namespace) as { total: number };
    const stats = this.#statements.evictedTotal.get(namespace) as { evicted_total: number } | undefined;
    return {
      messages: rows.map(toSummary),
      total,
      maxMessages: this.maxMessages,
      evictedTotal: stats?.evicted_total ?? 0,
    };
  }

  /** One message's list entry, or null if it is not in this namespace. */
  summary(namespace: string, id: number): MessageSummary | null {
    const row = this.#statements.summary.get(namespace, id) as SummaryRow | undefined;
    return row === undefined ? null : toSummary(row);
  }

  /** One message, parsed, or null if it is not in this namespace. */
  get(namespace: string, id: number): ParsedMessage | null {
    const row = this.#statements.message.get(namespace, id) as MessageRow | undefined;
    if (row === undefined) return null;
    const attachments = (this.#statements.attachmentList.all(id) as AttachmentRow[]).map(toAttachmentInfo);
    return {
      ...toSummary(row),
      cc: row.cc_text,
      messageId: row.message_id,
      headers: JSON.parse(row.headers) as HeaderField[],
      text: row.text_body,
      html: row.html_body,
      attachments,
      clientHelo: row.client_helo,
      remoteAddress: row.remote_address,
      authenticatedUser: row.authenticated_user,
      secure: row.secure === 1,
      parseError: row.parse_error,
    };
  }

  /** The message exactly as received, or null if it is not in this namespace. */
  raw(namespace: string, id: number): Buffer | null {
    const row = this.#statements.raw.get(namespace, id) as { raw: Buffer } | undefined;
    return row?.raw ?? null;
  }

  /** One attachment with its bytes (index from `ParsedMessage.attachments`), or null. */
  attachment(namespace: string, id: number, index: number): AttachmentContent | null {
    const row = this.#statements.attachment.get(namespace, id, index) as
      | (AttachmentRow & { content: Buffer })
      | undefined;
    return row === undefined ? null : { ...toAttachmentInfo(row), content: row.content };
  }

  /** Deletes one message; false if it was not in this namespace. */
  delete(namespace: string, id: number): boolean {
    return this.#statements.deleteOne.run(namespace, id).changes > 0;
  }

  /** Deletes every message of the namespace and returns how many there were. */
  deleteAll(namespace: string): number {
    return this.#statements.deleteAll.run(namespace).changes;
  }

  #insert(namespace: string, captured: CapturedMessage, parsed: ParsedContent): { id: number; evicted: number } {
    const s = this.#statements;
    const result = s.insert.run({
      namespace,
      queueId: captured.queueId,
      receivedAt: captured.receivedAt.getTime(),
      mailFrom: captured.mailFrom,
      rcptTo: JSON.stringify(captured.rcptTo),
      clientHelo: captured.clientHelo,
      remoteAddress: captured.remoteAddress,
      authenticatedUser: captured.authenticatedUser,
      secure: captured.secure ? 1 : 0,
      size: captured.raw.length,
      raw: captured.raw,
      subject: parsed.subject,
      fromText: parsed.from,
      toText: parsed.to,
      ccText: parsed.cc,
      date: parsed.date,
      messageId: parsed.messageId,
      headers: JSON.stringify(parsed.headers),
      textBody: parsed.text,
      htmlBody: parsed.html,
      attachmentCount: parsed.attachments.length,
      parseError: parsed.parseError,
    });
    const id = Number(result.lastInsertRowid);
    parsed.attachments.forEach((attachment, position) => {
      s.insertAttachment.run(id, position, attachment.filename, attachment.contentType, attachment.size,
        attachment.contentId, attachment.content);
    });
    const { total } = s.count.get(namespace) as { total: number };
    const excess = total - this.maxMessages;
    if (excess <= 0) return { id, evicted: 0 };
    const evicted = s.evictOldest.run({ namespace, keep: id, count: excess }).changes;
    s.addEvicted.run({ namespace, count: evicted });
    return { id, evicted };
  }
}

function prepareStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    insert: statement(`INSERT INTO messages (namespace, queue_id, received_at, mail_from, rcpt_to, client_helo,
        remote_address, authenticated_user, secure, size, raw, subject, from_text, to_text, cc_text, date,
        message_id, headers, text_body, html_body, attachment_count, parse_error)
      VALUES (@namespace, @queueId, @receivedAt, @mailFrom, @rcptTo, @clientHelo, @remoteAddress,
        @authenticatedUser, @secure, @size, @raw, @subject, @fromText, @toText, @ccText, @date, @messageId,
        @headers, @textBody, @htmlBody, @attachmentCount, @parseError)`),
    insertAttachment: statement(`INSERT INTO attachments (message_id, position, filename, content_type, size,
        content_id, content) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    count: statement('SELECT COUNT(*) AS total FROM messages WHERE namespace = ?'),
    // Oldest first by arrival (the id breaks ties); never the message just saved, which may
    // carry an earlier arrival time than others when a big one took longer to parse.
    evictOldest: statement(`DELETE FROM messages WHERE id IN (SELECT id FROM messages
        WHERE namespace = @namespace AND id != @keep ORDER BY received_at, id LIMIT @count)`),
    addEvicted: statement(`INSERT INTO namespace_stats (namespace, evicted_total) VALUES (@namespace, @count)
        ON CONFLICT (namespace) DO UPDATE SET evicted_total = evicted_total + @count`),
    evictedTotal: statement('SELECT evicted_total FROM namespace_stats WHERE namespace = ?'),
    list: statement(`SELECT ${SUMMARY_COLUMNS} FROM messages WHERE namespace = ?
        ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?`),
    summary: statement(`SELECT ${SUMMARY_COLUMNS} FROM messages WHERE namespace = ? AND id = ?`),
    message: statement(`SELECT ${SUMMARY_COLUMNS}, cc_text, message_id, headers, text_body, html_body, client_helo,
        remote_address, authenticated_user, secure, parse_error FROM messages WHERE namespace = ? AND id = ?`),
    raw: statement('SELECT raw FROM messages WHERE namespace = ? AND id = ?'),
    attachmentList: statement(`SELECT position, filename, content_type, size, content_id FROM attachments
        WHERE message_id = ? ORDER BY position`),
    attachment: statement(`SELECT a.position, a.filename, a.content_type, a.size, a.content_id, a.content
        FROM attachments a JOIN messages m ON m.id = a.message_id
        WHERE m.namespace = ? AND a.message_id = ? AND a.position = ?`),
    deleteOne: statement('DELETE FROM messages WHERE namespace = ? AND id = ?'),
    deleteAll: statement('DELETE FROM messages WHERE namespace = ?'),
  };
}

function toSummary(row: SummaryRow): MessageSummary {
  return {
    id: row.id,
    queueId: row.queue_id,
    mailFrom: row.mail_from,
    rcptTo: JSON.parse(row.rcpt_to) as string[],
    from: row.from_text,
    to: row.to_text,
    subject: row.subject,
    date: row.date === null ? null : new Date(row.date).toISOString(),
    receivedAt: new Date(row.received_at).toISOString(),
    size: row.size,
    hasHtml: row.has_html === 1,
    attachmentCount: row.attachment_count,
  };
}

function toAttachmentInfo(row: AttachmentRow): AttachmentInfo {
  return {
    index: row.position,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    contentId: row.content_id,
  };
}
