import dgram from 'node:dgram';
import dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { installNoNetworkGuard } from './no-network-guard.ts';

describe('installNoNetworkGuard', () => {
  it('records and refuses real DNS and UDP while installed, and restores them after', () => {
    const original = dns.promises.resolve;
    const guard = installNoNetworkGuard();
    try {
      expect(() => dns.promises.resolve('example.com', 'TXT')).toThrow(/never uses real DNS/);
      expect(() => dns.lookup('example.com', () => undefined)).toThrow(/never uses real DNS/);
      expect(() => dgram.createSocket('udp4')).toThrow(/never uses real DNS or UDP/);
      expect(guard.calls()).toEqual(['dns.promises.resolve(example.com, TXT)', 'dns.lookup(example.com)', 'dgram.createSocket(udp4)']);
    } finally {
      guard.restore();
    }
    expect(dns.promises.resolve).toBe(original);
  });
});
