/**
 * Each namespace's lab DNS zone in the SQLite database (table `world_zones`, one JSON list
 * per namespace): a learner's edits are theirs; a namespace without a row has the default
 * zone, so a reset is a delete and a new student starts from the defaults.
 */
import type { Database, Statement } from 'better-sqlite3';
import { checkZone, type DnsRecord } from '../../protocol/world/dns-record.ts';

export class ZoneStore {
  private readonly selectZone: Statement<[string], { records: string }>;
  private readonly upsertZone: Statement<[string, string, number]>;
  private readonly deleteZone: Statement<[string]>;

  constructor(
    db: Database,
    /** The zone a namespace has until it changes it (the default world's). */
    private readonly defaults: readonly DnsRecord[],
  ) {
    this.selectZone = db.prepare('SELECT records FROM world_zones WHERE namespace = ?');
    this.upsertZone = db.prepare(
      `INSERT INTO world_zones (namespace, records, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (namespace) DO UPDATE SET records = excluded.records, updated_at = excluded.updated_at`,
    );
    this.deleteZone = db.prepare('DELETE FROM world_zones WHERE namespace = ?');
  }

  /** The namespace's zone: its own if it changed it, else the defaults. */
  records(namespace: string): readonly DnsRecord[] {
    const row = this.selectZone.get(namespace);
    if (row === undefined) return this.defaults;
    // Checked again on the way out: the database is a boundary (a hand-edited row must not reach the resolver).
    const check = checkZone(JSON.parse(row.records) as unknown[]);
    if (!check.ok) throw new Error(`The stored DNS zone of namespace "${namespace}" is not valid: ${check.problems[0]?.message ?? ''}`);
    return check.records;
  }

  /** Replaces the namespace's zone with records that passed `checkZone`. */
  replace(namespace: string, records: readonly DnsRecord[]): void {
    this.upsertZone.run(namespace, JSON.stringify(records), Date.now());
  }

  /** Back to the defaults. */
  reset(namespace: string): void {
    this.deleteZone.run(namespace);
  }
}
