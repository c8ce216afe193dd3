import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { labTargets } from '../../../server/app/lab-targets.ts';

describe('labTargets', () => {
  it('labels each lab host by its role: an MX, or the implicit MX of a domain with no MX record (RFC 5321 §5.1)', () => {
    const labels = labTargets(DEFAULT_HOSTS, { addressOf: () => ({ host: '127.0.0.1', port: 2500 }) }).map((target) => target.label);
    expect(labels).toContain('Lab: mx.example.net, MX of example.net (Postfix 3.7)');
    expect(labels).toContain('Lab: no-mx.example, implicit MX of no-mx.example (Exim 4.99.1)');
  });

  it('leaves out a host the lab network does not serve', () => {
    expect(labTargets(DEFAULT_HOSTS, { addressOf: () => null })).toEqual([]);
  });
});
