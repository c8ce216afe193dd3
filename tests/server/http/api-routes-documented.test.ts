import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { LocalEventBus } from '../../../server/events/local-event-bus.ts';
import { createClassroom } from '../../../server/classroom/create-classroom.ts';
import type { ApiRoute } from '../../../server/http/api-route.ts';
import { apiRoutes } from '../../../server/http/api-routes.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { JourneyReader } from '../../../server/world/journey/journey-reader.ts';
import { HostSettingsStore } from '../../../server/world/host-settings-store.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import { ZoneStore } from '../../../server/world/zone-store.ts';

const db = openDatabase(':memory:');
afterAll(() => db.close());

/** Every route the server can have: the solo table and the classroom table, with transcripts and the lab world on. */
async function everyRoute(): Promise<ApiRoute[]> {
  const sql = new SqliteDatabase(db);
  const messages = new MessageStore(sql);
  const sessions = new SessionStore(sql);
  const zones = new ZoneStore(sql, []);
  const classroom = await createClassroom({
    db: sql,
    events: new LocalEventBus(),
    classDomain: 'class.smtp-lab.test',
    maxMessageSize: 10 * 1024 * 1024,
    allowedHosts: HostAllowList.loopback(),
    allowedOrigins: [],
    transcripts: sessions,
    sources: { liveSessions: () => [], recordedEvents: async () => null, labelOf: () => null },
    purgeNamespace: async () => undefined,
    zones,
  });
  const hostSettings = new HostSettingsStore(sql, DEFAULT_HOSTS);
  const journeys = new JourneyReader(sql);
  const queue = { waiting: async () => ({ messages: [], total: 0 }) };
  return [
    ...apiRoutes({ messages, sessions, zones, hostSettings, journeys, queue }),
    ...apiRoutes({ messages, sessions, zones, hostSettings, journeys, queue, classroom }),
  ];
}

/** The rows of the README's API table: | `METHOD` | `/api/…` | access | what | */
function documentedRoutes(): string[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const rows = [...readme.matchAll(/^\| `(GET|POST|PUT|DELETE)` \| `(\/api[^`]*)` \| (\w+) \|/gm)];
  return rows.map(([, method, path, access]) => `${method} ${path} ${access}`);
}

const routes = await everyRoute();

describe('the README documents the API route table', () => {
  const table = [...new Set(routes.map((route) => `${route.method} ${route.path} ${route.access}`))].sort();
  const documented = documentedRoutes();

  it('finds both lists (so an empty parse cannot pass)', () => {
    expect(table.length).toBeGreaterThan(20);
    expect(documented.length).toBeGreaterThan(20);
  });

  it('lists every route with its access, once', () => {
    expect(documented.length).toBe(new Set(documented).size);
    expect([...documented].sort()).toEqual(table);
  });
});
