/**
 * Each namespace's host switches in the SQLite database (table `world_hosts`, one JSON list
 * per namespace), beside its zone: a learner's switches are theirs; a namespace without a
 * row has the defaults of DEFAULT_HOSTS, so a reset is a delete. The lab network reads them
 * at every connection, so the last read is cached per namespace until a change.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { LabHost } from '../../protocol/world/default-world.ts';
import { checkHostSettings, defaultHostSettings, switchesOf, type HostSwitches } from '../../protocol/world/host-settings.ts';

/** Namespaces whose switches are cached at once; a class is far smaller. */
const MAX_CACHED = 1000;

export class HostSettingsStore {
  private readonly selectHosts: Statement<[string], { hosts: string }>;
  private readonly upsertHosts: Statement<[string, string, number]>;
  private readonly deleteHosts: Statement<[string]>;
  private readonly defaults: readonly HostSwitches[];
  private readonly cache = new Map<string, readonly HostSwitches[]>();

  constructor(
    db: Database,
    private readonly hosts: readonly LabHost[],
  ) {
    this.defaults = defaultHostSettings(hosts);
    this.selectHosts = db.prepare('SELECT hosts FROM world_hosts WHERE namespace = ?');
    this.upsertHosts = db.prepare(
      `INSERT INTO world_hosts (namespace, hosts, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (namespace) DO UPDATE SET hosts = excluded.hosts, updated_at = excluded.updated_at`,
    );
    this.deleteHosts = db.prepare('DELETE FROM world_hosts WHERE namespace = ?');
  }

  /** The namespace's switches for every switchable host: its own if it changed them, else the defaults. */
  settings(namespace: string): readonly HostSwitches[] {
    const cached = this.cache.get(namespace);
    if (cached) return cached;
    const row = this.selectHosts.get(namespace);
    let settings = this.defaults;
    if (row !== undefined) {
      // Checked again on the way out: the database is a boundary (a hand-edited row must not reach a host).
      const check = checkHostSettings(JSON.parse(row.hosts) as unknown[], this.hosts);
      if (!check.ok) throw new Error(`The stored host switches of namespace "${namespace}" are not valid: ${check.problems[0]?.message ?? ''}`);
      settings = check.hosts;
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(namespace, settings);
    return settings;
  }

  /** One host's switches in the namespace, or null for a name that is no switchable host. */
  switchesOf(namespace: string, hostName: string): HostSwitches | null {
    return switchesOf(this.settings(namespace), hostName, this.hosts);
  }

  /** Replaces the namespace's switches with a list that passed `checkHostSettings`. */
  replace(namespace: string, settings: readonly HostSwitches[]): void {
    this.upsertHosts.run(namespace, JSON.stringify(settings), Date.now());
    this.cache.delete(namespace);
  }

  /** Back to the defaults. */
  reset(namespace: string): void {
    this.deleteHosts.run(namespace);
    this.cache.delete(namespace);
  }
}
