/**
 * The lab world's durable outbound queue (table `outbound_queue`): mail the sandbox accepted
 * for another lab domain waits here until the relay worker delivers or bounces it.
 *
 * One row per (message, recipient): each recipient has its own domain, MX route, replies,
 * retry schedule and outcome (one may be delivered while another is greylisted), so a row's
 * state is one simple machine: queued → in-flight → delivered | queued (retry) | bounced |
 * expired. The raw message is copied into each row rather than referenced, because the
 * capture store evicts old messages and the queue must not lose mail it promised to move.
 *
 * In flight, a row holds a lease in real time; a lease that runs out (its worker died) puts
 * the row back in the queue. So delivery is at-least-once: a process killed after the next
 * hop said 250 but before the row was marked sends that message again after the restart.
 */
import type { SqlDatabase, SqlEngine, SqlSession, SqlValue } from '../../storage/sql/sql-database.ts';
import { DEFAULT_QUEUE_LIFETIME_MS, retryDelay } from '../../../protocol/world/retry-schedule.ts';

export type OutboundState = 'queued' | 'in-flight' | 'delivered' | 'bounced' | 'expired';

/** One recipient of one accepted message, as the capture hands it to the queue. */
export interface OutboundEntry {
  readonly namespace: string;
  readonly queueId: string;
  readonly mailFrom: string;
  readonly recipient: string;
  readonly clientHelo: string;
  readonly clientAddress: string;
  readonly raw: Buffer;
  /** Lab ms. */
  readonly receivedAt: number;
  /**
   * Set for a recipient outside the lab world: it is never relayed; the row is recorded as
   * bounced with this text, and a DSN is due when `dsn` says so.
   */
  readonly notInLab?: { readonly reply: string; readonly dsn: boolean };
  /**
   * Set when a lab forwarder re-sends the message: it leaves from this host (its lab IP and
   * EHLO name), as it is (no sandbox Received line, no new signature). Absent: the sandbox.
   */
  readonly sendingHost?: SendingHost;
}

/** A lab host other than the sandbox that sends a queued row (a forwarder). */
export interface SendingHost {
  readonly name: string;
  readonly ip: string;
  /** The outbound row that brought the message to this host, if one did (the journey follows it back). */
  readonly forwardedFrom: number | null;
}

export interface OutboundRow {
  readonly id: number;
  readonly namespace: string;
  readonly queueId: string;
  readonly mailFrom: string;
  readonly recipient: string;
  readonly clientHelo: string;
  readonly clientAddress: string;
  readonly raw: Buffer;
  readonly state: OutboundState;
  readonly attempts: number;
  readonly receivedAt: number;
  readonly nextAttemptAt: number;
  readonly expiresAt: number;
  readonly lastReply: string | null;
  readonly lastHost: string | null;
  /** Null for the sandbox's own rows. */
  readonly sendingHost: SendingHost | null;
}

/** What GET /api/world/queue shows of a waiting row. */
export interface WaitingMessage {
  readonly id: number;
  readonly queueId: string;
  readonly from: string;
  readonly recipient: string;
  readonly state: 'queued' | 'in-flight';
  readonly attempts: number;
  /** Lab ms. */
  readonly nextAttemptAt: number;
  readonly lastReply: string | null;
}

/** GET /api/world/queue's page: the first MAX_WAITING_LISTED waiting rows, and how many wait in all. */
export interface WaitingPage {
  readonly messages: readonly WaitingMessage[];
  readonly total: number;
}

export interface OutboundQueueOptions {
  /** Lab ms after arrival when a message still not delivered is bounced (default 5 lab days). */
  readonly lifetimeMs?: number;
  /**
   * Finished rows (delivered, bounced, expired, no DSN due) kept per namespace for the journey
   * API; older ones go at the next enqueue, so the table (a raw copy per row) stays bounded
   * like the mailbox it serves (default: the mailbox's own cap, 1000).
   */
  readonly keepFinished?: number;
}

/** The mailbox's default cap (server/storage/message-store.ts), the finished rows' too. */
const DEFAULT_KEEP_FINISHED = 1000;

/** Most rows one claim takes; the worker asks again when they are done. */
const MAX_CLAIM = 64;
/** Most waiting rows the API lists per namespace (it says how many there are in all). */
export const MAX_WAITING_LISTED = 500;
/** Rows still to be delivered; the same words as the partial index outbound_waiting, so SQLite uses it. */
const WAITING = `state IN ('queued', 'in-flight')`;

// Aliases quoted: PostgreSQL folds unquoted names to lower case.
const COLUMNS = `id, namespace, queue_id AS "queueId", mail_from AS "mailFrom", recipient, client_helo AS "clientHelo",
  client_address AS "clientAddress", raw, state, attempts, received_at AS "receivedAt", next_attempt_at AS "nextAttemptAt",
  expires_at AS "expiresAt", last_reply AS "lastReply", last_host AS "lastHost", from_ip AS "fromIp", from_helo AS "fromHelo",
  forwarded_from AS "forwardedFrom"`;

const INSERT = `INSERT INTO outbound_queue (namespace, queue_id, mail_from, recipient, client_helo, client_address, raw, state,
    received_at, next_attempt_at, expires_at, last_reply, dsn, from_ip, from_helo, forwarded_from)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SETTLE = 'UPDATE outbound_queue SET state = ?, last_reply = ?, last_host = ?, dsn = ?, lease_until = NULL WHERE id = ?';
const DEFER = `UPDATE outbound_queue SET state = 'queued', next_attempt_at = ?, last_reply = ?, last_host = ?, lease_until = NULL WHERE id = ?`;
const LEASE = `UPDATE outbound_queue SET state = 'in-flight', lease_until = ?, attempts = attempts + 1 WHERE id = ?`;

/** A row as the database gives it: the sending host in three columns. */
type StoredRow = Omit<OutboundRow, 'sendingHost'> & { fromIp: string | null; fromHelo: string | null; forwardedFrom: number | null };

function fromStored({ fromIp, fromHelo, forwardedFrom, ...row }: StoredRow): OutboundRow {
  return { ...row, sendingHost: fromIp === null || fromHelo === null ? null : { name: fromHelo, ip: fromIp, forwardedFrom } };
}

/** One statement and its values, for a caller that runs the queue's writes in a transaction of its own. */
export interface QueueStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** The statements that differ between the engines, chosen once per queue. */
interface Dialect {
  readonly pruneFinished: string;
  readonly releaseExpired: string;
  readonly due: string;
}

function dialect(engine: SqlEngine): Dialect {
  // Newest first through outbound_by_namespace; their hops go with them (ON DELETE CASCADE).
  const finishedPastCap = `SELECT id FROM outbound_queue WHERE namespace = ?
    AND state IN ('delivered', 'bounced', 'expired') AND dsn != 'due' ORDER BY id DESC`;
  const expired = `SELECT id FROM outbound_queue WHERE state = 'in-flight' AND lease_until < ?`;
  const due = `SELECT ${COLUMNS} FROM outbound_queue WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`;
  if (engine === 'sqlite') {
    // One writer at a time (BEGIN IMMEDIATE): the rows a claim reads are its own until it commits.
    return {
      pruneFinished: `DELETE FROM outbound_queue WHERE id IN (${finishedPastCap} LIMIT -1 OFFSET ?)`,
      releaseExpired: `UPDATE outbound_queue SET state = 'queued', lease_until = NULL WHERE id IN (${expired})`,
      due,
    };
  }
  // Several processes claim at once: each locks the rows it takes and passes over those
  // another one holds, so no row is taken twice and nobody waits for another's claim.
  return {
    pruneFinished: `DELETE FROM outbound_queue WHERE id IN (${finishedPastCap} OFFSET ?)`,
    releaseExpired: `UPDATE outbound_queue SET state = 'queued', lease_until = NULL WHERE id IN (${expired} FOR UPDATE SKIP LOCKED)`,
    due: `${due} FOR UPDATE SKIP LOCKED`,
  };
}

/**
 * The queue's writes on one session: the database itself, or a transaction the caller holds
 * (the capture's, so the 250 covers the queue rows too; an attempt's hop with its outcome).
 */
export class OutboundWrites {
  constructor(
    private readonly on: SqlSession,
    private readonly queue: OutboundQueue,
  ) {}

  /** Adds the entries (and drops the namespace's finished rows past the cap). */
  async enqueue(entries: readonly OutboundEntry[]): Promise<void> {
    for (const { sql, params } of this.queue.enqueueStatements(entries)) await this.on.run(sql, params);
  }

  async delivered(id: number, reply: string, host: string): Promise<void> {
    await this.on.run(SETTLE, ['delivered', reply, host, 'none', id]);
  }

  /** A permanent failure (or expiry): a DSN is due unless the sender is the null sender. */
  async bounced(row: Pick<OutboundRow, 'id' | 'mailFrom'>, reply: string, host: string | null, state: 'bounced' | 'expired' = 'bounced'): Promise<void> {
    await this.on.run(SETTLE, [state, reply, host, row.mailFrom === '' ? 'none' : 'due', row.id]);
  }

  /** A temporary failure: tried again after the schedule's wait, or expired past its lifetime. */
  async deferred(row: Pick<OutboundRow, 'id' | 'mailFrom' | 'attempts' | 'expiresAt'>, reply: string, host: string | null, labNow: number): Promise<'retry' | 'expired'> {
    const next = labNow + retryDelay(row.attempts);
    if (next > row.expiresAt) {
      await this.bounced(row, reply, host, 'expired');
      return 'expired';
    }
    await this.on.run(DEFER, [next, reply, host, row.id]);
    return 'retry';
  }

  /** Records one attempt's hop (DNS lookups, transcript, outcome) for the journey API. */
  async recordHop(id: number, attempt: number, startedAt: number, hop: unknown): Promise<void> {
    await this.on.run('INSERT INTO journey_hops (outbound_id, attempt, started_at, hop) VALUES (?, ?, ?, ?)', [id, attempt, startedAt, JSON.stringify(hop)]);
  }
}

export class OutboundQueue {
  readonly lifetimeMs: number;
  readonly #keepFinished: number;
  readonly #db: SqlDatabase;
  readonly #dialect: Dialect;
  readonly #writes: OutboundWrites;

  constructor(db: SqlDatabase, options: OutboundQueueOptions = {}) {
    this.#db = db;
    this.#dialect = dialect(db.engine);
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_QUEUE_LIFETIME_MS;
    this.#keepFinished = options.keepFinished ?? DEFAULT_KEEP_FINISHED;
    this.#writes = new OutboundWrites(db, this);
  }

  /** The writes, on a transaction the caller holds (only `tx` may be used inside a transaction). */
  writesIn(tx: SqlSession): OutboundWrites {
    return new OutboundWrites(tx, this);
  }

  /** Adds the entries (and drops the namespace's finished rows past the cap), outside any transaction. */
  enqueue(entries: readonly OutboundEntry[]): Promise<void> {
    return this.#writes.enqueue(entries);
  }

  /** The statements an enqueue runs (inserts, then the namespace's prune), on whatever session the writes hold. */
  enqueueStatements(entries: readonly OutboundEntry[]): QueueStatement[] {
    const inserts = entries.map((entry): QueueStatement => ({
      sql: INSERT,
      params: [
        entry.namespace,
        entry.queueId,
        entry.mailFrom,
        entry.recipient,
        entry.clientHelo,
        entry.clientAddress,
        entry.raw,
        entry.notInLab === undefined ? 'queued' : 'bounced',
        entry.receivedAt,
        entry.receivedAt,
        entry.receivedAt + this.lifetimeMs,
        entry.notInLab?.reply ?? null,
        entry.notInLab?.dsn === true ? 'due' : 'none',
        entry.sendingHost?.ip ?? null,
        entry.sendingHost?.name ?? null,
        entry.sendingHost?.forwardedFrom ?? null,
      ],
    }));
    const prunes = [...new Set(entries.map((entry) => entry.namespace))].map((namespace): QueueStatement => ({
      sql: this.#dialect.pruneFinished,
      params: [namespace, this.#keepFinished],
    }));
    return [...inserts, ...prunes];
  }

  /**
   * At start: rows the previous process had in flight go back to the queue (it is gone). Only
   * on SQLite, whose data directory one process owns: on PostgreSQL the other processes' rows
   * in flight are theirs, and a dead process's rows come back when their leases run out.
   */
  async releaseAbandoned(): Promise<number> {
    if (this.#db.engine !== 'sqlite') return 0;
    return (await this.#db.run(`UPDATE outbound_queue SET state = 'queued', lease_until = NULL WHERE state = 'in-flight'`)).changes;
  }

  /**
   * Takes the rows due at `labNow` (at most `limit`), leasing each until `leaseUntil` (real ms),
   * after putting back those whose lease ran out by `realNow`. Rows another process is claiming
   * at the same moment are passed over (PostgreSQL), so two claims never share a row.
   */
  claim(labNow: number, leaseUntil: number, realNow: number, limit = MAX_CLAIM): Promise<OutboundRow[]> {
    return this.#db.transaction(async (tx) => {
      await tx.run(this.#dialect.releaseExpired, [realNow]);
      const rows = await tx.all<StoredRow>(this.#dialect.due, [labNow, Math.min(limit, MAX_CLAIM)]);
      for (const row of rows) await tx.run(LEASE, [leaseUntil, row.id]);
      return rows.map((row) => ({ ...fromStored(row), state: 'in-flight' as const, attempts: row.attempts + 1 }));
    });
  }

  delivered(id: number, reply: string, host: string): Promise<void> {
    return this.#writes.delivered(id, reply, host);
  }

  /** A permanent failure (or expiry): a DSN is due unless the sender is the null sender. */
  bounced(row: Pick<OutboundRow, 'id' | 'mailFrom'>, reply: string, host: string | null, state: 'bounced' | 'expired' = 'bounced'): Promise<void> {
    return this.#writes.bounced(row, reply, host, state);
  }

  /** A temporary failure: tried again after the schedule's wait, or expired past its lifetime. */
  deferred(row: Pick<OutboundRow, 'id' | 'mailFrom' | 'attempts' | 'expiresAt'>, reply: string, host: string | null, labNow: number): Promise<'retry' | 'expired'> {
    return this.#writes.deferred(row, reply, host, labNow);
  }

  async dsnsDue(limit = MAX_CLAIM): Promise<OutboundRow[]> {
    return (await this.#db.all<StoredRow>(`SELECT ${COLUMNS} FROM outbound_queue WHERE dsn = 'due' ORDER BY id LIMIT ?`, [limit])).map(fromStored);
  }

  /**
   * Takes a due report for sending, before it is sent: true for the one caller whose update
   * still found it due, so two processes on one database never both send it. (A process that
   * dies between this and the delivery loses that one report rather than sending it twice.)
   */
  async claimDsn(id: number): Promise<boolean> {
    return (await this.#db.run(`UPDATE outbound_queue SET dsn = 'sent' WHERE id = ? AND dsn = 'due'`, [id])).changes === 1;
  }

  /** A claimed report that could not be delivered is due again, for the next round. */
  async dsnUnsent(id: number): Promise<void> {
    await this.#db.run(`UPDATE outbound_queue SET dsn = 'due' WHERE id = ? AND dsn = 'sent'`, [id]);
  }

  /** The lab time of the earliest queued attempt, or null when nothing waits. */
  async nextAttemptAt(): Promise<number | null> {
    return (await this.#db.get<{ next: number | null }>(`SELECT MIN(next_attempt_at) AS next FROM outbound_queue WHERE state = 'queued'`))?.next ?? null;
  }

  async waiting(namespace: string): Promise<WaitingPage> {
    const messages = await this.#db.all<WaitingMessage>(
      `SELECT id, queue_id AS "queueId", mail_from AS "from", recipient, state, attempts, next_attempt_at AS "nextAttemptAt", last_reply AS "lastReply"
       FROM outbound_queue WHERE namespace = ? AND ${WAITING} ORDER BY next_attempt_at, id LIMIT ?`,
      [namespace, MAX_WAITING_LISTED],
    );
    return { messages, total: await this.waitingCount(namespace) };
  }

  /** Rows of `namespace` still to be delivered, counted up to `atMost` (through outbound_waiting). */
  async waitingCount(namespace: string, atMost = Number.MAX_SAFE_INTEGER): Promise<number> {
    // Counted up to a bound: the RCPT check needs only "at the cap or not".
    const row = await this.#db.get<{ count: number }>(
      `SELECT COUNT(*) AS count FROM (SELECT 1 FROM outbound_queue WHERE namespace = ? AND ${WAITING} LIMIT ?) AS waiting`,
      [namespace, atMost],
    );
    return row?.count ?? 0;
  }

  async get(id: number): Promise<OutboundRow | undefined> {
    const row = await this.#db.get<StoredRow>(`SELECT ${COLUMNS} FROM outbound_queue WHERE id = ?`, [id]);
    return row === undefined ? undefined : fromStored(row);
  }

  /** Runs `writes` in one transaction: an attempt's hop and its outcome are committed together. */
  atomically<T>(writes: (queue: OutboundWrites) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => writes(this.writesIn(tx)));
  }

  /** Records one attempt's hop (DNS lookups, transcript, outcome) for the journey API. */
  recordHop(id: number, attempt: number, startedAt: number, hop: unknown): Promise<void> {
    return this.#writes.recordHop(id, attempt, startedAt, hop);
  }

  async hops(id: number): Promise<{ attempt: number; startedAt: number; hop: unknown }[]> {
    const rows = await this.#db.all<{ attempt: number; startedAt: number; hop: string }>(
      'SELECT attempt, started_at AS "startedAt", hop FROM journey_hops WHERE outbound_id = ? ORDER BY id',
      [id],
    );
    return rows.map((row) => ({ attempt: row.attempt, startedAt: row.startedAt, hop: JSON.parse(row.hop) as unknown }));
  }
}
