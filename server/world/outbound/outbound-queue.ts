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
import type { Database, Statement } from 'better-sqlite3';
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

const COLUMNS = `id, namespace, queue_id AS queueId, mail_from AS mailFrom, recipient, client_helo AS clientHelo,
  client_address AS clientAddress, raw, state, attempts, received_at AS receivedAt, next_attempt_at AS nextAttemptAt,
  expires_at AS expiresAt, last_reply AS lastReply, last_host AS lastHost, from_ip AS fromIp, from_helo AS fromHelo,
  forwarded_from AS forwardedFrom`;

/** A row as SQLite gives it: the sending host in three columns. */
type StoredRow = Omit<OutboundRow, 'sendingHost'> & { fromIp: string | null; fromHelo: string | null; forwardedFrom: number | null };

function fromStored({ fromIp, fromHelo, forwardedFrom, ...row }: StoredRow): OutboundRow {
  return { ...row, sendingHost: fromIp === null || fromHelo === null ? null : { name: fromHelo, ip: fromIp, forwardedFrom } };
}

export class OutboundQueue {
  readonly lifetimeMs: number;
  readonly #keepFinished: number;
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #pruneFinished: Statement<{ namespace: string; keep: number }>;
  readonly #due: Statement<[number, number], StoredRow>;
  readonly #lease: Statement<[number, number]>;
  readonly #expiredLeases: Statement<[number]>;
  readonly #allInFlight: Statement<[]>;
  readonly #settle: Statement<{ id: number; state: OutboundState; reply: string; host: string | null; dsn: string }>;
  readonly #defer: Statement<{ id: number; next: number; reply: string; host: string | null }>;
  readonly #dsnDue: Statement<[number], StoredRow>;
  readonly #dsnSent: Statement<[number]>;
  readonly #nextWake: Statement<[], { next: number | null }>;
  readonly #waiting: Statement<[string, number], WaitingMessage>;
  readonly #waitingCount: Statement<[string, number], { count: number }>;
  readonly #byId: Statement<[number], StoredRow>;
  readonly #addHop: Statement<[number, number, number, string]>;
  readonly #hops: Statement<[number], { attempt: number; startedAt: number; hop: string }>;

  constructor(db: Database, options: OutboundQueueOptions = {}) {
    this.#db = db;
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_QUEUE_LIFETIME_MS;
    this.#keepFinished = options.keepFinished ?? DEFAULT_KEEP_FINISHED;
    this.#insert = db.prepare(
      `INSERT INTO outbound_queue (namespace, queue_id, mail_from, recipient, client_helo, client_address, raw, state,
         received_at, next_attempt_at, expires_at, last_reply, dsn, from_ip, from_helo, forwarded_from)
       VALUES (@namespace, @queueId, @mailFrom, @recipient, @clientHelo, @clientAddress, @raw, @state,
         @receivedAt, @receivedAt, @expiresAt, @lastReply, @dsn, @fromIp, @fromHelo, @forwardedFrom)`,
    );
    // Newest first through outbound_by_namespace; their hops go with them (ON DELETE CASCADE).
    this.#pruneFinished = db.prepare(
      `DELETE FROM outbound_queue WHERE id IN (SELECT id FROM outbound_queue WHERE namespace = @namespace
         AND state IN ('delivered', 'bounced', 'expired') AND dsn != 'due' ORDER BY id DESC LIMIT -1 OFFSET @keep)`,
    );
    this.#due = db.prepare(`SELECT ${COLUMNS} FROM outbound_queue WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`);
    this.#lease = db.prepare(`UPDATE outbound_queue SET state = 'in-flight', lease_until = ?, attempts = attempts + 1 WHERE id = ?`);
    this.#expiredLeases = db.prepare(`UPDATE outbound_queue SET state = 'queued', lease_until = NULL WHERE state = 'in-flight' AND lease_until < ?`);
    this.#allInFlight = db.prepare(`UPDATE outbound_queue SET state = 'queued', lease_until = NULL WHERE state = 'in-flight'`);
    this.#settle = db.prepare(
      `UPDATE outbound_queue SET state = @state, last_reply = @reply, last_host = @host, dsn = @dsn, lease_until = NULL WHERE id = @id`,
    );
    this.#defer = db.prepare(
      `UPDATE outbound_queue SET state = 'queued', next_attempt_at = @next, last_reply = @reply, last_host = @host, lease_until = NULL WHERE id = @id`,
    );
    this.#dsnDue = db.prepare(`SELECT ${COLUMNS} FROM outbound_queue WHERE dsn = 'due' ORDER BY id LIMIT ?`);
    this.#dsnSent = db.prepare(`UPDATE outbound_queue SET dsn = 'sent' WHERE id = ?`);
    this.#nextWake = db.prepare(`SELECT MIN(next_attempt_at) AS next FROM outbound_queue WHERE state = 'queued'`);
    this.#waiting = db.prepare(
      `SELECT id, queue_id AS queueId, mail_from AS "from", recipient, state, attempts, next_attempt_at AS nextAttemptAt, last_reply AS lastReply
       FROM outbound_queue WHERE namespace = ? AND ${WAITING} ORDER BY next_attempt_at, id LIMIT ?`,
    );
    // Counted up to a bound: the RCPT check needs only "at the cap or not".
    this.#waitingCount = db.prepare(`SELECT COUNT(*) AS count FROM (SELECT 1 FROM outbound_queue WHERE namespace = ? AND ${WAITING} LIMIT ?)`);
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM outbound_queue WHERE id = ?`);
    this.#addHop = db.prepare(`INSERT INTO journey_hops (outbound_id, attempt, started_at, hop) VALUES (?, ?, ?, ?)`);
    this.#hops = db.prepare(`SELECT attempt, started_at AS startedAt, hop FROM journey_hops WHERE outbound_id = ? ORDER BY id`);
  }

  /** Adds the entries (and drops the namespace's finished rows past the cap); call it inside the capture's transaction so the 250 covers them too. */
  enqueue(entries: readonly OutboundEntry[]): void {
    for (const entry of entries) {
      this.#insert.run({
        namespace: entry.namespace,
        queueId: entry.queueId,
        mailFrom: entry.mailFrom,
        recipient: entry.recipient,
        clientHelo: entry.clientHelo,
        clientAddress: entry.clientAddress,
        raw: entry.raw,
        state: entry.notInLab === undefined ? 'queued' : 'bounced',
        receivedAt: entry.receivedAt,
        expiresAt: entry.receivedAt + this.lifetimeMs,
        lastReply: entry.notInLab?.reply ?? null,
        dsn: entry.notInLab?.dsn === true ? 'due' : 'none',
        fromIp: entry.sendingHost?.ip ?? null,
        fromHelo: entry.sendingHost?.name ?? null,
        forwardedFrom: entry.sendingHost?.forwardedFrom ?? null,
      });
    }
    for (const namespace of new Set(entries.map((entry) => entry.namespace))) {
      this.#pruneFinished.run({ namespace, keep: this.#keepFinished });
    }
  }

  /** At start: rows the previous process had in flight go back to the queue (it is gone). */
  releaseAbandoned(): number {
    return this.#allInFlight.run().changes;
  }

  /** Takes the rows due at `labNow` (at most `limit`), leasing each until `leaseUntil` (real ms). */
  claim(labNow: number, leaseUntil: number, realNow: number, limit = MAX_CLAIM): OutboundRow[] {
    return this.#db.transaction(() => {
      this.#expiredLeases.run(realNow);
      const rows = this.#due.all(labNow, Math.min(limit, MAX_CLAIM));
      for (const row of rows) this.#lease.run(leaseUntil, row.id);
      return rows.map((row) => ({ ...fromStored(row), state: 'in-flight' as const, attempts: row.attempts + 1 }));
    })();
  }

  delivered(id: number, reply: string, host: string): void {
    this.#settle.run({ id, state: 'delivered', reply, host, dsn: 'none' });
  }

  /** A permanent failure (or expiry): a DSN is due unless the sender is the null sender. */
  bounced(row: Pick<OutboundRow, 'id' | 'mailFrom'>, reply: string, host: string | null, state: 'bounced' | 'expired' = 'bounced'): void {
    this.#settle.run({ id: row.id, state, reply, host, dsn: row.mailFrom === '' ? 'none' : 'due' });
  }

  /** A temporary failure: tried again after the schedule's wait, or expired past its lifetime. */
  deferred(row: Pick<OutboundRow, 'id' | 'mailFrom' | 'attempts' | 'expiresAt'>, reply: string, host: string | null, labNow: number): 'retry' | 'expired' {
    const next = labNow + retryDelay(row.attempts);
    if (next > row.expiresAt) {
      this.bounced(row, reply, host, 'expired');
      return 'expired';
    }
    this.#defer.run({ id: row.id, next, reply, host });
    return 'retry';
  }

  dsnsDue(limit = MAX_CLAIM): OutboundRow[] {
    return this.#dsnDue.all(limit).map(fromStored);
  }

  dsnSent(id: number): void {
    this.#dsnSent.run(id);
  }

  /** The lab time of the earliest queued attempt, or null when nothing waits. */
  nextAttemptAt(): number | null {
    return this.#nextWake.get()?.next ?? null;
  }

  waiting(namespace: string): WaitingPage {
    return { messages: this.#waiting.all(namespace, MAX_WAITING_LISTED), total: this.waitingCount(namespace) };
  }

  /** Rows of `namespace` still to be delivered, counted up to `atMost` (through outbound_waiting). */
  waitingCount(namespace: string, atMost = Number.MAX_SAFE_INTEGER): number {
    return this.#waitingCount.get(namespace, atMost)?.count ?? 0;
  }

  get(id: number): OutboundRow | undefined {
    const row = this.#byId.get(id);
    return row === undefined ? undefined : fromStored(row);
  }

  /** Runs `writes` in one transaction: an attempt's hop and its outcome are committed together. */
  atomically<T>(writes: () => T): T {
    return this.#db.transaction(writes)();
  }

  /** Records one attempt's hop (DNS lookups, transcript, outcome) for the journey API. */
  recordHop(id: number, attempt: number, startedAt: number, hop: unknown): void {
    this.#addHop.run(id, attempt, startedAt, JSON.stringify(hop));
  }

  hops(id: number): { attempt: number; startedAt: number; hop: unknown }[] {
    return this.#hops.all(id).map((row) => ({ attempt: row.attempt, startedAt: row.startedAt, hop: JSON.parse(row.hop) as unknown }));
  }
}
