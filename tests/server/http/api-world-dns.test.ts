import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS, defaultWorld } from '../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { defaultHostSettings } from '../../../protocol/world/host-settings.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import { HostSettingsStore } from '../../../server/world/host-settings-store.ts';
import { ZoneStore } from '../../../server/world/zone-store.ts';
import { jsonOf, serveMemoryDatabase } from './test-server.ts';

// Any base64 is a well-formed `p=`; the keys themselves are tested in tests/server/world.
const defaults = defaultWorld({ dkimPublicKeys: { 'example.com': 'QUFB', 'example.net': 'QkJC', 'example.org': 'Q0ND' } }).records;
const served = serveMemoryDatabase((db) => ({ messages: new MessageStore(new SqliteDatabase(db)), zones: new ZoneStore(new SqliteDatabase(db), defaults), hostSettings: new HostSettingsStore(new SqliteDatabase(db), DEFAULT_HOSTS) }));

const asLearner = (namespace: string) => ({ 'x-namespace': namespace });
const dns = (namespace: string) => jsonOf(fetch(`${served.server.base}/api/world/dns`, { headers: asLearner(namespace) }));
function put(namespace: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${served.server.base}/api/world/dns`, {
    method: 'PUT',
    headers: { ...asLearner(namespace), 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const reset = (namespace: string) => fetch(`${served.server.base}/api/world/reset`, { method: 'POST', headers: asLearner(namespace) });

const small: DnsRecord[] = [
  { name: 'example.net', type: 'MX', ttl: 300, value: '10 mx.example.net.' },
  { name: 'mx.example.net', type: 'A', ttl: 300, value: '198.51.100.20' },
  { name: 'example.net', type: 'TXT', ttl: 300, value: 'v=spf1 mx -all' },
];

describe('/api/world/dns over HTTP', () => {
  it('GET answers the default world to a learner who changed nothing', async () => {
    const body = await dns('ana');
    expect(body).toEqual({ records: defaults });
    expect(body.records).toContainEqual({ name: 'example.com', type: 'TXT', ttl: 300, value: 'v=spf1 ip4:192.0.2.10 -all' });
    expect(body.records).toContainEqual({ name: 'example.net', type: 'MX', ttl: 300, value: '10 mx.example.net.' });
  });

  it('PUT replaces the zone with the checked records (names canonical) and GET then answers them', async () => {
    const sent = [...small, { name: 'WWW.Example.NET.', type: 'CNAME', ttl: 60, value: 'mx.example.net.' }];
    const response = await put('ana', { records: sent });
    expect(response.status).toBe(200);
    const stored = [...small, { name: 'www.example.net', type: 'CNAME', ttl: 60, value: 'mx.example.net.' }];
    expect(await response.json()).toEqual({ records: stored });
    expect(await dns('ana')).toEqual({ records: stored });
  });

  it('PUT with bad records answers 400 invalid_zone, one problem per bad record, and keeps the old zone', async () => {
    const before = await dns('ana');
    const response = await put('ana', {
      records: [
        { name: 'example.net', type: 'MX', ttl: 300, value: 'mx.example.net.' },
        small[1],
        { name: 'mx.example.net', type: 'A', ttl: 300, value: '93.184.216.34' },
      ],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_zone',
        message: 'The zone was not changed: 2 records have problems.',
        problems: [
          { index: 0, message: expect.stringContaining('write the priority') },
          { index: 2, message: expect.stringContaining("outside the lab's address ranges") },
        ],
      },
    });
    expect(await dns('ana')).toEqual(before);
  });

  it('PUT without a records list, with broken JSON or as a form is refused with the usual errors', async () => {
    const missing = await put('ana', { zone: [] });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('{"records"') });
    expect((await put('ana', '{"records": [', 'application/json')).status).toBe(400);
    expect((await put('ana', 'records=1', 'application/x-www-form-urlencoded')).status).toBe(415);
    const huge = await put('ana', { records: [{ name: 'example.net', type: 'TXT', ttl: 1, value: 'x'.repeat(600 * 1024) }] });
    expect(huge.status).toBe(413);
  });

  it('an empty zone is a zone: every lookup then finds nothing', async () => {
    expect((await put('empty', { records: [] })).status).toBe(200);
    expect(await dns('empty')).toEqual({ records: [] });
  });

  it('each learner has their own world: one learner\'s edit is not another\'s', async () => {
    expect((await put('ben', { records: small.slice(0, 2) })).status).toBe(200);
    expect((await put('cleo', { records: small.slice(2) })).status).toBe(200);
    expect(await dns('ben')).toEqual({ records: small.slice(0, 2) });
    expect(await dns('cleo')).toEqual({ records: small.slice(2) });
    expect(await dns('dan')).toEqual({ records: defaults });
  });

  it('POST /api/world/reset restores the defaults for that learner only', async () => {
    expect((await put('eve', { records: small })).status).toBe(200);
    expect((await put('fay', { records: small })).status).toBe(200);
    const response = await reset('eve');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ records: defaults, hosts: defaultHostSettings() });
    expect(await dns('eve')).toEqual({ records: defaults });
    expect(await dns('fay')).toEqual({ records: small });
  });

  it('answers 405 for a method the routes do not have', async () => {
    const response = await fetch(`${served.server.base}/api/world/dns`, { method: 'DELETE', headers: asLearner('ana') });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
  });
});
