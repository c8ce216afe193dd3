/**
 * The receiving MX's verdicts laid out for reading: the SPF record term by term with the one
 * that matched, and the DMARC alignment table (From domain against the SPF domain and each DKIM
 * d=). Only reads what the server concluded (auth-verdicts.ts); nothing is re-evaluated here.
 */
import type { InboundAuthentication } from '../../../protocol/world/auth-verdicts.ts';
import { spfTerms, type SpfTerm } from '../world/spf-terms.ts';

export type SpfStepState = 'no-match' | 'matched' | 'not-reached' | 'modifier';

export interface SpfStep {
  /** The term as written in the record. */
  readonly text: string;
  readonly state: SpfStepState;
  /** The result this term gives when it matches (RFC 7208 §4.6.2), or null for a modifier. */
  readonly gives: string | null;
}

const QUALIFIER_RESULT: Record<SpfTerm['qualifier'], string> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** `ip4:192.0.2.10` and `-ip4:192.0.2.10` name the same mechanism; the qualifier is what it gives. */
function mechanismKey(text: string): string {
  return text.trim().toLowerCase().replace(/^[+\-~?]/, '');
}

/**
 * The record's terms in evaluation order (RFC 7208 §4.6.2: left to right, the first match
 * decides). Before the match: checked, no match; after it: never reached. With no match at all
 * every mechanism is "no match" (the result is then neutral, or what a redirect= gives).
 */
export function spfSteps(record: string, mechanism: string | null): SpfStep[] {
  const matched = mechanism === null ? null : mechanismKey(mechanism);
  let found = false;
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((text): SpfStep => {
      const term = spfTerms(`v=spf1 ${text}`)[0];
      if (term === undefined || term.modifier) return { text, state: 'modifier', gives: null };
      const gives = QUALIFIER_RESULT[term.qualifier];
      if (found) return { text, state: 'not-reached', gives };
      if (matched !== null && mechanismKey(text) === matched) {
        found = true;
        return { text, state: 'matched', gives };
      }
      return { text, state: 'no-match', gives };
    });
}

/** Whose identity SPF checked (RFC 7208 §2.4: MAIL FROM, or HELO for the null sender). */
export function spfIdentityText(spf: InboundAuthentication['spf'], sender: string): string {
  if (spf.identity === 'helo') return `the HELO name ${spf.domain}, because the envelope sender was null (<>): SPF checks postmaster@${spf.domain} (RFC 7208 §2.4)`;
  return `the MAIL FROM address <${sender}>, so the domain ${spf.domain} (RFC 7208 §2.4)`;
}

export interface AlignmentRow {
  /** "SPF" or "DKIM (s=lab)". */
  readonly identifier: string;
  readonly domain: string;
  readonly result: string;
  readonly aligned: boolean;
  /** Whether this row alone makes DMARC pass: a pass that is aligned (RFC 7489 §4.2). */
  readonly counts: boolean;
}

/** One row per identifier DMARC looks at: the SPF domain, then each DKIM signature's d=. */
export function alignmentRows(auth: InboundAuthentication): AlignmentRow[] {
  const spfAligned = auth.dmarc.alignment.spfAligned !== null;
  const rows: AlignmentRow[] = [
    { identifier: 'SPF (MAIL FROM domain)', domain: auth.spf.domain, result: auth.spf.result, aligned: spfAligned, counts: spfAligned && auth.spf.result === 'pass' },
  ];
  for (const signature of auth.dkim.signatures) {
    rows.push({
      identifier: `DKIM d= (s=${signature.selector})`,
      domain: signature.domain,
      result: signature.rfcResult,
      aligned: signature.alignedWithFrom,
      counts: signature.alignedWithFrom && signature.rfcResult === 'pass',
    });
  }
  return rows;
}

/** "relaxed": the organisational domains must match; "strict": the exact domain (RFC 7489 §3.1). */
export function modeText(mode: 'r' | 's'): string {
  return mode === 'r' ? 'relaxed (same organisational domain)' : 'strict (exactly the same domain)';
}
