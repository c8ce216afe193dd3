import { describe, expect, it } from 'vitest';
import { createLabResolver, type DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import { byPriority, NULL_MX_REPLY, routeMail, type RandomSource } from '../../../protocol/world/mx-route.ts';
import { r, zone } from './checked-zone.ts';

/** A repeatable random source (a linear congruential generator), so a shuffle can be checked. */
function seeded(seed: number): RandomSource {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
const first = () => 0;

const records = zone([
  r('example.org', 'MX', '20 mx2.example.org.'),
  r('example.org', 'MX', '10 mx1.example.org.'),
  r('mx1.example.org', 'A', '203.0.113.21'),
  r('mx2.example.org', 'A', '203.0.113.22'),
  r('mx2.example.org', 'AAAA', '2001:db8::22'),
  r('no-mx.example', 'A', '198.51.100.30'),
  r('null-mx.example', 'MX', '0 .'),
  r('text-only.example', 'TXT', 'v=spf1 -all'),
  r('dangling.example', 'MX', '10 gone.example.'),
  r('slow.example', 'MX', '10 mx.slow.example.'),
]);

describe('routeMail (RFC 5321 §5.1)', () => {
  it('tries MX hosts lowest priority first, with their A then AAAA addresses', async () => {
    const lookups: DnsLookup[] = [];
    const route = await routeMail('Example.ORG', createLabResolver(records, { onLookup: (lookup) => lookups.push(lookup) }), first);
    expect(route).toEqual({
      kind: 'hosts',
      implicit: false,
      hosts: [
        { host: 'mx1.example.org', priority: 10, addresses: ['203.0.113.21'] },
        { host: 'mx2.example.org', priority: 20, addresses: ['203.0.113.22', '2001:db8::22'] },
      ],
    });
    expect(lookups.map(({ name, type }) => `${type} ${name}`)).toEqual([
      'MX example.org',
      'A mx1.example.org',
      'AAAA mx1.example.org',
      'A mx2.example.org',
      'AAAA mx2.example.org',
    ]);
  });

  it('uses the domain itself when it has no MX but an address (implicit MX)', async () => {
    expect(await routeMail('no-mx.example', createLabResolver(records), first)).toEqual({
      kind: 'hosts',
      implicit: true,
      hosts: [{ host: 'no-mx.example', priority: 0, addresses: ['198.51.100.30'] }],
    });
  });

  it('makes no attempt for a null MX, and gives RFC 7505\'s 556 5.1.10', async () => {
    expect(await routeMail('null-mx.example', createLabResolver(records), first)).toEqual({ kind: 'null-mx', reply: NULL_MX_REPLY });
    expect(NULL_MX_REPLY).toMatchObject({ code: 556, enhanced: '5.1.10' });
  });

  it('says a domain outside the lab is not in the lab', async () => {
    expect(await routeMail('gmail.com', createLabResolver(records), first)).toMatchObject({
      kind: 'no-such-domain',
      message: expect.stringContaining('gmail.com is not a domain in the lab'),
    });
  });

  it('has no host for a domain with neither MX nor address, or whose MX hosts have no address', async () => {
    expect(await routeMail('text-only.example', createLabResolver(records), first)).toMatchObject({ kind: 'no-mail-host' });
    expect(await routeMail('dangling.example', createLabResolver(records), first)).toMatchObject({ kind: 'no-mail-host' });
  });

  it('calls a DNS timeout a temporary failure', async () => {
    const resolve = createLabResolver(records, { unreachable: ['mx.slow.example'] });
    expect(await routeMail('slow.example', resolve, first)).toMatchObject({ kind: 'dns-failure', message: expect.stringContaining('ETIMEOUT') });
  });
});

describe('byPriority', () => {
  const tied = [10, 10, 10, 10, 5, 20].map((priority, i) => ({ exchange: `mx${i}.example`, priority }));

  it('keeps priority order and shuffles only within a priority, the same way for the same seed', () => {
    const once = byPriority(tied, seeded(7));
    expect(once.map((mx) => mx.priority)).toEqual([5, 10, 10, 10, 10, 20]);
    expect(byPriority(tied, seeded(7))).toEqual(once);
    expect(new Set(once.slice(1, 5).map((mx) => mx.exchange))).toEqual(new Set(['mx0.example', 'mx1.example', 'mx2.example', 'mx3.example']));
  });

  it('gives each tied host a turn first over many seeds', () => {
    const firsts = new Set(Array.from({ length: 50 }, (_, seed) => byPriority(tied, seeded(seed + 1))[1]?.exchange));
    expect(firsts).toEqual(new Set(['mx0.example', 'mx1.example', 'mx2.example', 'mx3.example']));
  });
});
