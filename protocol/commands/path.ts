/**
 * Reverse-path and forward-path (RFC 5321 §4.1.2): `<` [source route `:`] Mailbox `>`, with
 * Mailbox = Local-part `@` (Domain / address-literal) and the RFC 6531 UTF-8 extension.
 * One left-to-right scan, so hostile input (100 KB of `<` or `"`) stays linear.
 */
import { ATEXT_SPECIALS, isAtext, isInvisible, isNonAscii, nextSpace, utf8Length } from './characters.ts';
import { checkAddressLiteral, checkDomainName, type DomainVerdict } from './domain.ts';
import type { GrammarVariant } from './grammar-messages.ts';
import { reasonText } from './grammar-reasons.ts';
import { issue, quote, span, warn, type ParamsArgument, type VerbContext } from './issue.ts';
import type { ColumnRange, CommandSyntaxError, Path } from './types.ts';

export type PathScan =
  | { readonly ok: true; readonly path: Path; readonly hasNonAscii: boolean }
  | { readonly ok: false; readonly error: CommandSyntaxError };

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so the address inside is at most 254. */
const MAX_ADDRESS_OCTETS = 254;
/** RFC 5321 §4.5.3.1.1. */
const MAX_LOCAL_PART_OCTETS = 64;

/** An example command line for the verb, using the learner's address when there is one. */
export function pathExample(verb: 'MAIL' | 'RCPT', address: string | null): string {
  const shown = address && address.length > 0 ? quote(address) : verb === 'MAIL' ? 'alice@example.com' : 'bob@example.com';
  return verb === 'MAIL' ? `MAIL FROM:<${shown}>` : `RCPT TO:<${shown}>`;
}

/** Where a path sits: shared by the helpers that build its errors. */
interface PathSite {
  readonly context: VerbContext;
  readonly verb: 'MAIL' | 'RCPT';
  /** Column of the opening `<`. */
  readonly start: number;
  /** Column of the first `>` after it, or -1. */
  readonly closing: number;
}

/** The columns [from, to), at least one wide so that the editor can underline them. */
function visibleSpan(from: number, to: number): ColumnRange {
  return span(from, Math.max(to, from + 1));
}

/** An invalid-address error over [from, to). */
function failAt<Variant extends GrammarVariant<'invalid-address'>>(
  site: PathSite,
  variant: Variant,
  from: number,
  to: number,
  ...params: ParamsArgument<'invalid-address', Variant>
): PathScan {
  return { ok: false, error: issue('invalid-address', variant, site.context.verb, visibleSpan(from, to), ...params) };
}

/** The address never closes with ">"; `example` is the corrected command line. */
function failUnclosed(site: PathSite, to: number, example: string): PathScan {
  return { ok: false, error: issue('unclosed-angle-bracket', 'unclosed', site.context.verb, visibleSpan(site.start, to), { example }) };
}

/** The end of the `<…>` as far as a first `>` tells, or the end of the line. */
function pathEnd(site: PathSite): number {
  return site.closing === -1 ? site.context.line.length : site.closing + 1;
}

/** Parses the path whose `<` is at `start`; warnings go to the context. */
export function parsePath(context: VerbContext, start: number): PathScan {
  const { line } = context;
  const site: PathSite = { context, verb: context.verb === 'MAIL' ? 'MAIL' : 'RCPT', start, closing: line.indexOf('>', start) };
  const { verb, closing } = site;
  if (closing === -1) {
    const end = nextSpace(line, start);
    return failUnclosed(site, end, pathExample(verb, line.slice(start + 1, end)));
  }
  if (closing === start + 1) {
    if (verb === 'RCPT') {
      return failAt(site, 'empty-recipient', start, closing + 1, { example: pathExample('RCPT', null) });
    }
    return { ok: true, path: { address: '', localPart: '', domain: '', range: span(start, closing + 1) }, hasNonAscii: false };
  }

  let position = start + 1;
  if (line[position] === '@') {
    const route = skipSourceRoute(context, position);
    if (!route.ok) return { ok: false, error: route.error };
    position = route.end;
  }

  const localStart = position;
  if (line[position] === '"') {
    const quoteEnd = scanQuotedString(line, position);
    if (quoteEnd === -1) {
      return failAt(site, 'unclosed-quote', position, line.length, { example: pathExample(verb, '"john doe"@example.com') });
    }
    position = quoteEnd;
  } else {
    position = scanUntil(line, position, '@<> ');
  }
  const localPart = line.slice(localStart, position);
  const afterLocal = line[position];

  if (afterLocal === '>' && verb === 'RCPT' && localPart.toLowerCase() === 'postmaster') {
    // RFC 5321 §4.1.1.3: every server must accept the domainless <Postmaster>.
    return { ok: true, path: { address: localPart, localPart, domain: '', range: span(start, position + 1) }, hasNonAscii: false };
  }
  if (afterLocal === '>') {
    const example = pathExample(verb, `${quote(localPart)}@example.com`);
    return failAt(site, 'no-domain', localStart, position, { localPart: quote(localPart), example });
  }
  if (afterLocal !== '@') return failAfterToken(site, position);
  const localCheck = checkLocalPart(context, localPart, localStart);
  if (localCheck) return { ok: false, error: localCheck };

  const domainStart = position + 1;
  let domainEnd: number;
  let verdict: DomainVerdict;
  if (line[domainStart] === '[') {
    const literalEnd = scanUntil(line, domainStart, ']<> ');
    if (line[literalEnd] !== ']') {
      const example = pathExample(verb, 'alice@[192.0.2.1]');
      const range = visibleSpan(domainStart, literalEnd);
      return { ok: false, error: issue('invalid-domain', 'literal-unclosed', context.verb, range, { example }) };
    }
    domainEnd = literalEnd + 1;
    verdict = checkAddressLiteral(line.slice(domainStart + 1, literalEnd));
  } else {
    domainEnd = scanUntil(line, domainStart, '<> ');
    const domainText = line.slice(domainStart, domainEnd);
    verdict = domainText.includes('@')
      ? { kind: 'invalid', reason: { key: 'second-at' } }
      : checkDomainName(domainText);
  }
  const domain = line.slice(domainStart, domainEnd);
  const example = pathExample(verb, `${quote(localPart)}@example.com`);
  if (verdict.kind === 'invalid') {
    const empty = domainEnd === domainStart;
    const [from, to] = empty ? [start, pathEnd(site)] : [domainStart, domainEnd];
    return { ok: false, error: issue('invalid-domain', 'refused', context.verb, visibleSpan(from, to), { reason: reasonText(verdict.reason), example }) };
  }
  if (verdict.kind === 'tolerated') {
    warn(context, 'invalid-domain', 'tolerated', span(domainStart, domainEnd), { reason: reasonText(verdict.reason), example });
  }
  if (line[domainEnd] !== '>') return failAfterToken(site, domainEnd);

  const address = line.slice(localStart, domainEnd);
  if (utf8Length(address) > MAX_ADDRESS_OCTETS) {
    return failAt(site, 'too-long', start, domainEnd + 1);
  }
  return {
    ok: true,
    path: { address, localPart, domain, range: span(start, domainEnd + 1) },
    hasNonAscii: hasNonAscii(address),
  };
}

/** The error for an unexpected character at `at`, where the path should have gone on. */
function failAfterToken(site: PathSite, at: number): PathScan {
  const { line } = site.context;
  const { verb, start } = site;
  const char = line[at];
  const inside = line.slice(start + 1, pathEnd(site) - 1);
  if (char === ' ') {
    return failAt(site, 'space', start, pathEnd(site), { example: pathExample(verb, inside.replaceAll(' ', '')) });
  }
  if (char === '<') {
    return failAt(site, 'nested-brackets', start, pathEnd(site), { example: pathExample(verb, inside.replaceAll('<', '')) });
  }
  if (char === undefined) return failUnclosed(site, line.length, pathExample(verb, null));
  return failAt(site, 'unexpected-character', at, at + 1, { char, example: pathExample(verb, null) });
}

/** Skips `@relay.example,@relay2.example:` and warns that source routes are obsolete. */
function skipSourceRoute(context: VerbContext, start: number): { ok: true; end: number } | { ok: false; error: CommandSyntaxError } {
  const { line } = context;
  const verb = context.verb === 'MAIL' ? 'MAIL' : 'RCPT';
  let position = start;
  for (;;) {
    const domainStart = position + 1;
    position = scanUntil(line, domainStart, ',:<> ');
    if (line[position] === '>' && domainStart - 1 === start) {
      const example = pathExample(verb, `alice${line.slice(start, position)}`);
      const error = issue('invalid-address', 'missing-local-part', context.verb, span(start, position), { example });
      return { ok: false, error };
    }
    const separator = line[position];
    const malformed =
      checkDomainName(line.slice(domainStart, position)).kind === 'invalid' ||
      (separator !== ',' && separator !== ':') ||
      (separator === ',' && line[position + 1] !== '@');
    if (malformed) {
      const range = visibleSpan(start, position);
      const error = issue('invalid-address', 'malformed-source-route', context.verb, range, { example: pathExample(verb, null) });
      return { ok: false, error };
    }
    position++;
    if (separator === ':') break;
  }
  warn(context, 'source-route', 'obsolete', span(start, position));
  return { ok: true, end: position };
}

/** The end (just past the closing quote) of the quoted string at `start`, or -1. */
function scanQuotedString(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') i++;
    else if (char === '"') return i + 1;
  }
  return -1;
}

/** The index of the first character of `stops` at or after `start`, or the line's length. */
function scanUntil(line: string, start: number, stops: string): number {
  let i = start;
  while (i < line.length && !stops.includes(line[i] ?? '')) i++;
  return i;
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isNonAscii(text.charCodeAt(i))) return true;
  return false;
}

/** Checks a local part; returns an error for what servers refuse, warns about the rest. */
function checkLocalPart(context: VerbContext, localPart: string, start: number): CommandSyntaxError | null {
  const verb = context.verb === 'MAIL' ? 'MAIL' : 'RCPT';
  const range = span(start, start + Math.max(localPart.length, 1));
  if (localPart.length === 0) {
    return issue('invalid-address', 'missing-local-part', context.verb, range, { example: pathExample(verb, null) });
  }
  for (let i = 0; i < localPart.length; i++) {
    if (isInvisible(localPart.charCodeAt(i))) {
      return issue('invalid-address', 'invisible-character', context.verb, range);
    }
  }
  if (utf8Length(localPart) > MAX_LOCAL_PART_OCTETS) {
    warn(context, 'invalid-address', 'local-part-too-long', range);
  }
  if (localPart.startsWith('"')) {
    if (/[ <>@]/.test(localPart)) {
      warn(context, 'server-may-reject', 'quoted-local-part', range);
    }
    return null;
  }
  if (localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    const example = pathExample(verb, `"${quote(localPart)}"@example.com`);
    return issue('invalid-address', 'local-part-dots', context.verb, range, { example });
  }
  for (let i = 0; i < localPart.length; i++) {
    const code = localPart.charCodeAt(i);
    if (code !== 0x2e && !isAtext(code)) {
      const params = { char: localPart[i] ?? '', allowed: ATEXT_SPECIALS };
      warn(context, 'invalid-address', 'local-part-character', span(start + i, start + i + 1), params);
      break;
    }
  }
  return null;
}
