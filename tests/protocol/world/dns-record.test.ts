import { describe, expect, it } from 'vitest';
import { checkZone, MAX_ZONE_RECORDS, type DnsRecord } from '../../../protocol/world/dns-record.ts';

const r = (name: string, type: string, value: string, ttl: number = 300) => ({ name, type, ttl, value });

describe('checkZone: records that are accepted', () => {
  it.each([
    ['an A record in 192.0.2.0/24', r('mx.example.com', 'A', '192.0.2.10')],
    ['an A record in 198.51.100.0/24', r('mx.example.net', 'A', '198.51.100.255')],
    ['an A record in 203.0.113.0/24', r('mx.example.org', 'A', '203.0.113.0')],
    ['an AAAA record in 2001:db8::/32, compressed', r('mx.example.net', 'AAAA', '2001:db8::25')],
    ['an AAAA record written in full', r('mx.example.net', 'AAAA', '2001:0DB8:0:0:0:0:0:1')],
    ['an MX with an absolute target', r('example.net', 'MX', '10 mx.example.net.')],
    ['an MX with a relative-looking target', r('example.net', 'MX', '20 mx2.example.net')],
    ['a null MX', r('null-mx.example', 'MX', '0 .')],
    ['an SPF TXT', r('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all')],
    ['a TXT longer than 255 characters', r('lab._domainkey.example.com', 'TXT', `v=DKIM1; p=${'A'.repeat(400)}`)],
    ['an empty TXT', r('example.com', 'TXT', '')],
    ['a CNAME', r('www.example.com', 'CNAME', 'mail.example.com.')],
    ['underscore labels', r('_dmarc.example.com', 'TXT', 'v=DMARC1; p=reject')],
    ['TTL 0', r('example.com', 'A', '192.0.2.1', 0)],
    ['the largest TTL', r('example.com', 'A', '192.0.2.1', 2_147_483_647)],
  ])('%s', (_what, record) => {
    const check = checkZone([record]);
    expect(check).toMatchObject({ ok: true });
  });

  it('stores names lower-case without the trailing dot, and targets as written', () => {
    const check = checkZone([r('MX.Example.NET.', 'A', '198.51.100.20'), r('Example.net', 'MX', '10 MX.example.net.')]);
    expect(check.ok && check.records).toEqual<DnsRecord[]>([
      { name: 'mx.example.net', type: 'A', ttl: 300, value: '198.51.100.20' },
      { name: 'example.net', type: 'MX', ttl: 300, value: '10 MX.example.net.' },
    ]);
  });
});

describe('checkZone: one problem per bad record, with its index', () => {
  it.each([
    ['an address outside the documentation ranges', r('mx.example.com', 'A', '8.8.8.8'), /outside the lab's address ranges.*RFC 5737.*can ever reach a real host/],
    ['a private address', r('mx.example.com', 'A', '10.0.0.1'), /outside the lab/],
    ['an address with a number over 255', r('mx.example.com', 'A', '192.0.2.256'), /not an IPv4 address/],
    ['an IPv6 address outside 2001:db8::/32', r('mx.example.com', 'AAAA', '2001:4860::8888'), /outside the lab.*RFC 3849/],
    ['an IPv6 address with two ::', r('mx.example.com', 'AAAA', '2001:db8::1::2'), /not an IPv6 address/],
    ['an IPv6 address in an A record', r('mx.example.com', 'A', '2001:db8::1'), /not an IPv4 address/],
    ['an MX without a priority', r('example.net', 'MX', 'mx.example.net.'), /write the priority/],
    ['an MX priority over 65535', r('example.net', 'MX', '70000 mx.example.net.'), /0 to 65535/],
    ['a null MX with a priority other than 0', r('example.net', 'MX', '10 .'), /priority 0/],
    ['an MX target with a bad label', r('example.net', 'MX', '10 mx..example.net'), /empty label/],
    ['a name with a space', r('mail example.com', 'A', '192.0.2.1'), /label "mail example"/],
    ['a name with a label starting with a hyphen', r('-mx.example.com', 'A', '192.0.2.1'), /not starting or ending with a hyphen/],
    ['a label of 64 characters', r(`${'a'.repeat(64)}.example.com`, 'A', '192.0.2.1'), /1 to 63/],
    ['a one-label name', r('localhost', 'A', '192.0.2.1'), /one label/],
    ['an empty name', r('', 'A', '192.0.2.1'), /empty/],
    ['a negative TTL', r('example.com', 'A', '192.0.2.1', -1), /RFC 2181/],
    ['a TTL too large', r('example.com', 'A', '192.0.2.1', 2_147_483_648), /RFC 2181/],
    ['a fractional TTL', r('example.com', 'A', '192.0.2.1', 1.5), /whole number/],
    ['an unknown type', r('example.com', 'NS', 'ns.example.com.'), /type must be one of A, AAAA, MX, TXT, CNAME/],
    ['a CNAME with two names', r('www.example.com', 'CNAME', 'a.example.com b.example.com'), /one name/],
    ['a TXT with a control character', r('example.com', 'TXT', 'v=spf1\n-all'), /printable ASCII/],
    ['a TXT over the cap', r('example.com', 'TXT', 'x'.repeat(4001)), /up to 4000/],
    ['an unknown field', { ...r('example.com', 'A', '192.0.2.1'), priority: 10 }, /Unknown field "priority"/],
    ['not an object', 'example.com A 192.0.2.1', /an object/],
    ['a missing value', { name: 'example.com', type: 'A', ttl: 300 }, /value must be text/],
  ])('%s', (_what, record, message) => {
    const good = r('ok.example.com', 'A', '192.0.2.2');
    const check = checkZone([good, record]);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]?.index).toBe(1);
    expect(check.problems[0]?.message).toMatch(message);
  });

  it('refuses a CNAME beside other data at the same name (RFC 1034 §3.6.2)', () => {
    const check = checkZone([r('www.example.com', 'A', '192.0.2.1'), r('WWW.example.com.', 'CNAME', 'mail.example.com.')]);
    expect(check).toEqual({ ok: false, problems: [{ index: 1, message: expect.stringMatching(/CNAME must be the only record.*RFC 1034/) }] });
  });

  it('refuses two CNAMEs at one name', () => {
    const check = checkZone([r('www.example.com', 'CNAME', 'a.example.com'), r('www.example.com', 'CNAME', 'b.example.com')]);
    expect(check.ok ? [] : check.problems.map((problem) => problem.index)).toEqual([0, 1]);
  });

  it('refuses a null MX beside another MX (RFC 7505 §3)', () => {
    const check = checkZone([r('example.com', 'MX', '10 mx.example.com.'), r('example.com', 'MX', '0 .')]);
    expect(check).toEqual({ ok: false, problems: [{ index: 1, message: expect.stringMatching(/RFC 7505/) }] });
  });

  it('refuses a duplicate, however its name and target are written', () => {
    const check = checkZone([
      r('example.net', 'MX', '10 mx.example.net.'),
      r('Example.NET.', 'MX', '10 mx.example.net', 60),
      r('mx.example.net', 'AAAA', '2001:db8::1'),
      r('mx.example.net', 'AAAA', '2001:DB8:0::0:1'),
    ]);
    expect(check).toEqual({
      ok: false,
      problems: [
        { index: 1, message: expect.stringMatching(/repeats record 0/) },
        { index: 3, message: expect.stringMatching(/repeats record 2/) },
      ],
    });
  });

  it('reports every bad record, not only the first', () => {
    const check = checkZone([r('example.com', 'A', '1.1.1.1'), r('example.com', 'A', '192.0.2.1'), r('example.com', 'MX', 'x')]);
    expect(check.ok ? [] : check.problems.map((problem) => problem.index)).toEqual([0, 2]);
  });

  it('caps the number of records', () => {
    const many = Array.from({ length: MAX_ZONE_RECORDS + 1 }, (_, i) => r(`h${i}.example.com`, 'A', '192.0.2.1'));
    expect(checkZone(many)).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/at most 500 records/) }] });
    expect(checkZone(many.slice(1))).toMatchObject({ ok: true });
  });
});
