import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultWorld, DKIM_SELECTOR, SIGNING_DOMAINS, type SigningDomain } from '../../../protocol/world/default-world.ts';
import { checkZone } from '../../../protocol/world/dns-record.ts';
import { createLabResolver } from '../../../protocol/world/lab-resolver.ts';
import { routeMail } from '../../../protocol/world/mx-route.ts';

const publicKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const keys = Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, publicKey()])) as Record<SigningDomain, string>;
const world = defaultWorld({ dkimPublicKeys: keys });
const resolve = createLabResolver(world.records, { unreachable: world.unreachable });
const first = () => 0;

describe('the default world', () => {
  it('passes the zone checks unchanged', () => {
    expect(checkZone(world.records)).toEqual({ ok: true, records: world.records });
  });

  it('uses only RFC 2606 names', () => {
    const reserved = /(^|\.)(example\.(com|net|org)|[a-z0-9-]+\.example)$/;
    expect(world.records.map((record) => record.name).filter((name) => !reserved.test(name))).toEqual([]);
  });

  it('resolves every host to its lab address, each address once', async () => {
    for (const host of world.hosts) expect(await resolve(host.name, 'A')).toEqual([host.ip]);
    expect(new Set(world.hosts.map((host) => host.ip)).size).toBe(world.hosts.length);
  });

  it('routes each domain a host serves to that host, and every MX host is in the hosts list', async () => {
    // The mailing list's domain is published only by its Break it preset.
    for (const host of world.hosts.filter((candidate) => candidate.list === undefined)) {
      for (const domain of host.domains) {
        const route = await routeMail(domain, resolve, first);
        expect(route.kind === 'hosts' && route.hosts.map((hop) => hop.host)).toContain(host.name);
      }
    }
    const routes = await Promise.all(['example.com', 'example.net', 'example.org', 'no-mx.example', 'p-none.example', 'forwarder.example'].map((domain) => routeMail(domain, resolve, first)));
    const names = new Set(world.hosts.map((host) => host.name));
    for (const route of routes) for (const hop of route.kind === 'hosts' ? route.hosts : []) expect(names).toContain(hop.host);
  });

  it('runs a mailing list host whose domain has no DNS until the learner publishes it', async () => {
    const list = world.hosts.find((host) => host.list !== undefined);
    expect(list).toMatchObject({ name: 'mx.lists.example', role: 'forwarder', domains: ['lists.example'], list: { address: 'team@lists.example', bounces: 'team-bounces@lists.example' } });
    // The name exists (mx.lists.example is under it) but has no MX and no address: nowhere to deliver.
    expect(await routeMail('lists.example', resolve, first)).toMatchObject({ kind: 'no-mail-host' });
  });

  it('gives example.org a greylisting primary at 10 and a secondary at 20', async () => {
    const route = await routeMail('example.org', resolve, first);
    expect(route.kind === 'hosts' && route.hosts.map(({ host, priority }) => [host, priority])).toEqual([['mx1.example.org', 10], ['mx2.example.org', 20]]);
    expect(world.hosts.find((host) => host.name === 'mx1.example.org')?.greylisting).toBe(true);
    expect(world.hosts.find((host) => host.name === 'mx2.example.org')?.greylisting).toBe(false);
  });

  it('publishes SPF, the given DKIM key and DMARC p=reject for each organisation', async () => {
    for (const domain of SIGNING_DOMAINS) {
      expect((await resolve(domain, 'TXT')).map((strings) => strings.join(''))).toEqual([expect.stringMatching(/^v=spf1 .* -all$/)]);
      const [key] = await resolve(`${DKIM_SELECTOR}._domainkey.${domain}`, 'TXT');
      expect(key?.join('')).toBe(`v=DKIM1; k=rsa; p=${keys[domain]}`);
      expect(await resolve(`_dmarc.${domain}`, 'TXT')).toEqual([['v=DMARC1; p=reject']]);
    }
  });

  it('has the lesson domains: implicit MX, null MX, p=none, and an SPF chain beyond 10 lookups', async () => {
    expect(await routeMail('no-mx.example', resolve, first)).toMatchObject({ kind: 'hosts', implicit: true });
    expect(await routeMail('null-mx.example', resolve, first)).toMatchObject({ kind: 'null-mx' });
    expect(await resolve('_dmarc.p-none.example', 'TXT')).toEqual([['v=DMARC1; p=none']]);
    let includes = 0;
    for (let name: string | undefined = 'spf-chain.example'; name !== undefined; includes++) {
      const [spf]: string[][] = await resolve(name, 'TXT');
      name = /include:(\S+)/.exec(spf?.join('') ?? '')?.[1];
    }
    expect(includes - 1).toBeGreaterThan(10);
  });
});
