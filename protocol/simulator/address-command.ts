/**
 * smtp-server's `_parseAddressCommand`: reads `MAIL FROM:<addr> PARAMS` and
 * `RCPT TO:<addr> PARAMS` the way smtp-server 3.21 does (strict address checks, xtext
 * parameter values), so the simulator accepts and refuses exactly the same lines.
 */
import { isIPv4, isIPv6, normalizeIPv6 } from './compat/ip-address.ts';
import { toUnicode } from './compat/punycode.ts';

/** A parameter given without `=value` is `true`. */
export type ParameterValue = string | true;

export interface AddressCommand {
  /** Without brackets or source route; "" for `<>`; the domain converted from punycode. */
  readonly address: string;
  /** Upper-cased keyword to value, in the order given. */
  readonly params: ReadonlyMap<string, ParameterValue>;
  /** The first keyword given twice, if any (the handler refuses the command). */
  readonly duplicate: string | null;
}

/** C0 and C1 control characters: never allowed in parameter values or user names. */
export const CONTROL_CHARS = /[\x00-\x1F\x7F-\x9F]/;
/** Control characters and invisible formatting characters, refused in addresses. */
const ADDRESS_UNSAFE_CHARS = /[\x00-\x1F\x7F-\x9F\u200B\u2060\uFEFF]/;
/** RFC 5321 §4.5.3.1.3: the path is at most 256 octets, so local@domain at most 253. */
const MAX_ADDRESS_LENGTH = 253;

/** RFC 3461 xtext: `+XX` is a hex escape (upper-case hex only, as smtp-server reads it). */
function decodeXtext(value: string): string {
  return value.replace(/\+([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Parses `line` as the command `name` ("MAIL FROM" or "RCPT TO"). Returns null where
 * smtp-server's parser returns false (the handler answers 501).
 */
export function parseAddressCommand(name: 'MAIL FROM' | 'RCPT TO', line: string): AddressCommand | null {
  const pieces = line.split(':');
  const verb = (pieces.shift() ?? '').trim().toUpperCase();
  const words = pieces.join(':').trim().split(/\s+/);
  let address = words.shift() ?? '';
  let invalid = false;
  if (verb !== name) return null;

  if (!/^<[^<>]*>$/.test(address)) {
    invalid = true;
  } else {
    // RFC 5321 §4.1.2 and appendix C: a source route ("@relay:") is accepted and ignored.
    address = address.slice(1, -1).replace(/^@[^\s,:@]+(?:,@[^\s,:@]+)*:/, '');
  }

  const params = new Map<string, ParameterValue>();
  let duplicate: string | null = null;
  for (const word of words) {
    const parts = word.split('=');
    const key = (parts.shift() ?? '').toUpperCase();
    let value: ParameterValue = parts.join('=') || true;
    if (!key || key.trim() === '') continue;
    if (typeof value === 'string') {
      value = decodeXtext(value);
      if (CONTROL_CHARS.test(value)) {
        invalid = true;
        continue;
      }
    }
    if (params.has(key)) duplicate = key;
    params.set(key, value);
  }

  if (address && ADDRESS_UNSAFE_CHARS.test(address)) {
    invalid = true;
  } else if (name === 'RCPT TO' && address.toLowerCase() === 'postmaster') {
    // RFC 5321 §4.1.1.3: the domainless postmaster recipient must be accepted.
  } else if (address) {
    const checked = checkAddress(address);
    if (checked === null) invalid = true;
    else address = checked;
  }
  if (invalid) return null;
  return { address, params, duplicate };
}

/** smtp-server's strict address check; returns the normalized address or null. */
function checkAddress(address: string): string | null {
  const parts = address.split('@');
  const localPart = parts[0] ?? '';
  let domain = parts[1] ?? '';
  if (parts.length !== 2 || !localPart || !domain) return null;
  if (localPart.length + 1 + domain.length > MAX_ADDRESS_LENGTH) return null;
  if (localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) return null;

  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    if (literal.toUpperCase().startsWith('IPV6:')) {
      const ipv6 = literal.slice(5);
      if (!isIPv6(ipv6)) return null;
      domain = `[IPv6:${normalizeIPv6(ipv6)}]`;
    } else if (!isIPv4(literal)) {
      return null;
    }
    return `${localPart}@${domain}`;
  }

  if (
    domain.startsWith('.') ||
    domain.endsWith('.') ||
    domain.includes('..') ||
    domain.includes('.-') ||
    domain.includes('-.') ||
    !/^[a-zA-Z0-9\u0080-\uFFFF.-]+$/.test(domain)
  ) {
    return null;
  }
  try {
    return `${localPart}@${toUnicode(domain)}`;
  } catch {
    // smtp-server refuses a domain whose xn-- labels do not decode.
    return null;
  }
}
