/**
 * Each namespace's lab DNS zone in the SQLite database (table `world_zones`, one JSON list
 * per namespace): a learner's edits are theirs; a namespace without a row has the starting
 * zone, so a reset is a delete and a new student starts from it. The starting zone is the
 * default world's, unless a classroom's instructor set one for the class (kept in the same
 * table under a key no namespace can have).
 */
import type { Database, Statement } from 'better-sqlite3';
import { checkZone, type DnsRecord } from '../../protocol/world/dns-record.ts';

/** The row of the class's starting zone: namespaces are "default", "instructor" and "student:<id>". */
const STARTING_ZONE_KEY = '*starting-zone';

/** The zone a namespace without edits of its own has, and where it comes from. */
export interface StartingZone {
  readonly records: readonly DnsRecord[];
  /** False: the built-in default world; true: one the instructor set for the class. */
  readonly custom: boolean;
  /** When the instructor last set it (ms since the epoch); null for the default world. */
  readonly changedAt: number | null;
}

export class ZoneStore {
  private readonly selectZone: Statement<[string], { records: string; updated_at: number }>;
  private readonly upsertZone: Statement<[string, string, number]>;
  private readonly deleteZone: Statement<[string]>;
  private readonly deleteZones: (namespaces: readonly string[]) => number;

  constructor(
    db: Database,
    /** The zone of the default world, every namespace's until it or the class changes it. */
    private readonly defaults: readonly DnsRecord[],
  ) {
    this.selectZone = db.prepare('SELECT records, updated_at FROM world_zones WHERE namespace = ?');
    this.upsertZone = db.prepare(
      `INSERT INTO world_zones (namespace, records, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (namespace) DO UPDATE SET records = excluded.records, updated_at = excluded.updated_at`,
    );
    this.deleteZone = db.prepare('DELETE FROM world_zones WHERE namespace = ?');
    // One transaction: a class-wide reset happens for every student or for none.
    this.deleteZones = db.transaction((namespaces: readonly string[]) =>
      namespaces.reduce((deleted, namespace) => deleted + this.deleteZone.run(namespace).changes, 0),
    );
  }

  /** The namespace's zone: its own if it changed it, else the starting zone. */
  records(namespace: string): readonly DnsRecord[] {
    return this.stored(namespace) ?? this.startingZone().records;
  }

  /** Whether the namespace has edited its zone (a change of starting zone does not reach it). */
  hasOwnZone(namespace: string): boolean {
    return this.selectZone.get(namespace) !== undefined;
  }

  /** Replaces the namespace's zone with records that passed `checkZone`. */
  replace(namespace: string, records: readonly DnsRecord[]): void {
    this.upsertZone.run(namespace, JSON.stringify(records), Date.now());
  }

  /** Back to the starting zone. */
  reset(namespace: string): void {
    this.deleteZone.run(namespace);
  }

  /** Every one of these namespaces back to the starting zone; how many had edits of their own. */
  resetAll(namespaces: readonly string[]): number {
    return this.deleteZones(namespaces);
  }

  /** The zone namespaces start from: the class's if the instructor set one, else the default world's. */
  startingZone(): StartingZone {
    const row = this.selectZone.get(STARTING_ZONE_KEY);
    if (row === undefined) return { records: this.defaults, custom: false, changedAt: null };
    return { records: this.checked(STARTING_ZONE_KEY, row.records), custom: true, changedAt: row.updated_at };
  }

  /** Makes records that passed `checkZone` the starting zone of every namespace without edits of its own. */
  setStartingZone(records: readonly DnsRecord[]): void {
    this.replace(STARTING_ZONE_KEY, records);
  }

  /** The default world is the starting zone again. */
  resetStartingZone(): void {
    this.reset(STARTING_ZONE_KEY);
  }

  private stored(key: string): readonly DnsRecord[] | null {
    const row = this.selectZone.get(key);
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
