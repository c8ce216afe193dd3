/**
 * The terms of an SPF record (RFC 7208 §4.6): what each one allows, in words, and how many DNS
 * lookups the record's own terms cost (§4.6.4 counts include, a, mx, ptr, exists and redirect;
 * nested records add their own, so a record within the limit can still exceed it through includes).
 */
export type SpfQualifier = '+' | '-' | '~' | '?';

export interface SpfTerm {
  readonly qualifier: SpfQualifier;
  /** Lower-case mechanism or modifier name: ip4, ip6, a, mx, include, exists, ptr, all, redirect… */
  readonly name: string;
  /** What follows `:` or `=`, or '' when nothing does. */
  readonly argument: string;
  readonly modifier: boolean;
}

const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
const TERM = /^([+\-~?]?)([a-z][a-z0-9_.-]*)(?:([:=/])(.*))?$/i;

/** True when a TXT value is an SPF record (RFC 7208 §4.5: starts with `v=spf1`, then a space or nothing). */
export function isSpfRecord(value: string): boolean {
  return /^v=spf1(?: |$)/i.test(value.trim());
}

/** The terms after `v=spf1`, in order; unparseable terms are skipped (the server's verdict is permerror). */
export function spfTerms(value: string): SpfTerm[] {
  const terms: SpfTerm[] = [];
  for (const word of value.trim().split(/\s+/).slice(1)) {
    const match = TERM.exec(word);
    if (match === null) continue;
    const separator = match[3] ?? '';
    terms.push({
      qualifier: (match[1] || '+') as SpfQualifier,
      name: (match[2] ?? '').toLowerCase(),
      argument: separator === '/' ? `/${match[4] ?? ''}` : (match[4] ?? ''),
      modifier: separator === '=',
    });
  }
  return terms;
}

/** The DNS lookups this record's own terms make (RFC 7208 §4.6.4); includes add their records' lookups. */
export function ownLookupCount(terms: readonly SpfTerm[]): number {
  return terms.filter((term) => LOOKUP_TERMS.has(term.name)).length;
}

/** One allowed source in words: `ip4:192.0.2.10` → "192.0.2.10". */
export function sourceInWords(term: SpfTerm, domain: string): string {
  const target = term.argument === '' || term.argument.startsWith('/') ? domain : term.argument;
  switch (term.name) {
    case 'ip4':
    case 'ip6':
      return term.argument;
    case 'a':
      return `the addresses of ${target}`;
    case 'mx':
      return `the mail servers (MX hosts) of ${target}`;
    case 'include':
      return `the servers ${term.argument}'s SPF record allows`;
    case 'exists':
      return `any sender for which ${term.argument} exists`;
    case 'ptr':
      return `servers whose reverse DNS name ends in ${target} (ptr, discouraged by RFC 7208 §5.5)`;
    default:
      return `${term.name}${term.argument === '' ? '' : `:${term.argument}`}`;
  }
}
