/**
 * Why a domain, address literal, xtext value or base64 text fails its check: the checkers
 * return a reason key and its parameters, and the messages that quote a reason (as
 * `{reason}`) get this text.
 */
import { fillTemplate, type TemplateParams } from './grammar-template.ts';

export const GRAMMAR_REASONS = {
  // Domains and address literals (RFC 5321 §4.1.2, §4.1.3).
  'domain-missing': 'The domain is missing.',
  'domain-dots': 'A domain cannot start or end with a dot or have two dots in a row.',
  'domain-invisible': 'The domain contains an invisible character (such as a zero-width space), probably from copy and paste.',
  'domain-character': 'A domain may contain only letters, digits, hyphens and dots, not "{char}".',
  'label-hyphen': 'A part of a domain cannot start or end with a hyphen.',
  'domain-hyphen': 'RFC 5321 does not allow a domain to start or end with a hyphen.',
  'label-too-long': 'Each part of a domain between dots may be at most 63 characters (RFC 1035).',
  'bare-ip-address': 'An IP address is written as an address literal in square brackets: [{domain}] (RFC 5321 §4.1.3).',
  'second-at': 'An address has only one @ (outside quotes): the one between the local part and the domain.',
  'not-ipv6': '"{text}" is not an IPv6 address.',
  'ipv6-tag-case': 'RFC 5321 spells the tag exactly "IPv6:".',
  'ipv6-tag-missing': 'An IPv6 address literal starts with the tag "IPv6:", like [IPv6:2001:db8::1].',
  'not-ipv4': '"{text}" is not an IPv4 address like 192.0.2.1.',
  'literal-unclosed': 'The address literal opens with "[" but does not end with "]".',
  'helo-literal': 'RFC 5321 allows an address literal after EHLO but not after HELO, which takes only a domain.',
  // xtext (RFC 3461 §4).
  'xtext-plus': 'In xtext a "+" must be followed by two upper-case hex digits, like +2B for "+" itself.',
  'xtext-equals': 'In xtext "=" must be written as +3D.',
  'xtext-non-ascii': 'xtext allows only printable ASCII; other characters must be written as +XX hex escapes.',
  'xtext-control': 'The value decodes to a control character, which servers refuse.',
  // base64 (RFC 4648, as RFC 4954 §4 asks).
  'base64-padding-inside': 'The padding "=" may appear only at the end of base64 text.',
  'base64-character': '"{char}" is not a base64 character (A–Z, a–z, 0–9, +, / and = at the end).',
  'base64-length': 'The base64 text has the wrong length: it comes in groups of four characters.',
} as const;

type Reasons = typeof GRAMMAR_REASONS;
export type ReasonKey = keyof Reasons;

/** A reason with the values its text quotes; `params` only when the text has placeholders. */
export type GrammarReason = {
  readonly [Key in ReasonKey]: keyof TemplateParams<Reasons[Key]> extends never
    ? { readonly key: Key }
    : { readonly key: Key; readonly params: TemplateParams<Reasons[Key]> };
}[ReasonKey];

/** A reason of one of the given keys (what one checker can answer). */
export type ReasonOf<Key extends ReasonKey> = Extract<GrammarReason, { readonly key: Key }>;

export function reasonText(reason: GrammarReason): string {
  return fillTemplate(GRAMMAR_REASONS[reason.key], 'params' in reason ? reason.params : {});
}
