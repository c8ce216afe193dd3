import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS, defaultWorld } from '../../../protocol/world/default-world.ts';
import { defaultHostSettings, type HostSwitches } from '../../../protocol/world/host-settings.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import { HostSettingsStore } from '../../../server/world/host-settings-store.ts';
import { ZoneStore } from '../../../server/world/zone-store.ts';
import { jsonOf, serveMemoryDatabase } from './test-server.ts';

const zoneDefaults = defaultWorld({ dkimPublicKeys: { 'example.com': 'QUFB', 'example.net': 'QkJC', 'example.org': 'Q0ND' } }).records;
const served = serveMemoryDatabase((db) => ({ messages: new MessageStore(new SqliteDatabase(db)), zones: new ZoneStore(new SqliteDatabase(db), zoneDefaults), hostSettings: new HostSettingsStore(new SqliteDatabase(db), DEFAULT_HOSTS) }));

const asLearner = (namespace: string) => ({ 'x-namespace': namespace });
const hosts = (namespace: string) => jsonOf(fetch(`${served.server.base}/api/world/hosts`, { headers: asLearner(namespace) }));
const put = (namespace: string, body: unknown): Promise<Response> =>
  fetch(`${served.server.base}/api/world/hosts`, { method: 'PUT', headers: { ...asLearner(namespace), 'content-type': 'application/json' }, body: JSON.stringify(body) });
const reset = (namespace: string) => fetch(`${served.server.base}/api/world/reset`, { method: 'POST', headers: asLearner(namespace) });

const mx1Down: HostSwitches = { name: 'mx1.example.org', down: true, greylisting: true, rateLimitPerLabMinute: null, allowList: null, enforceDmarc: true };
const withMx1Down = defaultHostSettings().map((entry) => (entry.name === 'mx1.example.org' ? mx1Down : entry));

describe('/api/world/hosts over HTTP', () => {
  it('GET answers the default switches to a learner who changed nothing', async () => {
    expect(await hosts('ana')).toEqual({ hosts: defaultHostSettings() });
  });

  it('PUT replaces the switches (a host left out at its defaults), for that learner only', async () => {
    const response = await put('ana', { hosts: [mx1Down] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hosts: withMx1Down });
    expect(await hosts('ana')).toEqual({ hosts: withMx1Down });
    expect(await hosts('bea')).toEqual({ hosts: defaultHostSettings() });
  });

  it('PUT with bad entries answers 400 invalid_hosts, one problem per entry, and keeps the old switches', async () => {
    expect((await put('ana', { hosts: [mx1Down] })).status).toBe(200);
    const response = await put('ana', { hosts: [{ ...mx1Down, down: false }, { ...mx1Down, name: 'mx.example.net', allowList: ['10.0.0.1'] }, { ...mx1Down, name: 'mx.example.com' }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_hosts',
        message: 'The host switches were not changed: 2 entries have problems.',
        problems: [
          { index: 1, message: expect.stringContaining('"10.0.0.1" is not a lab address') },
          { index: 2, message: expect.stringContaining('"mx.example.com" is not a lab MX host') },
        ],
      },
    });
    expect(await hosts('ana')).toEqual({ hosts: withMx1Down });
  });

  it('PUT without a hosts list is a 400 that says the shape', async () => {
    const response = await put('ana', [mx1Down]);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('{"hosts": [') } });
  });

  it('POST /api/world/reset restores the default switches (and zone) for that learner only', async () => {
    expect((await put('ana', { hosts: [mx1Down] })).status).toBe(200);
    expect((await put('bea', { hosts: [mx1Down] })).status).toBe(200);
    const response = await reset('ana');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ records: zoneDefaults, hosts: defaultHostSettings() });
    expect(await hosts('ana')).toEqual({ hosts: defaultHostSettings() });
    expect(await hosts('bea')).toEqual({ hosts: withMx1Down });
  });
});
