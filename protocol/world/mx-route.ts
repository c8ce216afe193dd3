/**
 * Where mail for a domain goes next, as RFC 5321 §5.1 says a sending MTA decides: the MX
 * records in priority order (lowest first; equal priorities in random order, so load
 * spreads), each host's addresses; no MX records → the domain itself is the one host
 * ("implicit MX", when it has an address); a null MX (RFC 7505: the single record `0 .`)
 * → the domain takes no mail, and the sender fails at once with 556 5.1.10; a domain not in
 * the lab → nothing to try. Every lookup goes through the lab resolver, so its `onLookup`
 * sees them as the journey's DNS steps.
 */
import { DnsError, type LabResolver, type MxAnswer } from './lab-resolver.ts';
import { canonicalName } from './dns-record.ts';

export interface NextHop {
  /** The host's name (the MX target, or the domain itself for an implicit MX). */
  readonly host: string;
  /** Its MX priority; 0 for an implicit MX. */
  readonly priority: number;
  /** Its lab addresses (A, then AAAA), in the resolver's order. */
  readonly addresses: readonly string[];
}

/** The reply a sender uses when a domain's null MX says it takes no mail (RFC 7505 §4.2). */
export const NULL_MX_REPLY = { code: 556, enhanced: '5.1.10', text: 'Recipient address has null MX' } as const;

export type MxRoute =
  /** Try these in order; a host whose addresses all failed is followed by the next. */
  | { readonly kind: 'hosts'; readonly hosts: readonly NextHop[]; readonly implicit: boolean }
  /** RFC 7505: the domain publishes a null MX; no attempt is made. */
  | { readonly kind: 'null-mx'; readonly reply: typeof NULL_MX_REPLY }
  /** The domain is not in the lab's zone (NXDOMAIN): nothing leaves the machine to look further. */
  | { readonly kind: 'no-such-domain'; readonly message: string }
  /** The domain exists but neither an MX nor its own address leads to a host with an address. */
  | { readonly kind: 'no-mail-host'; readonly message: string }
  /** A lookup timed out or failed: a temporary failure, the queue tries again later. */
  | { readonly kind: 'dns-failure'; readonly message: string };

/** A random number in [0, 1): injected so tests can fix the order of equal-priority hosts. */
export type RandomSource = () => number;

export async function routeMail(domain: string, resolve: LabResolver, random: RandomSource): Promise<MxRoute> {
  const name = canonicalName(domain);
  try {
    const mx = await lookupOrEmpty(() => resolve(name, 'MX'));
    if (mx === 'nxdomain') return { kind: 'no-such-domain', message: `${name} is not a domain in the lab, so there is nowhere to deliver it.` };
    if (mx.length === 1 && mx[0]?.exchange === '') return { kind: 'null-mx', reply: NULL_MX_REPLY };
    if (mx.length === 0) {
      const addresses = await addressesOf(name, resolve);
      return addresses.length === 0
        ? { kind: 'no-mail-host', message: `${name} has no MX records and no address of its own: there is no mail server to try.` }
        : { kind: 'hosts', hosts: [{ host: name, priority: 0, addresses }], implicit: true };
    }
    const hosts: NextHop[] = [];
    for (const { exchange, priority } of byPriority(mx.filter((record) => record.exchange !== ''), random)) {
      const addresses = await addressesOf(exchange, resolve);
      if (addresses.length > 0) hosts.push({ host: exchange, priority, addresses });
    }
    return hosts.length === 0
      ? { kind: 'no-mail-host', message: `None of ${name}'s MX hosts has an address in the lab.` }
      : { kind: 'hosts', hosts, implicit: false };
  } catch (error) {
    if (error instanceof DnsError) {
      return { kind: 'dns-failure', message: `Looking up ${error.hostname} failed (${error.code}): a temporary DNS failure, try again later.` };
    }
    throw error;
  }
}

/**
 * The hosts to try once the sender finds itself among them (RFC 5321 §5.1): its own record and
 * every one of equal or lower preference go, since mail handed to them would come back or go
 * round; an empty list means the domain's best MX is the sender itself, a loop.
 */
export function routeWithoutSelf(hosts: readonly NextHop[], hostname: string, ip: string): readonly NextHop[] {
  const self = hosts.find((hop) => hop.host.toLowerCase() === hostname.toLowerCase() || hop.addresses.includes(ip));
  return self === undefined ? hosts : hosts.filter((hop) => hop.priority < self.priority);
}

/** Sorted by priority, lowest first; records of equal priority shuffled (Fisher–Yates). */
export function byPriority(records: readonly MxAnswer[], random: RandomSource): MxAnswer[] {
  const groups = new Map<number, MxAnswer[]>();
  for (const record of records) groups.set(record.priority, [...(groups.get(record.priority) ?? []), record]);
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .flatMap((priority) => {
      const group = [...(groups.get(priority) ?? [])];
      for (let i = group.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [group[i], group[j]] = [group[j] as MxAnswer, group[i] as MxAnswer];
      }
      return group;
    });
}

async function addressesOf(host: string, resolve: LabResolver): Promise<string[]> {
  const v4 = await lookupOrEmpty(() => resolve(host, 'A'));
  const v6 = await lookupOrEmpty(() => resolve(host, 'AAAA'));
  return [...(v4 === 'nxdomain' ? [] : v4), ...(v6 === 'nxdomain' ? [] : v6)];
}

/** The answer; [] for NODATA; 'nxdomain' for a name that does not exist. Other failures propagate. */
async function lookupOrEmpty<T>(lookup: () => Promise<T[]>): Promise<T[] | 'nxdomain'> {
  try {
    return await lookup();
  } catch (error) {
    if (error instanceof DnsError && error.code === 'ENODATA') return [];
    if (error instanceof DnsError && error.code === 'ENOTFOUND') return 'nxdomain';
    throw error;
  }
}
