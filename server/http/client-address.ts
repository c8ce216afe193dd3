/**
 * "The client's address" for every per-address limit (join, wrong-code and sign-in buckets, the
 * bridge's session limit). Behind a reverse proxy every request comes from the proxy, which
 * (HAProxy's `option forwardfor`) appends the address it saw to X-Forwarded-For: the right-most
 * entry is the one the proxy vouches for; entries before it are whatever the client sent. So the
 * header is read only from a peer named with `--trusted-proxy`, and only its last entry; from any
 * other peer it is ignored, or a student could claim a fresh address for every guess.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** What the limits key on when the socket has no address (it has already closed). */
const UNKNOWN = 'unknown';

/** The client address of a request, trusting X-Forwarded-For from `trustedProxies` only. */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = new BlockList();
  for (const address of trustedProxies) {
    const plain = unmapped(address);
    trusted.addAddress(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  }
  const isTrusted = (peer: string): boolean => {
    const plain = unmapped(peer);
    const family = isIP(plain);
    return family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const peer = req.socket.remoteAddress;
    if (peer === undefined) return UNKNOWN;
    if (trustedProxies.length === 0 || !isTrusted(peer)) return peer;
    // A proxy that sent no usable entry: its own address, one bucket for all such requests.
    return lastForwarded(req.headers['x-forwarded-for']) ?? peer;
  };
}

/** The right-most entry of X-Forwarded-For (Node joins repeated headers with ", "), if it is an IP address. */
function lastForwarded(header: string | string[] | undefined): string | null {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined?.split(',').at(-1)?.trim() ?? '';
  return isIP(last) === 0 ? null : unmapped(last);
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) as `127.0.0.1`. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}
