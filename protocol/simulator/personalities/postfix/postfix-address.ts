/**
 * How Postfix's smtpd reads `MAIL FROM:` and `RCPT TO:` with `strict_rfc821_envelopes = no`
 * (its default): lenient where smtp-server is strict (no brackets needed, spaces inside `<>`,
 * quoted local parts, a trailing dot, `a.@b`, source routes), strict where smtp-server is
 * lenient (`MAIL FROM :` with a space is a syntax error). Only the domain is checked, like
 * Postfix's valid_hostname()/valid_hostaddr().
 */
import { isIPv4, isIPv6 } from '../../compat/ip-address.ts';

export type PostfixAddressParse =
  /** The verb's `FROM:`/`TO:` is missing or nothing follows it. */
  | { readonly kind: 'syntax' }
  /** The address itself is malformed. */
  | { readonly kind: 'bad-address' }
  | {
      readonly kind: 'ok';
      /** Unquoted, source route dropped, case kept; "" for `<>`. */
      readonly address: string;
      /** The ESMTP parameters, as typed. */
      readonly params: readonly string[];
    };

const CONTROL_CHARS = /[\x00-\x1F\x7F]/;
const HOSTNAME_LABEL = /^[A-Za-z0-9_\u0080-\uFFFF]([A-Za-z0-9_\u0080-\uFFFF-]*[A-Za-z0-9_\u0080-\uFFFF])?$/;

/** Parses the command line after its verb (`MAIL` or `RCPT`); `keyword` is `FROM` or `TO`. */
export function parsePostfixAddressCommand(line: string, keyword: 'FROM' | 'TO'): PostfixAddressParse {
  const match = new RegExp(`^\\S+\\s+${keyword}:(.*)$`, 'is').exec(line);
  const argument = (match?.[1] ?? '').trim();
  if (argument === '') return { kind: 'syntax' };
  return readAddressArgument(argument);
}

/** Reads `<address> PARAMS` or `address PARAMS` (also VRFY's argument). */
export function readAddressArgument(argument: string): PostfixAddressParse {
  const token = firstToken(argument);
  if (token === null) return { kind: 'bad-address' };
  const params = argument.slice(token.length).trim().split(/\s+/).filter((word) => word !== '');
  const address = normalizeAddress(token.startsWith('<') ? token.slice(1, -1).trim() : token);
  return address === null ? { kind: 'bad-address' } : { kind: 'ok', address, params };
}

/** The address token: `<…>` up to its closing bracket (quotes respected), else up to a space. */
function firstToken(argument: string): string | null {
  let quoted = false;
  for (let index = 0; index < argument.length; index++) {
    const char = argument[index];
    if (char === '\\') index++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && argument.startsWith('<') && char === '>') return argument.slice(0, index + 1);
    else if (!quoted && !argument.startsWith('<') && /\s/.test(char ?? '')) return argument.slice(0, index);
  }
  return argument.startsWith('<') ? null : argument;
}

/** Drops a source route and quotes; null when the domain is not a valid host name or literal. */
function normalizeAddress(raw: string): string | null {
  if (CONTROL_CHARS.test(raw)) return null;
  const address = raw.replace(/^@[^:]*:/, '');
  const at = address.lastIndexOf('@');
  const localPart = unquote(at < 0 ? address : address.slice(0, at));
  if (at < 0) return localPart;
  const domain = address.slice(at + 1);
  return isValidDomain(domain) ? `${localPart}@${domain}` : null;
}

function unquote(localPart: string): string {
  if (!localPart.includes('"')) return localPart;
  return localPart.replace(/\\(.)|"/g, (_all, escaped: string | undefined) => escaped ?? '');
}

function isValidDomain(domain: string): boolean {
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    return /^ipv6:/i.test(literal) ? isIPv6(literal.slice(5)) : isIPv4(literal);
  }
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name === '' || name.length > 255) return false;
  return name.split('.').every((label) => label.length <= 63 && HOSTNAME_LABEL.test(label));
}
