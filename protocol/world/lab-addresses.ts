/**
 * The addresses a lab record may hold: only the documentation ranges, RFC 5737 for IPv4
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and RFC 3849 for IPv6 (2001:db8::/32).
 * They are routed nowhere, so a lab record can never point real traffic at a real host.
 */

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
const IPV4_LAB_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'] as const;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

export const LAB_RANGES_TEXT = '192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737) or 2001:db8::/32 (RFC 3849)';

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function isLabIpv4(text: string): boolean {
  return isIpv4(text) && IPV4_LAB_PREFIXES.some((prefix) => text.startsWith(prefix));
}

/** The eight 16-bit groups of an IPv6 address in text form (RFC 4291 §2.2, without an embedded IPv4 tail), or null. */
export function ipv6Groups(text: string): number[] | null {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return null;
  const split = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':'));
  const head = split(halves[0]);
  const tail = split(halves[1]);
  if (![...head, ...tail].every((group) => HEX_GROUP.test(group))) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const zeros = halves.length === 2 ? Array.from({ length: missing }, () => '0') : [];
  return [...head, ...zeros, ...tail].map((group) => parseInt(group, 16));
}

export function isLabIpv6(text: string): boolean {
  const groups = ipv6Groups(text);
  return groups !== null && groups[0] === 0x2001 && groups[1] === 0x0db8;
}
