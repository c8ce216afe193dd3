/**
 * Each namespace's host switches in the database (table `world_hosts`, one JSON list
 * per namespace), beside its zone: a learner's switches are theirs; a namespace without a
 * row has the defaults of DEFAULT_HOSTS, so a reset is a delete. The lab network reads them
 * at every connection, so on SQLite the last read is cached per namespace until a change.
 */
import type { LabHost } from '../../protocol/world/default-world.ts';
import { checkHostSettings, defaultHostSettings, switchesOf, type HostSwitches } from '../../protocol/world/host-settings.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** Namespaces whose switches are cached at once; a class is far smaller. */
const MAX_CACHED = 1000;

export class HostSettingsStore {
  private readonly defaults: readonly HostSwitches[];
  private readonly cache = new Map<string, readonly HostSwitches[]>();
  /**
   * Only where this process is the only writer (SQLite's data directory): on PostgreSQL another
   * process may change a learner's switches, so every read goes to the table (one key lookup).
   */
  private readonly caching: boolean;

  constructor(
    private readonly db: SqlDatabase,
    private readonly hosts: readonly LabHost[],
  ) {
    this.defaults = defaultHostSettings(hosts);
    this.caching = db.engine === 'sqlite';
  }

  /** The namespace's switches for every switchable host: its own if it changed them, else the defaults. */
  async settings(namespace: string): Promise<readonly HostSwitches[]> {
    const cached = this.cache.get(namespace);
    if (cached) return cached;
    const row = await this.db.get<{ hosts: string }>('SELECT hosts FROM world_hosts WHERE namespace = ?', [namespace]);
    let settings = this.defaults;
    if (row !== undefined) {
      // Checked again on the way out: the database is a boundary (a hand-edited row must not reach a host).
      const check = checkHostSettings(JSON.parse(row.hosts) as unknown[], this.hosts);
      if (!check.ok) throw new Error(`The stored host switches of namespace "${namespace}" are not valid: ${check.problems[0]?.message ?? ''}`);
      settings = check.hosts;
    }
    if (!this.caching) return settings;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(namespace, settings);
    return settings;
  }

  /** One host's switches in the namespace, or null for a name that is no switchable host. */
  async switchesOf(namespace: string, hostName: string): Promise<HostSwitches | null> {
    return switchesOf(await this.settings(namespace), hostName, this.hosts);
  }

  /** Replaces the namespace's switches with a list that passed `checkHostSettings`. */
  async replace(namespace: string, settings: readonly HostSwitches[]): Promise<void> {
    await this.db.run(
      `INSERT INTO world_hosts (namespace, hosts, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (namespace) DO UPDATE SET hosts = excluded.hosts, updated_at = excluded.updated_at`,
      [namespace, JSON.stringify(settings), Date.now()],
    );
    this.cache.delete(namespace);
  }

  /** Back to the defaults. */
  async reset(namespace: string): Promise<void> {
    await this.db.run('DELETE FROM world_hosts WHERE namespace = ?', [namespace]);
    this.cache.delete(namespace);
  }
}
