/**
 * RFC 5321 §4.1.2 Domain and §4.1.3 address literals, with RFC 6531 U-labels, graded the
 * way smtp-server grades them: what both refuse is `invalid`, what only the RFC forbids is
 * `tolerated`.
 */
import { isAllDigits, isHexDigit, isInvisible, isLetDig, isNonAscii } from './characters.ts';
import type { GrammarReason } from './grammar-reasons.ts';

export type DomainVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'tolerated'; readonly reason: GrammarReason }
  | { readonly kind: 'invalid'; readonly reason: GrammarReason };

const OK: DomainVerdict = { kind: 'ok' };
const MAX_LABEL_OCTETS = 63;

/** Checks a domain name such as `example.com` or `bücher.example`, in one pass. */
export function checkDomainName(domain: string): DomainVerdict {
  if (domain.length === 0) return { kind: 'invalid', reason: { key: 'domain-missing' } };
  let labelStart = 0;
  let labels = 0;
  let allDigitLabels = 0;
  let longLabel = false;
  for (let i = 0; i <= domain.length; i++) {
    const code = i < domain.length ? domain.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      const length = i - labelStart;
      if (length === 0) {
        return { kind: 'invalid', reason: { key: 'domain-dots' } };
      }
      labels++;
      if (length > MAX_LABEL_OCTETS) longLabel = true;
      if (isAllDigits(domain.slice(labelStart, i))) allDigitLabels++;
      labelStart = i + 1;
    } else if (isInvisible(code)) {
      return { kind: 'invalid', reason: { key: 'domain-invisible' } };
    } else if (!isLetDig(code) && !isNonAscii(code) && code !== 0x2d) {
      return { kind: 'invalid', reason: { key: 'domain-character', params: { char: domain[i] ?? '' } } };
    }
  }
  // smtp-server refuses a hyphen next to a dot but not at the very start or end.
  if (domain.includes('-.') || domain.includes('.-')) {
    return { kind: 'invalid', reason: { key: 'label-hyphen' } };
  }
  if (domain.startsWith('-') || domain.endsWith('-')) {
    return { kind: 'tolerated', reason: { key: 'domain-hyphen' } };
  }
  if (longLabel) {
    return { kind: 'tolerated', reason: { key: 'label-too-long' } };
  }
  if (labels === 4 && allDigitLabels === 4) {
    return { kind: 'tolerated', reason: { key: 'bare-ip-address', params: { domain } } };
  }
  return OK;
}

/** Checks the text inside `[…]`: an IPv4 address or `IPv6:` followed by an IPv6 address. */
export function checkAddressLiteral(inner: string): DomainVerdict {
  if (/^ipv6:/i.test(inner)) {
    const tolerated = !inner.startsWith('IPv6:');
    if (!isIPv6(inner.slice(5))) {
      return { kind: 'invalid', reason: { key: 'not-ipv6', params: { text: inner.slice(5) } } };
    }
    return tolerated ? { kind: 'tolerated', reason: { key: 'ipv6-tag-case' } } : OK;
  }
  if (isIPv4(inner)) return OK;
  if (inner.includes(':')) {
    return { kind: 'invalid', reason: { key: 'ipv6-tag-missing' } };
  }
  return { kind: 'invalid', reason: { key: 'not-ipv4', params: { text: inner } } };
}

/** Four decimal numbers 0–255 (RFC 5321 Snum: one to three digits). */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 &&
    parts.every((part) => part.length <= 3 && isAllDigits(part) && Number(part) <= 255)
  );
}

function isHexGroup(text: string): boolean {
  if (text.length === 0 || text.length > 4) return false;
  for (let i = 0; i < text.length; i++) if (!isHexDigit(text.charCodeAt(i))) return false;
  return true;
}

/** RFC 5321 IPv6-addr: eight groups, or fewer with one `::`, optionally ending in IPv4. */
export function isIPv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups: string[] = [];
  for (const half of halves) if (half.length > 0) groups.push(...half.split(':'));
  let count = groups.length;
  const last = groups[groups.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups.pop();
    count += 1; // an IPv4 tail fills two groups
  }
  if (!groups.every(isHexGroup)) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}
