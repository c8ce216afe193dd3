/**
 * Each namespace's lab DNS zone in the database (table `world_zones`, one JSON list
 * per namespace): a learner's edits are theirs; a namespace without a row has the starting
 * zone, so a reset is a delete and a new student starts from it. The starting zone is the
 * default world's, unless a classroom's instructor set one for the class (kept in the same
 * table under a key no namespace can have).
 */
import { checkZone, type DnsRecord } from '../../protocol/world/dns-record.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** The row of the class's starting zone: namespaces are "default", "instructor" and "student:<id>". */
const STARTING_ZONE_KEY = '*starting-zone';
const DELETE_ZONE = 'DELETE FROM world_zones WHERE namespace = ?';

/** The zone a namespace without edits of its own has, and where it comes from. */
export interface StartingZone {
  readonly records: readonly DnsRecord[];
  /** False: the built-in default world; true: one the instructor set for the class. */
  readonly custom: boolean;
  /** When the instructor last set it (ms since the epoch); null for the default world. */
  readonly changedAt: number | null;
}

export class ZoneStore {
  constructor(
    private readonly db: SqlDatabase,
    /** The zone of the default world, every namespace's until it or the class changes it. */
    private readonly defaults: readonly DnsRecord[],
  ) {}

  /** The namespace's zone: its own if it changed it, else the starting zone. */
  async records(namespace: string): Promise<readonly DnsRecord[]> {
    return (await this.stored(namespace)) ?? (await this.startingZone()).records;
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
  }

  /** Back to the starting zone. */
  async reset(namespace: string): Promise<void> {
    await this.db.run(DELETE_ZONE, [namespace]);
  }

  /** Every one of these namespaces back to the starting zone; how many had edits of their own. */
  resetAll(namespaces: readonly string[]): Promise<number> {
    // One transaction: a class-wide reset happens for every student or for none.
    return this.db.transaction(async (tx) => {
      let deleted = 0;
      for (const namespace of namespaces) deleted += (await tx.run(DELETE_ZONE, [namespace])).changes;
      return deleted;
    });
  }

  /** The zone namespaces start from: the class's if the instructor set one, else the default world's. */
  async startingZone(): Promise<StartingZone> {
    const row = await this.row(STARTING_ZONE_KEY);
    if (row === undefined) return { records: this.defaults, custom: false, changedAt: null };
    return { records: this.checked(STARTING_ZONE_KEY, row.records), custom: true, changedAt: row.updated_at };
  }

  /** Makes records that passed `checkZone` the starting zone of every namespace without edits of its own. */
  setStartingZone(records: readonly DnsRecord[]): Promise<void> {
    return this.replace(STARTING_ZONE_KEY, records);
  }

  /** The default world is the starting zone again. */
  resetStartingZone(): Promise<void> {
    return this.reset(STARTING_ZONE_KEY);
  }

  private row(key: string): Promise<{ records: string; updated_at: number } | undefined> {
    return this.db.get('SELECT records, updated_at FROM world_zones WHERE namespace = ?', [key]);
  }

  private async stored(key: string): Promise<readonly DnsRecord[] | null> {
    const row = await this.row(key);
    return row === undefined ? null : this.checked(key, row.records);
  }

  /** Checked again on the way out: the database is a boundary (a hand-edited row must not reach the resolver). */
  private checked(key: string, json: string): readonly DnsRecord[] {
    const check = checkZone(JSON.parse(json) as unknown[]);
    if (!check.ok) {
      const owner = key === STARTING_ZONE_KEY ? 'the class\'s starting zone' : `namespace "${key}"`;
      throw new Error(`The stored DNS zone of ${owner} is not valid: ${check.problems[0]?.message ?? ''}`);
    }
    return check.records;
  }
}
