import { describe, expect, it } from 'vitest';
import { explainRecord } from '../../../web/src/world/record-explanation.ts';
import { defaultZone, rec } from './world-fixtures.ts';

const zone = defaultZone();
const explain = (record: ReturnType<typeof rec>, within = zone) => explainRecord(record, within);

describe('explainRecord', () => {
  it('MX: the lowest priority number goes first, a higher one is the fallback, a tie is shared', () => {
    expect(explain(rec('example.net', 'MX', '10 mx.example.net.')).meaning).toBe('Mail for example.net goes first to mx.example.net (priority 10: lower numbers are tried first).');
    expect(explain(rec('example.org', 'MX', '20 mx2.example.org.')).meaning).toBe(
      'Mail for example.org goes to mx2.example.org when the host with a lower priority number cannot take it (priority 20: lower numbers are tried first).',
    );
    const tied = [rec('tie.example', 'MX', '10 a.tie.example.'), rec('tie.example', 'MX', '10 b.tie.example.')];
    expect(explain(tied[0]!, tied).meaning).toContain('goes first to a.tie.example (shared at random with the other host of the same priority)');
    expect(explain(rec('example.net', 'MX', '10 mx.example.net.')).affects).toContain("senders use example.net's own address (RFC 5321 §5.1)");
  });

  it('null MX: no mail at all, 556 5.1.10 at once (RFC 7505)', () => {
    const { meaning } = explain(rec('null-mx.example', 'MX', '0 .'));
    expect(meaning).toContain('Null MX (RFC 7505): null-mx.example takes no mail at all');
    expect(meaning).toContain('556 5.1.10');
  });

  it('SPF: names the MAIL FROM domain, the allowed sources and what -all, ~all, ?all and no all do', () => {
    const spf = explain(rec('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all'));
    expect(spf.meaning).toBe(
      'SPF — only 192.0.2.10 may send mail with MAIL FROM @example.com (or HELO example.com); anything else fails (-all). SPF checks the envelope\'s MAIL FROM domain, not the From header.',
    );
    expect(spf.affects).toBe('Editing it changes the SPF verdict for mail whose MAIL FROM is @example.com; DMARC counts that verdict only when example.com aligns with the From domain.');
    expect(explain(rec('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 ~all')).meaning).toContain('anything else soft-fails (~all');
    expect(explain(rec('example.com', 'TXT', 'v=spf1 a mx ?all')).meaning).toContain('only the addresses of example.com and the mail servers (MX hosts) of example.com may send');
    expect(explain(rec('example.com', 'TXT', 'v=spf1 a mx ?all')).meaning).toContain('Its terms make 2 of the 10 DNS lookups allowed');
    expect(explain(rec('x.example', 'TXT', 'v=spf1 ip4:192.0.2.1')).meaning).toContain('the default is neutral, RFC 7208 §4.7');
    expect(explain(rec('null-mx.example', 'TXT', 'v=spf1 -all')).meaning).toContain('no server may send mail with MAIL FROM @null-mx.example');
    expect(explain(rec('x.example', 'TXT', 'v=spf1 +all')).meaning).toContain('+all passes everything');
    expect(explain(rec('x.example', 'TXT', 'v=spf1 include:a.example redirect=b.example')).meaning).toContain("anything else gets b.example's SPF verdict (redirect)");
  });

  it('SPF: more than 10 lookups of its own, or two SPF records at one name, is permerror', () => {
    const many = `v=spf1 ${Array.from({ length: 11 }, (_, n) => `a:h${n}.example.com`).join(' ')} -all`;
    expect(explain(rec('example.com', 'TXT', many)).meaning).toContain('11 DNS lookups: over the limit of 10, so the verdict is permerror (RFC 7208 §4.6.4)');
    const two = [rec('d.example', 'TXT', 'v=spf1 -all'), rec('d.example', 'TXT', 'v=spf1 ip4:192.0.2.1 -all')];
    expect(explain(two[0]!, two).meaning).toContain('d.example publishes 2 SPF records: that alone makes the verdict permerror (RFC 7208 §4.5)');
  });

  it('DKIM key: selector and d=, a revoked key, and what removing it does to DMARC', () => {
    const key = explain(rec('lab._domainkey.example.org', 'TXT', 'v=DKIM1; k=rsa; p=MIIBorg'));
    expect(key.meaning).toBe('DKIM public key (RFC 6376) of example.org, selector lab (rsa): receivers verify signatures carrying d=example.org; s=lab with it.');
    expect(key.affects).toContain('signatures with d=example.org and s=lab fail');
    expect(key.affects).toContain('passes only if SPF passes for an aligned MAIL FROM domain');
    expect(explain(rec('lab._domainkey.example.org', 'TXT', 'v=DKIM1; p=')).meaning).toContain('revoked DKIM key');
  });

  it('DMARC: the From domain, what each policy does, "either one is enough", and the alignment modes', () => {
    const reject = explain(rec('_dmarc.example.org', 'TXT', 'v=DMARC1; p=reject'));
    expect(reject.meaning).toContain('DMARC (RFC 7489) for mail whose From is @example.org: mail that fails DMARC is refused.');
    expect(reject.meaning).toContain('either one is enough');
    expect(reject.meaning).toContain('the MAIL FROM domain may be example.org or a subdomain of it (relaxed)');
    expect(explain(rec('_dmarc.example.net', 'TXT', 'v=DMARC1; p=quarantine; adkim=s')).meaning).toMatch(/delivered marked as junk .*DKIM's d= must be exactly example.net \(strict\)/);
    expect(explain(rec('_dmarc.p-none.example', 'TXT', 'v=DMARC1; p=none')).meaning).toContain('is delivered anyway');
    expect(explain(rec('_dmarc.x.example', 'TXT', 'v=DMARC1')).meaning).toContain('p= is missing');
  });

  it('DMARC without a valid p=: a valid rua= makes it p=none, otherwise no DMARC policy (RFC 7489 §6.6.3)', () => {
    const withRua = explain(rec('_dmarc.x.example', 'TXT', 'v=DMARC1; rua=mailto:reports@x.example')).meaning;
    expect(withRua).toContain('p= is missing, but rua= holds a valid report address, so receivers act as if p=none (RFC 7489 §6.6.3)');
    expect(withRua).toContain('is delivered anyway');
    expect(explain(rec('_dmarc.x.example', 'TXT', 'v=DMARC1; p=block; rua=bad address, mailto:d@x.example!10m')).meaning).toContain('p= is "block", not none, quarantine or reject, but rua= holds a valid report address');
    for (const value of ['v=DMARC1', 'v=DMARC1; rua=not a uri', 'v=DMARC1; p=block']) {
      const meaning = explain(rec('_dmarc.x.example', 'TXT', value)).meaning;
      expect(meaning).toContain('the record is invalid: receivers find no DMARC policy for x.example and apply no DMARC processing (RFC 7489 §6.6.3)');
      expect(meaning).not.toContain('as if p=none');
    }
  });

  it('A, AAAA, CNAME and plain TXT', () => {
    expect(explain(rec('mx.example.net', 'A', '198.51.100.20')).meaning).toBe('mx.example.net is at the IPv4 address 198.51.100.20.');
    expect(explain(rec('no-mx.example', 'A', '198.51.100.30')).affects).toContain('implicit MX, RFC 5321 §5.1');
    expect(explain(rec('mx.example.net', 'AAAA', '2001:db8:51::20')).meaning).toContain('IPv6 address 2001:db8:51::20');
    expect(explain(rec('www.example.com', 'CNAME', 'example.com.')).meaning).toContain('gets the records of example.com instead');
    expect(explain(rec('example.com', 'TXT', 'hello')).meaning).toContain('not an SPF, DKIM or DMARC record');
  });
});
