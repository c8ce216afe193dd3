/**
 * The mailbox: captured messages, raw and parsed, per namespace. Every statement filters on
 * the namespace, so an id from another namespace is simply "not found".
 *
 * Two ways in: `save` parses and stores in one go; the live process instead stores raw
 * (`storeRaw`, many messages per transaction, no parsing) so an SMTP burst is never held up
 * by mailparser, and parses afterwards (`nextUnparsed` + `parseStored`).
 */
import type { LabReceipt } from '../../protocol/world/journey.ts';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import type {
  AttachmentContent,
  StoredHeaderField,
  MessagePage,
  MessageSummary,
  PageOptions,
  ParsedMessage,
} from './message-types.ts';
import {
  MESSAGE_SQL as SQL,
  countStatement,
  listStatement,
  toAttachmentInfo,
  toSummary,
  type AttachmentRow,
  type ListFilter,
  type MessageRow,
  type StatsRow,
  type SummaryRow,
} from './message-rows.ts';
import { parseMessage, type ParsedContent } from './parse-message.ts';
import { formatCursor } from './message-cursor.ts';
import { pageBounds } from './page-bounds.ts';
import type { SqlDatabase, SqlSession } from './sql/sql-database.ts';

/**
 * The part of the store the lab's MX hosts and bounces write through. `parseStored` runs after
 * the reply: a MessageStore parses in this thread; the live app hands the copy to the capture
 * worker (CaptureWriter.parseStored), off the event loop.
 */
export interface RawMailboxStore extends Pick<MessageStore, 'storeRaw'> {
  parseStored(id: number): Promise<unknown>;
}

export interface MessageStoreOptions {
  /** The most messages kept per namespace; saving one more evicts the oldest. Default 1000. */
  readonly maxMessages?: number;
}

export const DEFAULT_MAX_MESSAGES = 1000;

/** A message to store raw, and where. */
export interface RawEntry {
  readonly namespace: string;
  readonly message: CapturedMessage;
  /** The lab mailbox a lab MX delivered this copy to (lower-cased here); none for captured mail. */
  readonly mailbox?: string;
  /** What the lab MX that delivered it recorded (the journey API reads it); none for captured mail. */
  readonly lab?: LabReceipt;
}

/** Where a stored message went, and how many older ones it pushed out of its namespace. */
export interface StoredRef {
  readonly id: number;
  readonly evicted: number;
}

/** Stores and reads captured messages, on either engine. */
export class MessageStore {
  readonly maxMessages: number;
  readonly #db: SqlDatabase;
  /** How text is stored: PostgreSQL's text cannot hold NUL, which a parse may yield (the raw bytes keep it). */
  readonly #text: <T extends string | null>(value: T) => T;

  constructor(db: SqlDatabase, options: MessageStoreOptions = {}) {
    const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
    }
    this.maxMessages = maxMessages;
    this.#db = db;
    this.#text = db.engine === 'postgres' ? withoutNul : (value) => value;
  }

  /**
   * Parses and stores a captured message in `namespace`. The raw bytes are kept exactly; if
   * parsing fails the message is still stored, with `parseError` set. The oldest messages
   * beyond `maxMessages` are evicted in the same transaction; `evicted` says how many.
   */
  async save(namespace: string, captured: CapturedMessage, mailbox?: string): Promise<{ message: MessageSummary; evicted: number }> {
    const parsed = await parseMessage(captured.raw);
    const entry: RawEntry = { namespace, message: captured, ...(mailbox === undefined ? {} : { mailbox }) };
    // Read back in the same transaction: nothing can have deleted it in between.
    return this.#db.transaction(async (tx) => {
      const [stored] = (await this.storeRawIn(tx, [entry])) as [StoredRef];
      await this.#update(tx, stored.id, parsed);
      return { message: (await summaryIn(tx, namespace, stored.id))!, evicted: stored.evicted };
    });
  }

  /**
   * Stores messages raw with their envelope, in order and in one transaction, without
   * parsing them (`parsed: false` until `parseStored`). Evicts like `save`, per message.
   */
  storeRaw(entries: readonly RawEntry[]): Promise<StoredRef[]> {
    return this.#db.transaction((tx) => this.storeRawIn(tx, entries));
  }

  /**
   * `storeRaw` inside a transaction the caller holds (the capture worker commits the copies
   * and the outbound queue's rows together). Inserts the rows, then counts and evicts once per
   * namespace: in a group commit the cost is in the rows, not in bookkeeping repeated for each.
   * Each ref says how many older messages its arrival pushed out, as if stored one by one.
   */
  async storeRawIn(tx: SqlSession, entries: readonly RawEntry[]): Promise<StoredRef[]> {
    const namespaces = new Map<string, { count: number; added: number; evicted: number; lastId: number }>();
    const refs: StoredRef[] = [];
    for (const { namespace, message, mailbox, lab } of entries) {
      let tally = namespaces.get(namespace);
      if (tally === undefined) {
        const stats = (await tx.get<StatsRow>(SQL.lockStats, [namespace]))!;
        tally = { count: stats.message_count, added: 0, evicted: 0, lastId: 0 };
        namespaces.set(namespace, tally);
      }
      const text = this.#text;
      const row = await tx.get<{ id: number }>(SQL.insertRaw, [
        namespace,
        message.queueId,
        message.receivedAt.getTime(),
        text(message.mailFrom),
        JSON.stringify(message.rcptTo),
        text(message.clientHelo),
        message.remoteAddress,
        text(message.authenticatedUser),
        message.secure ? 1 : 0,
        message.raw.length,
        message.raw,
        mailbox?.toLowerCase() ?? null,
        lab?.host ?? null,
        lab?.outboundId ?? null,
        lab?.authentication ? JSON.stringify(lab.authentication) : null,
        lab ? JSON.stringify(lab.lookups) : null,
        lab?.disposition ?? null,
        lab?.labTime ?? null,
      ]);
      const id = row!.id;
      const evicted = Math.max(0, tally.count + 1 - this.maxMessages);
      tally.count += 1 - evicted;
      tally.added += 1;
      tally.evicted += evicted;
      tally.lastId = id;
      refs.push({ id, evicted });
    }
    for (const [namespace, tally] of namespaces) {
      await tx.run(SQL.countInserted, [tally.added, namespace]);
      if (tally.evicted === 0) continue;
      const evicted = (await tx.run(SQL.evictOldest, [namespace, tally.lastId, tally.evicted])).changes;
      await tx.run(SQL.countEvicted, [evicted, evicted, namespace]);
    }
    return refs;
  }

  /** The id of the oldest message after `afterId` still waiting for its parse, in any namespace, or null. */
  async nextUnparsed(afterId = 0): Promise<number | null> {
    const row = await this.#db.get<{ id: number }>(SQL.nextUnparsed, [afterId]);
    return row?.id ?? null;
  }

  /**
   * Parses a message stored by `storeRaw` and records the result. Resolves with its
   * namespace and summary, or null when it is gone (deleted, evicted) or already parsed.
   */
  async parseStored(id: number): Promise<{ namespace: string; message: MessageSummary } | null> {
    const row = await this.#db.get<{ namespace: string; raw: Buffer }>(SQL.unparsedRaw, [id]);
    if (row === undefined) return null;
    const parsed = await parseMessage(row.raw);
    return this.#db.transaction(async (tx) => {
      if (!(await this.#update(tx, id, parsed))) return null;
      const message = await summaryIn(tx, row.namespace, id);
      return message === null ? null : { namespace: row.namespace, message };
    });
  }

  /**
   * A page of the namespace's messages, newest first: from `before` on (a cursor from an
   * earlier page's `nextBefore`), those matching `query` only when one is given.
   */
  async list(namespace: string, page: PageOptions = {}): Promise<MessagePage> {
    const { limit, offset } = pageBounds(page);
    const filter: ListFilter = {
      namespace,
      pattern: page.query ? this.#text(likePattern(page.query)) : null,
      mailbox: page.mailbox ? this.#text(page.mailbox.toLowerCase()) : null,
      before: page.before ?? null,
    };
    // One row more than asked for says whether another page follows.
    const list = listStatement(this.#db.engine, filter, limit + 1, offset);
    const rows = await this.#db.all<SummaryRow>(list.sql, list.params);
    const stats = await this.#db.get<StatsRow>(SQL.stats, [namespace]);
    const total = stats?.message_count ?? 0;
    let matched = total;
    if (filter.pattern !== null || filter.mailbox !== null) {
      const count = countStatement(this.#db.engine, filter);
      matched = (await this.#db.get<{ matched: number }>(count.sql, count.params))!.matched;
    }
    const hasMore = rows.length > limit;
    const messages = rows.slice(0, limit).map(toSummary);
    const last = rows[limit - 1];
    return {
      messages,
      total,
      matched,
      hasMore,
      nextBefore: hasMore && last !== undefined ? formatCursor({ receivedAt: last.received_at, id: last.id }) : null,
      maxMessages: this.maxMessages,
      evictedTotal: stats?.evicted_total ?? 0,
    };
  }

  /** One message's list entry, or null if it is not in this namespace. */
  summary(namespace: string, id: number): Promise<MessageSummary | null> {
    return summaryIn(this.#db, namespace, id);
  }

  /** One message, parsed, or null if it is not in this namespace. */
  async get(namespace: string, id: number): Promise<ParsedMessage | null> {
    const row = await this.#db.get<MessageRow>(SQL.message, [namespace, id]);
    if (row === undefined) return null;
    const attachments = (await this.#db.all<AttachmentRow>(SQL.attachmentList, [namespace, id])).map(toAttachmentInfo);
    return {
      ...toSummary(row),
      cc: row.cc_text,
      messageId: row.message_id,
      headers: JSON.parse(row.headers) as StoredHeaderField[],
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
  async raw(namespace: string, id: number): Promise<Buffer | null> {
    const row = await this.#db.get<{ raw: Buffer }>(SQL.raw, [namespace, id]);
    return row?.raw ?? null;
  }

  /** One attachment with its bytes (index from `ParsedMessage.attachments`), or null. */
  async attachment(namespace: string, id: number, index: number): Promise<AttachmentContent | null> {
    const row = await this.#db.get<AttachmentRow & { content: Buffer }>(SQL.attachment, [namespace, id, index]);
    return row === undefined ? null : { ...toAttachmentInfo(row), content: row.content };
  }

  /** Deletes one message; false if it was not in this namespace. */
  async delete(namespace: string, id: number): Promise<boolean> {
    return (await this.#deleting(namespace, SQL.deleteOne, [namespace, id])) > 0;
  }

  /** Deletes every message of the namespace and returns how many there were. */
  deleteAll(namespace: string): Promise<number> {
    return this.#deleting(namespace, SQL.deleteAll, [namespace]);
  }

  /** A delete and the count that follows it, in one transaction. */
  #deleting(namespace: string, sql: string, params: readonly (string | number)[]): Promise<number> {
    return this.#db.transaction(async (tx) => {
      const deleted = (await tx.run(sql, params)).changes;
      if (deleted > 0) await tx.run(SQL.countDeleted, [deleted, namespace]);
      return deleted;
    });
  }

  /** Records a parse; false when the message is no longer waiting for one. */
  async #update(tx: SqlSession, id: number, parsed: ParsedContent): Promise<boolean> {
    const text = this.#text;
    const result = await tx.run(SQL.applyParse, [
      text(parsed.subject),
      text(parsed.from),
      text(parsed.to),
      text(parsed.cc),
      parsed.date,
      text(parsed.messageId),
      JSON.stringify(parsed.headers),
      text(parsed.text),
      text(parsed.html),
      parsed.attachments.length,
      text(parsed.parseError),
      parsed.bareCr ? 1 : 0,
      id,
    ]);
    if (result.changes === 0) return false;
    let position = 0;
    for (const attachment of parsed.attachments) {
      await tx.run(SQL.insertAttachment, [id, position++, text(attachment.filename), text(attachment.contentType), attachment.size,
        text(attachment.contentId), attachment.content]);
    }
    return true;
  }
}

async function summaryIn(db: SqlSession, namespace: string, id: number): Promise<MessageSummary | null> {
  const row = await db.get<SummaryRow>(SQL.summary, [namespace, id]);
  return row === undefined ? null : toSummary(row);
}

/** The text with each NUL as U+FFFD, the replacement character. */
function withoutNul<T extends string | null>(value: T): T {
  return (value !== null && value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value) as T;
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
