/**
 * The event bus of several processes on one PostgreSQL database: LISTEN on a connection of its
 * own (not the pool's: a LISTEN belongs to its session), NOTIFY through the same connection.
 * Every listening session receives each notification once, its sender's included, in commit
 * order, so the publisher hears its own events through the same path as everyone else.
 *
 * When the connection is lost it reconnects (100 ms, doubling to 5 s), listens again and calls
 * the resync handlers; meanwhile publish fails with EventBusOfflineError. Its application_name,
 * "smtp-lab events <process id>", tells the processes that are up (`processes()`).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ClassEvent } from './class-event.ts';
import type { EventBus, EventHandler } from './event-bus.ts';
import { decodeEvent, encodeEvent } from './event-payload.ts';
import { HandlerSet } from './handler-set.ts';

export const DEFAULT_CHANNEL = 'smtp_lab_events';
export const APPLICATION_NAME_PREFIX = 'smtp-lab events ';
export const FIRST_RECONNECT_DELAY_MS = 100;
export const MAX_RECONNECT_DELAY_MS = 5000;

/** Within PostgreSQL's 63-byte application_name together with the prefix. */
const PROCESS_ID = /^[A-Za-z0-9._-]{1,40}$/;
/** Lower case only: pg_notify takes the name as written, LISTEN as an identifier. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** One NOTIFY per payload, in the array's order, in one statement. */
const NOTIFY_EACH = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';
/** The most events in one batch (each payload is under 8,000 bytes). */
const MAX_BATCH = 200;
/**
 * The most events waiting while a batch is on its way (about 80 MB at the largest payloads): a
 * database that stops answering refuses the rest, as when it is gone, instead of growing memory.
 */
export const MAX_WAITING_EVENTS = 10_000;

interface Outgoing {
  readonly payload: string;
  readonly type: ClassEvent['type'];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Takes the next batch off the front of `outgoing`. PostgreSQL delivers identical payloads of one
 * transaction once, so a batch ends before a payload it already holds (presence A, B, A must
 * arrive as such: the last one is the state).
 */
function takeBatch(outgoing: Outgoing[]): Outgoing[] {
  const payloads = new Set<string>();
  let count = 0;
  while (count < outgoing.length && count < MAX_BATCH && !payloads.has(outgoing[count]!.payload)) {
    payloads.add(outgoing[count]!.payload);
    count += 1;
  }
  return outgoing.splice(0, count);
}

/** Publishing while the bus has no connection (lost and not yet back, or closed). */
export class EventBusOfflineError extends Error {}

export interface PostgresEventBusOptions {
  readonly url: string;
  /** Default: a fresh UUID. Letters, digits, `.`, `_`, `-`; at most 40. */
  readonly processId?: string;
  /** Default smtp_lab_events; processes of one class share it. */
  readonly channel?: string;
  /** A lost connection, each failed reconnect, a notification that is not a class event, a subscriber's failure. */
  readonly onError?: (error: Error) => void;
  /** Reconnect delays (tests shorten them). */
  readonly reconnectDelayMs?: { readonly first: number; readonly max: number };
}

export class PostgresEventBus implements EventBus {
  readonly processId: string;
  readonly #url: string;
  readonly #channel: string;
  readonly #onError: (error: Error) => void;
  readonly #firstDelay: number;
  readonly #maxDelay: number;
  readonly #events: HandlerSet<[ClassEvent]>;
  readonly #resyncs: HandlerSet<[]>;
  /** The listening connection; null while it is lost (or the bus is closed). */
  #client: pg.Client | null = null;
  /** Published and not yet sent, in order. */
  #outgoing: Outgoing[] = [];
  /** A batch is being sent: later events wait for the next one. */
  #sending = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closing = false;

  /** Connects and listens; rejects when the database cannot be reached. */
  static async open(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
    const bus = new PostgresEventBus(options);
    await bus.#connect();
    return bus;
  }

  private constructor(options: PostgresEventBusOptions) {
    this.processId = options.processId ?? randomUUID();
    this.#channel = options.channel ?? DEFAULT_CHANNEL;
    if (!PROCESS_ID.test(this.processId)) throw new RangeError(`A process id is 1 to 40 letters, digits, ".", "_" or "-", got ${JSON.stringify(this.processId)}`);
    if (!CHANNEL.test(this.#channel)) throw new RangeError(`A channel is a lower-case SQL name, got ${JSON.stringify(this.#channel)}`);
    this.#url = options.url;
    this.#onError = options.onError ?? (() => undefined);
    this.#firstDelay = options.reconnectDelayMs?.first ?? FIRST_RECONNECT_DELAY_MS;
    this.#maxDelay = options.reconnectDelayMs?.max ?? MAX_RECONNECT_DELAY_MS;
    this.#events = new HandlerSet(this.#onError);
    this.#resyncs = new HandlerSet(this.#onError);
  }

  /**
   * Sends the event with the others published meanwhile: one statement and one transaction per
   * batch, not one per event (a NOTIFY commit takes a database-wide lock). Resolves once sent.
   */
  publish(event: ClassEvent): Promise<void> {
    let payload: string;
    try {
      payload = encodeEvent(event);
      this.#connected();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.#outgoing.length >= MAX_WAITING_EVENTS) {
      return Promise.reject(new EventBusOfflineError(`The ${event.type} event was not sent: ${MAX_WAITING_EVENTS} events are waiting for PostgreSQL already`));
    }
    return new Promise((resolve, reject) => {
      this.#outgoing.push({ payload, type: event.type, resolve, reject });
      if (this.#sending) return;
      this.#sending = true;
      // Everything published in this turn of the event loop goes in the first batch.
      setImmediate(() => void this.#sendOutgoing());
    });
  }

  subscribe(handler: EventHandler): () => void {
    return this.#events.add(handler);
  }

  onResync(handler: () => void | Promise<void>): () => void {
    return this.#resyncs.add(handler);
  }

  async processes(): Promise<readonly string[]> {
    const { rows } = await this.#connected().query<{ name: string }>(
      'SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1)',
      [APPLICATION_NAME_PREFIX],
    );
    return [...new Set(rows.map((row) => row.name.slice(APPLICATION_NAME_PREFIX.length)))].sort();
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    this.#events.clear();
    this.#resyncs.clear();
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /** Sends the waiting events in batches, one batch at a time (commit order is publish order). */
  async #sendOutgoing(): Promise<void> {
    while (this.#outgoing.length > 0) {
      const batch = takeBatch(this.#outgoing);
      try {
        await this.#connected().query(NOTIFY_EACH, [this.#channel, batch.map((outgoing) => outgoing.payload)]);
        for (const outgoing of batch) outgoing.resolve();
      } catch (error) {
        for (const outgoing of batch) outgoing.reject(new EventBusOfflineError(`The ${outgoing.type} event was not sent: ${messageOf(error)}`));
      }
    }
    this.#sending = false;
  }

  #connected(): pg.Client {
    if (this.#client !== null) return this.#client;
    throw new EventBusOfflineError(
      this.#closing ? 'The event bus is closed' : 'Live updates are paused: the connection to PostgreSQL was lost and is being restored',
    );
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: `${APPLICATION_NAME_PREFIX}${this.processId}`,
      // A server that never answers is a failed attempt (retried), not a reconnect that hangs for ever;
      // keepalives notice a peer that vanished without closing the connection.
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    // Listeners before connecting: an error without one would end the process.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the connection ended')));
    client.on('notification', (message) => this.#received(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closing) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  /** Called for 'error' and 'end' both: the first one for the current client counts. */
  #lost(client: pg.Client, error: Error): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.end().catch(() => undefined);
    if (this.#closing) return;
    this.#onError(new Error(`Live updates lost their PostgreSQL connection (${error.message}); reconnecting`));
    this.#reconnectAfter(this.#firstDelay);
  }

  #reconnectAfter(delay: number): void {
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect().then(
        () => {
          if (!this.#closing) this.#resyncs.call();
        },
        (error: unknown) => {
          if (this.#closing) return;
          const next = Math.min(delay * 2, this.#maxDelay);
          this.#onError(new Error(`Live updates could not reconnect to PostgreSQL (${messageOf(error)}); trying again in ${next} ms`));
          this.#reconnectAfter(next);
        },
      );
    }, delay);
    this.#reconnectTimer.unref();
  }

  #received(message: pg.Notification): void {
    const decoded = decodeEvent(message.payload ?? '');
    if (!decoded.ok) {
      this.#onError(new Error(`Ignored a notification on ${this.#channel}: ${decoded.reason}`));
      return;
    }
    this.#events.call(decoded.event);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
