/**
 * Each namespace's lab DNS zone in the database (table `world_zones`, one JSON list
 * per namespace): a learner's edits are theirs; a namespace without a row has the starting
 * zone, so a reset is a delete and a new student starts from it. The starting zone is the
 * default world's, unless a classroom's instructor set one for the class (kept in the same
 * table under a key no namespace can have).
 *
 * Every message through the lab world looks its zone up several times (MX, A, SPF, DKIM,
 * DMARC), so with the class event bus the checked zones are kept in memory: each write is
 * announced (`zone.changed`) and each announcement, this process's or another's, drops the copy.
 */
import { performance } from 'node:perf_hooks';
import { checkZone, type DnsRecord } from '../../protocol/world/dns-record.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** The row of the class's starting zone: namespaces are "default", "instructor" and "student:<id>". */
const STARTING_ZONE_KEY = '*starting-zone';
const DELETE_ZONE = 'DELETE FROM world_zones WHERE namespace = ?';
/**
 * How long a kept zone is trusted without an announcement: bounds how stale it can be when one
 * is lost (its process died between the commit and the NOTIFY, or the bus was down).
 */
const KEPT_FOR_MS = 5000;
/** Zones kept at most (one per student who sent mail lately, a few KiB each). */
const MAX_KEPT = 2000;

/** A stored zone as read and checked: null when the namespace has none of its own. */
type StoredZone = { readonly records: readonly DnsRecord[]; readonly updatedAt: number } | null;

/** The zone a namespace without edits of its own has, and where it comes from. */
export interface StartingZone {
  readonly records: readonly DnsRecord[];
  /** False: the built-in default world; true: one the instructor set for the class. */
  readonly custom: boolean;
  /** When the instructor last set it (ms since the epoch); null for the default world. */
  readonly changedAt: number | null;
}

export interface ZoneStoreOptions {
  /**
   * A bus that reaches every process on this database: zones are kept in memory and writes
   * announced on it. Without one, every read goes to the database.
   */
  readonly events?: Pick<EventBus, 'publish' | 'subscribe' | 'onResync'>;
}

export class ZoneStore {
  readonly #events: ZoneStoreOptions['events'];
  readonly #kept = new Map<string, { readonly zone: StoredZone; readonly at: number }>();
  /** Bumped by every write announced: a read that began before one is not kept. */
  #generation = 0;

  constructor(
    private readonly db: SqlDatabase,
    /** The zone of the default world, every namespace's until it or the class changes it. */
    private readonly defaults: readonly DnsRecord[],
    options: ZoneStoreOptions = {},
  ) {
    this.#events = options.events;
    this.#events?.subscribe((event) => {
      if (event.type === 'zone.changed') this.#forget(event.namespace);
    });
    // Announcements may have been missed: everything is read again.
    this.#events?.onResync(() => this.#forget(null));
  }

  /** The namespace's zone: its own if it changed it, else the starting zone. */
  async records(namespace: string): Promise<readonly DnsRecord[]> {
    return (await this.stored(namespace))?.records ?? (await this.startingZone()).records;
  }

  /** How many of these namespaces have edited their zone (a change of starting zone does not reach them), in one read. */
  async countOwnZones(namespaces: readonly string[]): Promise<number> {
    const wanted = new Set(namespaces);
    const rows = await this.db.all<{ namespace: string }>('SELECT namespace FROM world_zones WHERE namespace != ?', [STARTING_ZONE_KEY]);
    return rows.filter((row) => wanted.has(row.namespace)).length;
  }

  /** Replaces the namespace's zone with records that passed `checkZone`. */
  async replace(namespace: string, records: readonly DnsRecord[]): Promise<void> {
    await this.db.run(
      `INSERT INTO world_zones (namespace, records, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (namespace) DO UPDATE SET records = excluded.records, updated_at = excluded.updated_at`,
      [namespace, JSON.stringify(records), Date.now()],
    );
    this.#changed(namespace);
  }

  /** Back to the starting zone. */
  async reset(namespace: string): Promise<void> {
    await this.db.run(DELETE_ZONE, [namespace]);
    this.#changed(namespace);
  }

  /** Every one of these namespaces back to the starting zone; how many had edits of their own. */
  async resetAll(namespaces: readonly string[]): Promise<number> {
    // One transaction: a class-wide reset happens for every student or for none.
    const deleted = await this.db.transaction(async (tx) => {
      let count = 0;
      for (const namespace of namespaces) count += (await tx.run(DELETE_ZONE, [namespace])).changes;
      return count;
    });
    for (const namespace of namespaces) this.#changed(namespace);
    return deleted;
  }

  /** The zone namespaces start from: the class's if the instructor set one, else the default world's. */
  async startingZone(): Promise<StartingZone> {
    const stored = await this.stored(STARTING_ZONE_KEY);
    if (stored === null) return { records: this.defaults, custom: false, changedAt: null };
    return { records: stored.records, custom: true, changedAt: stored.updatedAt };
  }

  /** Makes records that passed `checkZone` the starting zone of every namespace without edits of its own. */
  setStartingZone(records: readonly DnsRecord[]): Promise<void> {
    return this.replace(STARTING_ZONE_KEY, records);
  }

  /** The default world is the starting zone again. */
  resetStartingZone(): Promise<void> {
    return this.reset(STARTING_ZONE_KEY);
  }

  /** A namespace's own zone (or the starting zone's row), kept or read. */
  private async stored(key: string): Promise<StoredZone> {
    if (this.#events === undefined) return this.read(key);
    const kept = this.#kept.get(key);
    if (kept !== undefined && performance.now() - kept.at < KEPT_FOR_MS) return kept.zone;
    const generation = this.#generation;
    const zone = await this.read(key);
    if (generation === this.#generation) {
      this.#kept.delete(key);
      if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
      this.#kept.set(key, { zone, at: performance.now() });
    }
    return zone;
  }

  private async read(key: string): Promise<StoredZone> {
    const row = await this.db.get<{ records: string; updated_at: number }>('SELECT records, updated_at FROM world_zones WHERE namespace = ?', [key]);
    return row === undefined ? null : { records: this.checked(key, row.records), updatedAt: row.updated_at };
  }

  /** After a commit: this process reads the zone again at once, the others when they hear. */
  #changed(namespace: string): void {
    this.#forget(namespace);
    // A lost announcement leaves the other processes' copies at most KEPT_FOR_MS old.
    this.#events?.publish({ type: 'zone.changed', namespace }).catch(() => undefined);
  }

  /** Drops the kept copy of one zone, or of all (null). */
  #forget(namespace: string | null): void {
    this.#generation += 1;
    if (namespace === null) this.#kept.clear();
    else this.#kept.delete(namespace);
  }

  /** Checked again on the way out: the database is a boundary (a hand-edited row must not reach the resolver). */
  private checked(key: string, json: string): readonly DnsRecord[] {
    const check = checkZone(JSON.parse(json) as unknown[]);
    if (!check.ok) {
      const owner = key === STARTING_ZONE_KEY ? 'the class\'s starting zone' : `namespace "${key}"`;
      throw new Error(`The stored DNS zone of ${owner} is not valid: ${check.problems[0]?.message ?? ''}`);
    }
    // Frozen: one read may be handed to many callers (kept in memory), none may change it for the others.
    return Object.freeze(check.records.map((record) => Object.freeze(record)));
  }
}
