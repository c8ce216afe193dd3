/**
 * The lab world's small stores on both engines: each namespace's zone and host switches (its
 * own, or the starting ones), the class's starting zone, a class-wide reset in one transaction,
 * a hand-edited row refused on the way out, and the lab clock's saved reading.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { defaultHostSettings } from '../../../protocol/world/host-settings.ts';
import { HostSettingsStore } from '../../../server/world/host-settings-store.ts';
import { openLabClock } from '../../../server/world/lab-clock.ts';
import { ZoneStore } from '../../../server/world/zone-store.ts';
import { LocalEventBus } from '../../../server/events/local-event-bus.ts';
import { PostgresEventBus } from '../../../server/events/postgres-event-bus.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

const record = (name: string, type: DnsRecord['type'], value: string): DnsRecord => ({ name, type, ttl: 300, value });
const DEFAULTS = [record('example.net', 'MX', '10 mx.example.net.'), record('mx.example.net', 'A', '198.51.100.20')];
const OWN = [record('example.net', 'MX', '10 mx2.example.net.'), record('mx2.example.net', 'A', '198.51.100.21')];
const CLASS = [record('example.org', 'MX', '10 mx.example.org.'), record('mx.example.org', 'A', '203.0.113.20')];

describeEachEngine('ZoneStore', (current) => {
  it('answers the defaults until a namespace replaces its zone, and only to that namespace', async () => {
    const zones = new ZoneStore(current.db, DEFAULTS);
    expect(await zones.records('student:1')).toEqual(DEFAULTS);
    await zones.replace('student:1', OWN);
    await zones.replace('student:1', OWN);
    expect(await zones.records('student:1')).toEqual(OWN);
    expect(await zones.records('student:2')).toEqual(DEFAULTS);
    await zones.reset('student:1');
    expect(await zones.records('student:1')).toEqual(DEFAULTS);
  });

  it('gives namespaces without edits the class\'s starting zone, counts those with edits, and resets them all at once', async () => {
    const zones = new ZoneStore(current.db, DEFAULTS);
    expect(await zones.startingZone()).toEqual({ records: DEFAULTS, custom: false, changedAt: null });
    await zones.replace('student:1', OWN);
    await zones.replace('student:3', OWN);
    const before = Date.now();
    await zones.setStartingZone(CLASS);
    const start = await zones.startingZone();
    expect(start).toMatchObject({ records: CLASS, custom: true });
    expect(start.changedAt).toBeGreaterThanOrEqual(before);
    expect(await zones.records('student:2')).toEqual(CLASS);
    expect(await zones.records('student:1')).toEqual(OWN);
    // The starting zone's own row is no student's edit; student:3 is not in this class list.
    expect(await zones.countOwnZones(['student:1', 'student:2'])).toBe(1);

    expect(await zones.resetAll(['student:1', 'student:2', 'student:3'])).toBe(2);
    expect(await zones.records('student:1')).toEqual(CLASS);
    expect(await zones.countOwnZones(['student:1', 'student:3'])).toBe(0);
    await zones.resetStartingZone();
    expect(await zones.records('student:1')).toEqual(DEFAULTS);
  });

  it('refuses a stored zone that no longer passes the check, naming whose it is', async () => {
    const zones = new ZoneStore(current.db, DEFAULTS);
    await current.db.run('INSERT INTO world_zones (namespace, records, updated_at) VALUES (?, ?, ?)', ['student:1', JSON.stringify([record('example.net', 'A', '8.8.8.8')]), 1]);
    await expect(zones.records('student:1')).rejects.toThrow(/The stored DNS zone of namespace "student:1" is not valid/);
  });
});

describeEachEngine('ZoneStore kept in memory', (current) => {
  it('reads a zone once while nothing is written, and sees its own writes at once', async () => {
    const { db, gets } = countingGets(current.db);
    const zones = new ZoneStore(db, DEFAULTS, { events: new LocalEventBus() });
    expect(await zones.records('student:1')).toEqual(DEFAULTS);
    const afterFirst = gets();
    for (let i = 0; i < 5; i += 1) expect(await zones.records('student:1')).toEqual(DEFAULTS);
    expect(gets()).toBe(afterFirst);
    await zones.replace('student:1', OWN);
    expect(await zones.records('student:1')).toEqual(OWN);
    await zones.setStartingZone(CLASS);
    expect(await zones.records('student:2')).toEqual(CLASS);
    expect((await zones.startingZone()).custom).toBe(true);
    await zones.resetAll(['student:1']);
    expect(await zones.records('student:1')).toEqual(CLASS);
    // What is handed out is shared: nobody may change it for the others.
    const kept = await zones.records('student:1');
    expect(() => (kept as DnsRecord[]).push(record('x.example', 'A', '192.0.2.1'))).toThrow(TypeError);
    expect(() => Object.assign(kept[0]!, { value: 'changed' })).toThrow(TypeError);
  });
});

describe.skipIf(postgresAdminUrl() === null)('ZoneStore kept in memory by two processes on one PostgreSQL', () => {
  it('drops a kept zone when another process writes it', async () => {
    const fresh = await freshDatabase('postgres');
    const buses = await Promise.all(['process-a', 'process-b'].map((processId) => PostgresEventBus.open({ url: fresh.url!, processId })));
    try {
      const [a, b] = buses.map((events) => new ZoneStore(fresh.db, DEFAULTS, { events })) as [ZoneStore, ZoneStore];
      expect(await a.records('student:1')).toEqual(DEFAULTS);
      await b.replace('student:1', OWN);
      await waitUntil(async () => JSON.stringify(await a.records('student:1')) === JSON.stringify(OWN));
      expect(await a.records('student:2')).toEqual(DEFAULTS);
      await b.setStartingZone(CLASS);
      await waitUntil(async () => JSON.stringify(await a.records('student:2')) === JSON.stringify(CLASS));
      await b.reset('student:1');
      await waitUntil(async () => JSON.stringify(await a.records('student:1')) === JSON.stringify(CLASS));
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await fresh.drop();
    }
  });
});

/** The database with its `get` calls counted (the zone reads), everything else passed through. */
function countingGets(db: SqlDatabase): { db: SqlDatabase; gets: () => number } {
  let gets = 0;
  const counted: SqlDatabase = {
    engine: db.engine,
    all: (sql, params) => db.all(sql, params),
    get: (sql, params) => {
      gets += 1;
      return db.get(sql, params);
    },
    run: (sql, params) => db.run(sql, params),
    transaction: (work) => db.transaction(work),
    close: () => db.close(),
  };
  return { db: counted, gets: () => gets };
}

/** Polls `done` for up to 2 s: an announcement crosses processes in milliseconds, a kept zone expires only after 5 s. */
async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachEngine('HostSettingsStore', (current) => {
  it('keeps each namespace\'s switches apart, back to the defaults on reset', async () => {
    const store = new HostSettingsStore(current.db, DEFAULT_HOSTS);
    const defaults = defaultHostSettings(DEFAULT_HOSTS);
    const down = defaults.map((entry) => (entry.name === 'mx1.example.org' ? { ...entry, down: true } : entry));
    expect(await store.settings('ana')).toEqual(defaults);
    await store.replace('ana', down);
    expect(await store.switchesOf('ana', 'mx1.example.org')).toMatchObject({ down: true });
    expect(await store.switchesOf('bea', 'mx1.example.org')).toMatchObject({ down: false });
    expect(await store.switchesOf('ana', 'nowhere.example')).toBeNull();
    // A second store on the same database (another process) reads what the first wrote.
    expect(await new HostSettingsStore(current.db, DEFAULT_HOSTS).settings('ana')).toEqual(down);
    await store.reset('ana');
    expect(await store.settings('ana')).toEqual(defaults);
  });

  it.skipIf(current.engine !== 'postgres')('on PostgreSQL, sees another process\'s change at the next read (no cache to go stale)', async () => {
    const mine = new HostSettingsStore(current.db, DEFAULT_HOSTS);
    const theirs = new HostSettingsStore(current.db, DEFAULT_HOSTS);
    expect(await mine.switchesOf('ana', 'mx1.example.org')).toMatchObject({ down: false });
    await theirs.replace('ana', defaultHostSettings(DEFAULT_HOSTS).map((entry) => (entry.name === 'mx1.example.org' ? { ...entry, down: true } : entry)));
    expect(await mine.switchesOf('ana', 'mx1.example.org')).toMatchObject({ down: true });
  });
});

describeEachEngine('lab clock reading', (current) => {
  it('joins the lab time of a process still running on a shared PostgreSQL, and pauses on SQLite', async () => {
    let real = Date.parse('2026-03-01T09:00:00Z');
    const realNow = () => real;
    const a = await openLabClock(current.db, 60, realNow);
    const startedAt = a.clock.now();
    real += 10_000;
    // Ten real seconds later a second process starts: A saved its reading at start, 10 s ago.
    const b = await openLabClock(current.db, 60, realNow);
    if (current.engine === 'postgres') {
      expect(b.clock.now()).toBe(a.clock.now());
      expect(b.clock.now()).toBe(startedAt + 600_000);
    } else {
      // One process per data directory: the reading it left is where the next one goes on.
      expect(b.clock.now()).toBe(startedAt);
    }
    await a.stop();
    await b.stop();
    const stoppedAt = b.clock.now();
    // Nobody saved for a minute: everyone was down, and lab time paused with them.
    real += 60_000;
    const c = await openLabClock(current.db, 60, realNow);
    expect(c.clock.now()).toBe(stoppedAt);
    await c.stop();
  });


  it('resumes from the saved reading, saved again at stop', async () => {
    const first = await openLabClock(current.db, 1);
    first.clock.advance(3_600_000);
    const stoppedAt = first.clock.now();
    await first.stop();
    const saved = await current.db.get<{ labMs: number }>('SELECT lab_ms AS "labMs" FROM lab_clock WHERE id = 1');
    expect(saved?.labMs).toBeGreaterThanOrEqual(stoppedAt);

    const second = await openLabClock(current.db, 1);
    // Lab time paused while "the process was down": it goes on from the reading, an hour ahead of the real clock.
    expect(second.clock.now()).toBeGreaterThanOrEqual(saved!.labMs);
    expect(second.clock.now() - Date.now()).toBeGreaterThan(3_000_000);
    await second.stop();
  });
});
