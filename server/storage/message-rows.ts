/**
 * The SQL behind MessageStore, written once for both engines (`?` placeholders, values bound
 * in the order they appear), and the mapping from rows to the types the mailbox hands out.
 */
import type { SqlEngine, SqlValue } from './sql/sql-database.ts';
import type { AttachmentInfo, MessageSummary } from './message-types.ts';

// A 0/1 number on both engines (PostgreSQL's IS NOT NULL would be a boolean).
const SUMMARY_COLUMNS = `id, queue_id, mail_from, rcpt_to, from_text, to_text, subject, date, received_at, size,
  CASE WHEN html_body IS NULL THEN 0 ELSE 1 END AS has_html, attachment_count, parsed, bare_cr, mailbox`;

/** The columns a search looks in: the fields a mail reader shows and the envelope. */
const SEARCHED = ['subject', 'from_text', 'to_text', 'mail_from', 'rcpt_to'] as const;

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

/** What a page of the list asks for; a null filter is left out of the statement. */
export interface ListFilter {
  readonly namespace: string;
  /** A LIKE pattern (`%`, `_` and the backslash escaped with a backslash), or null for every message. */
  readonly pattern: string | null;
  /** A lab mailbox (lower-case), or null for every message. */
  readonly mailbox: string | null;
  readonly before: { readonly receivedAt: number; readonly id: number } | null;
}

/** A statement and its values. */
export interface BoundStatement {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * The WHERE clause of a list or a count. A filter that is not asked for is left out rather
 * than bound as NULL, so each of the few texts gets a plan of its own. The search is a
 * case-insensitive infix match (SQLite's LIKE is, PostgreSQL needs ILIKE) over one
 * namespace's rows, which `maxMessages` bounds (1000 by default); no index serves it.
 */
function where(engine: SqlEngine, filter: ListFilter, withCursor: boolean): BoundStatement {
  const like = engine === 'postgres' ? 'ILIKE' : 'LIKE';
  let sql = 'namespace = ?';
  const params: SqlValue[] = [filter.namespace];
  if (withCursor && filter.before !== null) {
    // Newest first from the cursor on, served by messages_by_namespace read backwards.
    sql += ' AND (received_at, id) < (?, ?)';
    params.push(filter.before.receivedAt, filter.before.id);
  }
  if (filter.pattern !== null) {
    sql += ` AND (${SEARCHED.map((column) => `${column} ${like} ? ESCAPE '\\'`).join(' OR ')})`;
    params.push(...SEARCHED.map(() => filter.pattern));
  }
  if (filter.mailbox !== null) {
    sql += ' AND mailbox = ?';
    params.push(filter.mailbox);
  }
  return { sql, params };
}

/** A page of summaries, newest first. */
export function listStatement(engine: SqlEngine, filter: ListFilter, limit: number, offset: number): BoundStatement {
  const { sql, params } = where(engine, filter, true);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM messages WHERE ${sql} ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?`,
    params: [...params, limit, offset],
  };
}

/** How many messages the filter matches, all pages together. */
export function countStatement(engine: SqlEngine, filter: ListFilter): BoundStatement {
  const { sql, params } = where(engine, filter, false);
  return { sql: `SELECT COUNT(*) AS matched FROM messages WHERE ${sql}`, params };
}

/** The constant statements, each bound positionally in the order of its `?`s. */
export const MESSAGE_SQL = {
  // The envelope and the raw bytes; the parsed columns wait for `applyParse`.
  insertRaw: `INSERT INTO messages (namespace, queue_id, received_at, mail_from, rcpt_to, client_helo,
      remote_address, authenticated_user, secure, size, raw, headers, attachment_count, parsed, mailbox,
      lab_host, outbound_id, authentication, dns_lookups, disposition, lab_received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 0, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  // Only a message still waiting: one deleted or evicted meanwhile changes nothing.
  applyParse: `UPDATE messages SET subject = ?, from_text = ?, to_text = ?, cc_text = ?, date = ?, message_id = ?,
      headers = ?, text_body = ?, html_body = ?, attachment_count = ?, parse_error = ?, bare_cr = ?, parsed = 1
    WHERE id = ? AND parsed = 0`,
  // namespace_stats.message_count follows every insert and delete, in the same transaction.
  // Read through an upsert: it makes the row and, on PostgreSQL, locks it until the commit, so
  // two processes storing into one namespace count (and evict) one after the other.
  lockStats: `INSERT INTO namespace_stats (namespace, message_count) VALUES (?, 0)
      ON CONFLICT (namespace) DO UPDATE SET message_count = namespace_stats.message_count
      RETURNING message_count, evicted_total`,
  countInserted: 'UPDATE namespace_stats SET message_count = message_count + ? WHERE namespace = ?',
  countDeleted: 'UPDATE namespace_stats SET message_count = message_count - ? WHERE namespace = ?',
  insertAttachment: `INSERT INTO attachments (message_id, position, filename, content_type, size,
      content_id, content) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  // namespace_stats keeps the count: a key lookup instead of a COUNT(*) scan.
  stats: 'SELECT message_count, evicted_total FROM namespace_stats WHERE namespace = ?',
  // Oldest first by arrival (the id breaks ties); never the message just saved, which may
  // carry an earlier arrival time than others when a big one took longer to receive.
  evictOldest: `DELETE FROM messages WHERE id IN (SELECT id FROM messages
      WHERE namespace = ? AND id != ? ORDER BY received_at, id LIMIT ?)`,
  countEvicted: `UPDATE namespace_stats SET message_count = message_count - ?,
      evicted_total = evicted_total + ? WHERE namespace = ?`,
  // Served by the partial index messages_unparsed.
  nextUnparsed: 'SELECT id FROM messages WHERE parsed = 0 AND id > ? ORDER BY id LIMIT 1',
  unparsedRaw: 'SELECT namespace, raw FROM messages WHERE id = ? AND parsed = 0',
  summary: `SELECT ${SUMMARY_COLUMNS} FROM messages WHERE namespace = ? AND id = ?`,
  message: `SELECT ${SUMMARY_COLUMNS}, cc_text, message_id, headers, text_body, html_body, client_helo,
      remote_address, authenticated_user, secure, parse_error FROM messages WHERE namespace = ? AND id = ?`,
  raw: 'SELECT raw FROM messages WHERE namespace = ? AND id = ?',
  attachmentList: `SELECT a.position, a.filename, a.content_type, a.size, a.content_id
      FROM attachments a JOIN messages m ON m.id = a.message_id
      WHERE m.namespace = ? AND a.message_id = ? ORDER BY a.position`,
  attachment: `SELECT a.position, a.filename, a.content_type, a.size, a.content_id, a.content
      FROM attachments a JOIN messages m ON m.id = a.message_id
      WHERE m.namespace = ? AND a.message_id = ? AND a.position = ?`,
  deleteOne: 'DELETE FROM messages WHERE namespace = ? AND id = ?',
  deleteAll: 'DELETE FROM messages WHERE namespace = ?',
} as const;

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
