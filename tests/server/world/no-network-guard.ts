/**
 * Proof that a world test never leaves the lab: while installed, every `node:dns` entry point
 * and `dgram.createSocket` record their call and throw, so a stray real-DNS lookup or UDP socket
 * fails loudly and `calls()` names it. Use in a test file:
 *   const guard = installNoNetworkGuard(); afterAll(() => { guard.restore(); });
 *   ... expect(guard.calls()).toEqual([]);
 * The functions are replaced on the modules' shared objects, which is what mailauth (CommonJS)
 * reads at call time (`dns.promises.resolve`).
 */
import dgram from 'node:dgram';
import dns from 'node:dns';

const DNS_FUNCTIONS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'resolvePtr', 'resolveNaptr', 'resolveSoa', 'reverse'] as const;

export interface NoNetworkGuard {
  /** Every forbidden call made since install, as `dns.resolveTxt(example.com)`. */
  calls(): readonly string[];
  restore(): void;
}

type Replaceable = Record<string, unknown>;

export function installNoNetworkGuard(): NoNetworkGuard {
  const recorded: string[] = [];
  const originals: { target: Replaceable; name: string; value: unknown }[] = [];
  const replace = (target: Replaceable, label: string, name: string) => {
    originals.push({ target, name, value: target[name] });
    target[name] = (...args: unknown[]) => {
      const call = `${label}.${name}(${args.filter((arg) => typeof arg === 'string').join(', ')})`;
      recorded.push(call);
      throw new Error(`${call}: the lab never uses real DNS or UDP`);
    };
  };
  for (const name of DNS_FUNCTIONS) {
    replace(dns as unknown as Replaceable, 'dns', name);
    replace(dns.promises as unknown as Replaceable, 'dns.promises', name);
  }
  replace(dgram as unknown as Replaceable, 'dgram', 'createSocket');
  return {
    calls: () => [...recorded],
    restore: () => {
      for (const { target, name, value } of originals.reverse()) target[name] = value;
    },
  };
}
