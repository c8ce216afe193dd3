/**
 * The SQL behind MessageStore: its prepared statements (prepared once per connection and
 * reused for every call) and the mapping from rows to the types the mailbox hands out.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AttachmentInfo, MessageSummary } from './message-types.ts';

const SUMMARY_COLUMNS = `id, queue_id, mail_from, rcpt_to, from_text, to_text, subject, date, received_at, size,
  html_body IS NOT NULL AS has_html, attachment_count, parsed, bare_cr, mailbox`;

/**
 * The search: a parameterised LIKE (`%`, `_` and the backslash in the learner's text escaped with a backslash) over
 * the fields a mail reader shows and the envelope. A scan of one namespace's rows, which
 * `maxMessages` bounds (1000 by default); no index serves an infix match.
 */
const MATCHES = `(@pattern IS NULL OR subject LIKE @pattern ESCAPE '\\' OR from_text LIKE @pattern ESCAPE '\\'
  OR to_text LIKE @pattern ESCAPE '\\' OR mail_from LIKE @pattern ESCAPE '\\' OR rcpt_to LIKE @pattern ESCAPE '\\')`;

/** The mailbox filter: a lab mailbox's deliveries only, when one is given (stored lower-case). */
const IN_MAILBOX = '(@mailbox IS NULL OR mailbox = @mailbox)';

export interface SummaryRow {
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
  parsed: number;
  bare_cr: number;
  mailbox: string | null;
}

export interface MessageRow extends SummaryRow {
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

export interface AttachmentRow {
  position: number;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
}

export interface StatsRow {
  message_count: number;
  evicted_total: number;
}

export type MessageStatements = ReturnType<typeof prepareMessageStatements>;

/** Prepares every statement the store uses on `db`. */
export function prepareMessageStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    // The envelope and the raw bytes; the parsed columns wait for `applyParse`.
    insertRaw: statement(`INSERT INTO messages (namespace, queue_id, received_at, mail_from, rcpt_to, client_helo,
        remote_address, authenticated_user, secure, size, raw, headers, attachment_count, parsed, mailbox,
        lab_host, outbound_id, authentication, dns_lookups, disposition, lab_received_at)
      VALUES (@namespace, @queueId, @receivedAt, @mailFrom, @rcptTo, @clientHelo, @remoteAddress,
        @authenticatedUser, @secure, @size, @raw, '[]', 0, 0, @mailbox,
        @labHost, @outboundId, @authentication, @dnsLookups, @disposition, @labReceivedAt)`),
    // Only a message still waiting: one deleted or evicted meanwhile changes nothing.
    applyParse: statement(`UPDATE messages SET subject = @subject, from_text = @fromText, to_text = @toText,
        cc_text = @ccText, date = @date, message_id = @messageId, headers = @headers, text_body = @textBody,
        html_body = @htmlBody, attachment_count = @attachmentCount, parse_error = @parseError, bare_cr = @bareCr, parsed = 1
      WHERE id = @id AND parsed = 0`),
    // namespace_stats.message_count follows every insert and delete, in the same transaction.
    countInserted: statement(`INSERT INTO namespace_stats (namespace, message_count) VALUES (@namespace, @count)
        ON CONFLICT (namespace) DO UPDATE SET message_count = message_count + @count`),
    countDeleted: statement('UPDATE namespace_stats SET message_count = message_count - @count WHERE namespace = @namespace'),
    insertAttachment: statement(`INSERT INTO attachments (message_id, position, filename, content_type, size,
        content_id, content) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    // namespace_stats keeps the count: a key lookup instead of a COUNT(*) scan.
    stats: statement('SELECT message_count, evicted_total FROM namespace_stats WHERE namespace = ?'),
    // Oldest first by arrival (the id breaks ties); never the message just saved, which may
    // carry an earlier arrival time than others when a big one took longer to receive.
    evictOldest: statement(`DELETE FROM messages WHERE id IN (SELECT id FROM messages
        WHERE namespace = @namespace AND id != @keep ORDER BY received_at, id LIMIT @count)`),
    countEvicted: statement(`UPDATE namespace_stats SET message_count = message_count - @count,
        evicted_total = evicted_total + @count WHERE namespace = @namespace`),
    // Served by the partial index messages_unparsed.
    nextUnparsed: statement('SELECT id FROM messages WHERE parsed = 0 AND id > ? ORDER BY id LIMIT 1'),
    unparsedRaw: statement('SELECT namespace, raw FROM messages WHERE id = ? AND parsed = 0'),
    // Newest first from the cursor on, served by messages_by_namespace read backwards.
    list: statement(`SELECT ${SUMMARY_COLUMNS} FROM messages WHERE namespace = @namespace
        AND (@beforeAt IS NULL OR (received_at, id) < (@beforeAt, @beforeId)) AND ${MATCHES} AND ${IN_MAILBOX}
        ORDER BY received_at DESC, id DESC LIMIT @limit OFFSET @offset`),
    countMatches: statement(`SELECT COUNT(*) AS matched FROM messages WHERE namespace = @namespace AND ${MATCHES} AND ${IN_MAILBOX}`),
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

export function toSummary(row: SummaryRow): MessageSummary {
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
    bareCr: row.bare_cr === 1,
    parsed: row.parsed === 1,
    ...(row.mailbox === null ? {} : { mailbox: row.mailbox }),
  };
}

export function toAttachmentInfo(row: AttachmentRow): AttachmentInfo {
  return {
    index: row.position,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    contentId: row.content_id,
  };
}
