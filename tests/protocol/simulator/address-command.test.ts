import { describe, expect, it } from 'vitest';
import { parseAddressCommand } from '../../../protocol/simulator/address-command.ts';

describe('parseAddressCommand', () => {
  it.each([
    ['MAIL FROM:<alice@example.com>', 'alice@example.com'],
    ['mail from: <alice@example.com>', 'alice@example.com'],
    ['MAIL FROM:<>', ''],
    ['MAIL FROM:<@relay.example:alice@example.com>', 'alice@example.com'],
    ['MAIL FROM:<a@[192.0.2.1]>', 'a@[192.0.2.1]'],
    ['MAIL FROM:<a@[ipv6:2001:DB8:0::1]>', 'a@[IPv6:2001:db8::1]'],
    ['MAIL FROM:<a@xn--bcher-kva.example>', 'a@bücher.example'],
  ])('accepts %s', (line, address) => {
    expect(parseAddressCommand('MAIL FROM', line)?.address).toBe(address);
  });

  it.each([
    'MAIL FROM:alice@example.com',
    'MAIL FROM <alice@example.com>',
    'MAIL  FROM:<alice@example.com>',
    'MAIL FROM:<alice>',
    'MAIL FROM:<.alice@example.com>',
    'MAIL FROM:<alice@exa_mple.com>',
    'MAIL FROM:<a@[300.0.0.1]>',
    'MAIL FROM:<a@b.com> ENVID=x+0Ay',
    'RCPT TO:<a@b.com>',
  ])('refuses %s', (line) => {
    expect(parseAddressCommand('MAIL FROM', line)).toBeNull();
  });

  it('accepts the domainless postmaster only as a recipient', () => {
    expect(parseAddressCommand('RCPT TO', 'RCPT TO:<Postmaster>')?.address).toBe('Postmaster');
    expect(parseAddressCommand('MAIL FROM', 'MAIL FROM:<postmaster>')).toBeNull();
  });

  it('reads parameters, xtext and duplicates', () => {
    const parsed = parseAddressCommand('MAIL FROM', 'MAIL FROM:<a@b.com> size=10 SMTPUTF8 ENVID=a+2Bb SIZE=20 =x');
    expect(parsed?.params).toEqual(
      new Map<string, string | true>([
        ['SIZE', '20'],
        ['SMTPUTF8', true],
        ['ENVID', 'a+b'],
      ]),
    );
    expect(parsed?.duplicate).toBe('SIZE');
  });
});
