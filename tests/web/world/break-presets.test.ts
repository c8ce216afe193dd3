import { describe, expect, it } from 'vitest';
import { checkZone, parseMxValue, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { BREAK_PRESETS } from '../../../web/src/world/break-presets.ts';
import { diffZones, recordLine } from '../../../web/src/world/zone-diff.ts';
import { groupZone } from '../../../web/src/world/zone-groups.ts';
import { defaultZone } from './world-fixtures.ts';

const preset = (id: string) => {
  const found = BREAK_PRESETS.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no preset ${id}`);
  return found;
};
const lines = (records: readonly DnsRecord[]) => records.map(recordLine);
const txtAt = (zone: readonly DnsRecord[], name: string) => zone.filter((record) => record.name === name && record.type === 'TXT').map((record) => record.value);

describe('Break it presets', () => {
  it('each yields a zone that passes checkZone, differs from the default, and says what to look for', () => {
    for (const { id, title, lookFor, apply } of BREAK_PRESETS) {
      const after = apply(defaultZone());
      expect(checkZone(after).ok, id).toBe(true);
      const diff = diffZones(defaultZone(), after);
      expect(diff.removed.length + diff.added.length, id).toBeGreaterThan(0);
      expect(title.length * lookFor.length, id).toBeGreaterThan(0);
    }
  });

  it('the mailing list publishes lists.example (MX and SPF) for its host, and applying it twice adds nothing more', () => {
    const after = preset('mailing-list-footer').apply(defaultZone());
    const diff = diffZones(defaultZone(), after);
    expect(lines(diff.removed)).toEqual([]);
    expect(lines(diff.added)).toEqual(['lists.example. 300 MX 10 mx.lists.example.', 'lists.example. 300 TXT v=spf1 ip4:198.51.100.60 -all']);
    const again = diffZones(after, preset('mailing-list-footer').apply(after));
    expect(again.added.length + again.removed.length).toBe(0);
  });

  it('the spoofed From publishes only spoofer.example\'s SPF, for the learner\'s own client at 203.0.113.99', () => {
    const after = preset('spoofed-from').apply(defaultZone());
    expect(lines(diffZones(defaultZone(), after).added)).toEqual(['spoofer.example. 300 TXT v=spf1 ip4:203.0.113.99 -all']);
    expect(diffZones(defaultZone(), after).removed).toEqual([]);
    const again = diffZones(after, preset('spoofed-from').apply(after));
    expect(again.added.length + again.removed.length).toBe(0);
  });

  it('null MX on example.net replaces its MX with "0 ."', () => {
    const diff = diffZones(defaultZone(), preset('null-mx-net').apply(defaultZone()));
    expect(lines(diff.removed)).toEqual(['example.net. 300 MX 10 mx.example.net.']);
    expect(lines(diff.added)).toEqual(['example.net. 300 MX 0 .']);
  });

  it('SPF over 10 lookups chains 11 includes from example.com, the last allowing the sandbox', () => {
    const after = preset('spf-too-many-lookups').apply(defaultZone());
    expect(txtAt(after, 'example.com')).toEqual(['v=spf1 include:s1._spf.example.com -all']);
    let name = 's1._spf.example.com';
    for (let hop = 1; hop < 11; hop++) name = /include:(\S+)/.exec(txtAt(after, name)[0] ?? '')?.[1] ?? 'broken chain';
    expect(name).toBe('s11._spf.example.com');
    expect(txtAt(after, name)).toEqual(['v=spf1 ip4:192.0.2.10 -all']);
    // Applying it twice does not stack a second chain.
    expect(checkZone(preset('spf-too-many-lookups').apply(after)).ok).toBe(true);
  });

  it('SPF ~all swaps only the qualifier of "all"', () => {
    const diff = diffZones(defaultZone(), preset('spf-softfail').apply(defaultZone()));
    expect(diff.removed.map((record) => record.value)).toEqual(['v=spf1 ip4:192.0.2.10 -all']);
    expect(diff.added.map((record) => record.value)).toEqual(['v=spf1 ip4:192.0.2.10 ~all']);
  });

  it("removing example.org's DKIM key removes exactly that record", () => {
    const diff = diffZones(defaultZone(), preset('no-dkim-key-org').apply(defaultZone()));
    expect(lines(diff.removed)).toEqual(['lab._domainkey.example.org. 3600 TXT v=DKIM1; k=rsa; p=MIIBorg']);
    expect(diff.added).toEqual([]);
  });

  it("DMARC p=none and p=quarantine replace example.net's policy", () => {
    for (const [id, policy] of [['dmarc-none-net', 'none'], ['dmarc-quarantine-net', 'quarantine']] as const) {
      const after = preset(id).apply(defaultZone());
      expect(txtAt(after, '_dmarc.example.net')).toEqual([`v=DMARC1; p=${policy}`]);
      expect(diffZones(defaultZone(), after).removed.map((record) => record.value)).toEqual(['v=DMARC1; p=reject']);
    }
  });

  it("removing example.org's primary MX leaves the secondary", () => {
    const after = preset('primary-mx-gone-org').apply(defaultZone());
    const mx = after.filter((record) => record.name === 'example.org' && record.type === 'MX').map((record) => parseMxValue(record.value));
    expect(mx).toEqual([{ priority: 20, exchange: 'mx2.example.org' }]);
  });
});

describe('groupZone', () => {
  it('puts each mail domain with its hosts, keys and policy; the three organisations first', () => {
    const zone = defaultZone();
    const groups = groupZone(zone);
    expect(groups.slice(0, 3).map((group) => group.domain)).toEqual(['example.com', 'example.net', 'example.org']);
    const names = (domain: string) => new Set(groups.find((group) => group.domain === domain)?.indexes.map((index) => zone[index]?.name));
    expect(names('example.org')).toEqual(new Set(['mx1.example.org', 'mx2.example.org', 'example.org', 'lab._domainkey.example.org', '_dmarc.example.org']));
    expect(names('spf-chain.example').has('s11._spf.spf-chain.example')).toBe(true);
    expect(names('no-mx.example')).toEqual(new Set(['no-mx.example', '_dmarc.no-mx.example']));
    expect(groups.flatMap((group) => group.indexes).sort((a, b) => a - b)).toEqual(zone.map((_, index) => index));
  });
});
