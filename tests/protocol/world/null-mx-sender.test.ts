import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { nullMxSenderRefusal, publishesNullMx } from '../../../protocol/world/null-mx-sender.ts';

const record = (name: string, type: DnsRecord['type'], value: string): DnsRecord => ({ name, type, ttl: 300, value });
const ZONE: readonly DnsRecord[] = [
  record('null-mx.example', 'MX', '0 .'),
  record('null-mx.example', 'A', '198.51.100.40'),
  record('alias.example', 'CNAME', 'null-mx.example.'),
  record('example.net', 'MX', '10 mx.example.net.'),
  record('no-mx.example', 'A', '198.51.100.30'),
];

describe('publishesNullMx (RFC 7505 §3)', () => {
  it('is true for the single MX "0 ." whatever the case of the name, and through a CNAME', () => {
    expect(publishesNullMx(ZONE, 'null-mx.example')).toBe(true);
    expect(publishesNullMx(ZONE, 'Null-MX.Example.')).toBe(true);
    expect(publishesNullMx(ZONE, 'alias.example')).toBe(true);
  });

  it('is false for a real MX, for no MX at all (implicit MX, RFC 5321 §5.1) and for a name not in the zone', () => {
    expect(publishesNullMx(ZONE, 'example.net')).toBe(false);
    expect(publishesNullMx(ZONE, 'no-mx.example')).toBe(false);
    expect(publishesNullMx(ZONE, 'elsewhere.test')).toBe(false);
  });

  it('is false for "0 ." beside another MX: that is not a null MX but a broken zone', () => {
    expect(publishesNullMx([record('mixed.example', 'MX', '0 .'), record('mixed.example', 'MX', '10 mx.mixed.example.')], 'mixed.example')).toBe(false);
  });
});

describe('nullMxSenderRefusal (RFC 7505 §4.2)', () => {
  it('refuses in Postfix\'s words, naming the address and the domain as given', () => {
    expect(nullMxSenderRefusal(ZONE, 'postfix', 'Alice@Null-MX.example')).toEqual({
      code: 550,
      text: '5.7.27 <Alice@Null-MX.example>: Sender address rejected: Domain Null-MX.example does not accept mail (nullMX)',
    });
  });

  it('refuses with RFC 7505\'s registered text for the modelled servers', () => {
    for (const personality of ['exim', 'gmail', 'exchange'] as const) {
      expect(nullMxSenderRefusal(ZONE, personality, 'bob@null-mx.example')).toEqual({ code: 550, text: '5.7.27 Sender address has null MX' });
    }
  });

  it('never refuses the null sender, a bare local part, or a sender at a domain that takes mail', () => {
    expect(nullMxSenderRefusal(ZONE, 'postfix', '')).toBeNull();
    expect(nullMxSenderRefusal(ZONE, 'postfix', 'postmaster')).toBeNull();
    expect(nullMxSenderRefusal(ZONE, 'postfix', 'bob@example.net')).toBeNull();
    expect(nullMxSenderRefusal(ZONE, 'postfix', 'bob@no-mx.example')).toBeNull();
  });
});
