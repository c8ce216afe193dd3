/**
 * The mailbox: captured messages, raw and parsed, per namespace. Every statement filters on
 * the namespace, so an id from another namespace is simply "not found".
 *
 * Two ways in: `save` parses and stores in one go; the live process instead stores raw
 * (`storeRaw`, many messages per transaction, no parsing) so an SMTP burst is never held up
 * by mailparser, and parses afterwards (`nextUnparsed` + `parseStored`).
 */
import type { Database, Transaction } from 'better-sqlite3';
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
  prepareMessageStatements,
  toAttachmentInfo,
  toSummary,
  type AttachmentRow,
  type MessageRow,
  type MessageStatements,
  type StatsRow,
  type SummaryRow,
} from './message-rows.ts';
import { parseMessage, type ParsedContent } from './parse-message.ts';
import { formatCursor } from './message-cursor.ts';
import { pageBounds } from './page-bounds.ts';

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

/** Stores and reads captured messages. Synchronous except the two methods that parse. */
export class MessageStore {
  readonly maxMessages: number;
  readonly #statements: MessageStatements;
  readonly #storeRaw: Transaction<(entries: readonly RawEntry[]) => StoredRef[]>;
  readonly #saveParsed: Transaction<(entry: RawEntry, parsed: ParsedContent) => StoredRef>;
  readonly #applyParse: Transaction<(id: number, parsed: ParsedContent) => boolean>;
  readonly #delete: Transaction<(namespace: string, id: number) => number>;
  readonly #deleteAll: Transaction<(namespace: string) => number>;

  constructor(db: Database, options: MessageStoreOptions = {}) {
    const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
    }
    this.maxMessages = maxMessages;
    this.#statements = prepareMessageStatements(db);
    this.#storeRaw = db.transaction((entries) => this.#insert(entries));
    this.#saveParsed = db.transaction((entry, parsed) => {
      const [stored] = this.#insert([entry]) as [StoredRef];
      this.#update(stored.id, parsed);
      return stored;
    });
    this.#applyParse = db.transaction((id, parsed) => this.#update(id, parsed));
    const deleting = (deleted: number, namespace: string): number => {
      if (deleted > 0) this.#statements.countDeleted.run({ namespace, count: deleted });
      return deleted;
    };
    this.#delete = db.transaction((namespace, id) => deleting(this.#statements.deleteOne.run(namespace, id).changes, namespace));
    this.#deleteAll = db.transaction((namespace) => deleting(this.#statements.deleteAll.run(namespace).changes, namespace));
  }

  /**
   * Parses and stores a captured message in `namespace`. The raw bytes are kept exactly; if
   * parsing fails the message is still stored, with `parseError` set. The oldest messages
   * beyond `maxMessages` are evicted in the same transaction; `evicted` says how many.
   */
  async save(namespace: string, captured: CapturedMessage, mailbox?: string): Promise<{ message: MessageSummary; evicted: number }> {
    const parsed = await parseMessage(captured.raw);
    const { id, evicted } = this.#saveParsed({ namespace, message: captured, ...(mailbox === undefined ? {} : { mailbox }) }, parsed);
    // Read back synchronously after the commit: nothing can have deleted it in between.
    return { message: this.summary(namespace, id)!, evicted };
  }

  /**
   * Stores messages raw with their envelope, in order and in one transaction, without
   * parsing them (`parsed: false` until `parseStored`). Evicts like `save`, per message.
   */
  storeRaw(entries: readonly RawEntry[]): StoredRef[] {
    return this.#storeRaw(entries);
  }

  /** The id of the oldest message after `afterId` still waiting for its parse, in any namespace, or null. */
  nextUnparsed(afterId = 0): number | null {
    const row = this.#statements.nextUnparsed.get(afterId) as { id: number } | undefined;
    return row?.id ?? null;
  }

  /**
   * Parses a message stored by `storeRaw` and records the result. Resolves with its
   * namespace and summary, or null when it is gone (deleted, evicted) or already parsed.
   */
  async parseStored(id: number): Promise<{ namespace: string; message: MessageSummary } | null> {
    const row = this.#statements.unparsedRaw.get(id) as { namespace: string; raw: Buffer } | undefined;
    if (row === undefined) return null;
    const parsed = await parseMessage(row.raw);
    if (!this.#applyParse(id, parsed)) return null;
    const message = this.summary(row.namespace, id);
    return message === null ? null : { namespace: row.namespace, message };
  }

  /**
   * A page of the namespace's messages, newest first: from `before` on (a cursor from an
   * earlier page's `nextBefore`), those matching `query` only when one is given.
   */
  list(namespace: string, page: PageOptions = {}): MessagePage {
    const { limit, offset } = pageBounds(page);
    const pattern = page.query ? likePattern(page.query) : null;
    const mailbox = page.mailbox ? page.mailbox.toLowerCase() : null;
    // One row more than asked for says whether another page follows.
    const rows = this.#statements.list.all({
      namespace,
      pattern,
      beforeAt: page.before?.receivedAt ?? null,
      beforeId: page.before?.id ?? null,
      mailbox,
      limit: limit + 1,
      offset,
    }) as SummaryRow[];
    const stats = this.#statements.stats.get(namespace) as StatsRow | undefined;
    const total = stats?.message_count ?? 0;
    const matched =
      pattern === null && mailbox === null ? total : (this.#statements.countMatches.get({ namespace, pattern, mailbox }) as { matched: number }).matched;
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
    return this.#delete(namespace, id) > 0;
  }

  /** Deletes every message of the namespace and returns how many there were. */
  deleteAll(namespace: string): number {
    return this.#deleteAll(namespace);
  }

  /**
   * Inserts the rows, then counts and evicts once per namespace: in a group commit the cost
   * is in the rows, not in bookkeeping repeated for each. Each ref says how many older
   * messages its arrival pushed out, as if they had been stored one by one.
   */
  #insert(entries: readonly RawEntry[]): StoredRef[] {
    const s = this.#statements;
    const namespaces = new Map<string, { count: number; added: number; evicted: number; lastId: number }>();
    const refs = entries.map(({ namespace, message, mailbox, lab }) => {
      let tally = namespaces.get(namespace);
      if (tally === undefined) {
        const stats = s.stats.get(namespace) as StatsRow | undefined;
        tally = { count: stats?.message_count ?? 0, added: 0, evicted: 0, lastId: 0 };
        namespaces.set(namespace, tally);
      }
      const result = s.insertRaw.run({
        namespace,
        queueId: message.queueId,
        receivedAt: message.receivedAt.getTime(),
        mailFrom: message.mailFrom,
        rcptTo: JSON.stringify(message.rcptTo),
        clientHelo: message.clientHelo,
        remoteAddress: message.remoteAddress,
        authenticatedUser: message.authenticatedUser,
        secure: message.secure ? 1 : 0,
        size: message.raw.length,
        raw: message.raw,
        mailbox: mailbox?.toLowerCase() ?? null,
        labHost: lab?.host ?? null,
        outboundId: lab?.outboundId ?? null,
        authentication: lab?.authentication ? JSON.stringify(lab.authentication) : null,
        dnsLookups: lab ? JSON.stringify(lab.lookups) : null,
        disposition: lab?.disposition ?? null,
        labReceivedAt: lab?.labTime ?? null,
      });
      const id = Number(result.lastInsertRowid);
      const evicted = Math.max(0, tally.count + 1 - this.maxMessages);
      tally.count += 1 - evicted;
      tally.added += 1;
      tally.evicted += evicted;
      tally.lastId = id;
      return { id, evicted };
    });
    for (const [namespace, tally] of namespaces) {
      s.countInserted.run({ namespace, count: tally.added });
      if (tally.evicted === 0) continue;
      const evicted = s.evictOldest.run({ namespace, keep: tally.lastId, count: tally.evicted }).changes;
      s.countEvicted.run({ namespace, count: evicted });
    }
    return refs;
  }

  /** Records a parse; false when the message is no longer waiting for one. */
  #update(id: number, parsed: ParsedContent): boolean {
    const s = this.#statements;
    const result = s.applyParse.run({
      id,
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
      bareCr: parsed.bareCr ? 1 : 0,
    });
    if (result.changes === 0) return false;
    parsed.attachments.forEach((attachment, position) => {
      s.insertAttachment.run(id, position, attachment.filename, attachment.contentType, attachment.size,
        attachment.contentId, attachment.content);
    });
    return true;
  }
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
