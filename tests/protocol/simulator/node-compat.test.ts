import net from 'node:net';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64LikeNode, decodeBase64TextLikeNode } from '../../../protocol/simulator/compat/node-base64.ts';
import { isIPv4, isIPv6, normalizeClientAddress, normalizeIPv6 } from '../../../protocol/simulator/compat/ip-address.ts';
import { toUnicode } from '../../../protocol/simulator/compat/punycode.ts';

const punycode = createRequire(import.meta.url)('punycode.js') as { toUnicode(input: string): string };

/** Strings built from the characters that matter to each decoder, plus some noise. */
function stringOf(characters: string, maxLength = 24) {
  return fc.array(fc.constantFrom(...characters), { maxLength }).map((parts) => parts.join(''));
}

describe('decodeBase64LikeNode', () => {
  it('decodes like Buffer.from(text, "base64")', () => {
    const characters = 'ABCYWJjZQ09+/-_= \t!*.\u0141\u013d\u00ff\u0000\n';
    fc.assert(
      fc.property(stringOf(characters, 40), (text) => {
        expect([...decodeBase64LikeNode(text)]).toEqual([...Buffer.from(text, 'base64')]);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes valid base64 text to UTF-8 like Buffer#toString', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        const encoded = Buffer.from(text, 'utf8').toString('base64');
        expect(decodeBase64TextLikeNode(encoded)).toBe(Buffer.from(encoded, 'base64').toString());
      }),
    );
  });

  it('is lenient where RFC 4648 is strict', () => {
    expect(decodeBase64TextLikeNode('YW Jj')).toBe('abc');
    expect(decodeBase64TextLikeNode('YWJj=YWJj')).toBe('abc');
    expect(decodeBase64TextLikeNode('*')).toBe('');
  });
});

describe('IP address checks', () => {
  it('agree with net.isIPv4 and net.isIPv6', () => {
    const ipv4ish = stringOf('0123456789.', 16);
    const ipv6ish = stringOf('0f:Fa.19%z', 30);
    fc.assert(
      fc.property(fc.oneof(ipv4ish, ipv6ish), (text) => {
        expect(isIPv4(text)).toBe(net.isIPv4(text));
        expect(isIPv6(text)).toBe(net.isIPv6(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('normalizes IPv6 and IPv4-mapped client addresses like smtp-server', () => {
    expect(normalizeIPv6('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeIPv6('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(normalizeClientAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeClientAddress('2001:0DB8::0001')).toBe('2001:db8::1');
  });
});

describe('toUnicode', () => {
  it('agrees with punycode.js, including its errors', () => {
    const label = stringOf('abcxyz019-', 12).map((text) => `xn--${text}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(label, stringOf('abc', 4)), { minLength: 1, maxLength: 3 }), (labels) => {
        const domain = labels.join('.');
        let expected: string;
        try {
          expected = punycode.toUnicode(domain);
        } catch (error) {
          expect(() => toUnicode(domain)).toThrow((error as Error).message);
          return;
        }
        expect(toUnicode(domain)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes a known IDN', () => {
    expect(toUnicode('xn--bcher-kva.example')).toBe('bücher.example');
  });
});
