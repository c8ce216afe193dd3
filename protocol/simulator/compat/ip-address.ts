/**
 * Node's `net.isIPv4`/`net.isIPv6` (lib/internal/net.js, Node 20) and smtp-server's
 * RFC 5952 IPv6 normalization (ipv6-normalize.js), in pure TypeScript. smtp-server uses them
 * to check address literals such as `<user@[IPv6:2001:db8::1]>` and to normalize the
 * client address it prints in the EHLO reply.
 */

const V4_SEGMENT = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4_ADDRESS = `(?:${V4_SEGMENT}\\.){3}${V4_SEGMENT}`;
const IPV4 = new RegExp(`^${V4_ADDRESS}$`);

const V6_SEGMENT = '(?:[0-9a-fA-F]{1,4})';
const IPV6 = new RegExp(
  '^(?:' +
    `(?:${V6_SEGMENT}:){7}(?:${V6_SEGMENT}|:)|` +
    `(?:${V6_SEGMENT}:){6}(?:${V4_ADDRESS}|:${V6_SEGMENT}|:)|` +
    `(?:${V6_SEGMENT}:){5}(?::${V4_ADDRESS}|(?::${V6_SEGMENT}){1,2}|:)|` +
    `(?:${V6_SEGMENT}:){4}(?:(?::${V6_SEGMENT}){0,1}:${V4_ADDRESS}|(?::${V6_SEGMENT}){1,3}|:)|` +
    `(?:${V6_SEGMENT}:){3}(?:(?::${V6_SEGMENT}){0,2}:${V4_ADDRESS}|(?::${V6_SEGMENT}){1,4}|:)|` +
    `(?:${V6_SEGMENT}:){2}(?:(?::${V6_SEGMENT}){0,3}:${V4_ADDRESS}|(?::${V6_SEGMENT}){1,5}|:)|` +
    `(?:${V6_SEGMENT}:){1}(?:(?::${V6_SEGMENT}){0,4}:${V4_ADDRESS}|(?::${V6_SEGMENT}){1,6}|:)|` +
    `(?::(?:(?::${V6_SEGMENT}){0,5}:${V4_ADDRESS}|(?::${V6_SEGMENT}){1,7}|:))` +
    ')(?:%[0-9a-zA-Z-.:]{1,})?$',
);

/** True for a dotted-quad IPv4 address, exactly like Node's `net.isIPv4`. */
export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** True for an IPv6 address (optionally with a zone), exactly like Node's `net.isIPv6`. */
export function isIPv6(text: string): boolean {
  return IPV6.test(text);
}

/**
 * The canonical RFC 5952 text of an IPv6 address that passed `isIPv6`: lowercase, no leading
 * zeros, the first longest run of two or more zero groups as `::`, an IPv4 tail kept dotted.
 */
export function normalizeIPv6(address: string): string {
  let rest = address.toLowerCase();
  let zone = '';
  const zoneStart = rest.indexOf('%');
  if (zoneStart >= 0) {
    zone = rest.slice(zoneStart);
    rest = rest.slice(0, zoneStart);
  }
  let ipv4 = '';
  const lastColon = rest.lastIndexOf(':');
  if (rest.indexOf('.', lastColon) >= 0) {
    ipv4 = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon + 1);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const groups = expandGroups(rest, ipv4 ? 6 : 8);
  if (!groups) return address.toLowerCase();
  let result = compressGroups(groups);
  if (ipv4) result += (result.endsWith(':') ? '' : ':') + ipv4;
  return result + zone;
}

function expandGroups(hex: string, total: number): string[] | null {
  const halves = hex.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = total - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16).toString(16));
}

function compressGroups(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; start++) {
    let end = start;
    while (end < groups.length && groups[end] === '0') end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = Math.max(start, end);
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

/**
 * The client address as smtp-server stores it: without the IPv4-mapped `::ffff:` prefix,
 * IPv6 in canonical form, lowercase.
 */
export function normalizeClientAddress(raw: string): string {
  let address = raw.trim().replace(/^::ffff:/i, '');
  if (address && isIPv6(address)) address = normalizeIPv6(address);
  return address.toLowerCase();
}
