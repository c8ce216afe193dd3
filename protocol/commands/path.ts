/**
 * Reverse-path and forward-path (RFC 5321 §4.1.2): `<` [source route `:`] Mailbox `>`, with
 * Mailbox = Local-part `@` (Domain / address-literal) and the RFC 6531 UTF-8 extension.
 * One left-to-right scan, so hostile input (100 KB of `<` or `"`) stays linear.
 */
import { isAtext, isInvisible, isNonAscii, nextSpace, utf8Length } from './characters.ts';
import { checkAddressLiteral, checkDomainName, type DomainVerdict } from './domain.ts';
import { issue, quote, span, warn, type VerbContext } from './issue.ts';
import type { CommandSyntaxError, Path } from './types.ts';

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

function failAt(site: PathSite, code: 'invalid-address' | 'invalid-domain' | 'unclosed-angle-bracket', from: number, to: number, message: string, fix: string): PathScan {
  return { ok: false, error: issue(code, site.context.verb, span(from, Math.max(to, from + 1)), message, fix) };
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
    return failAt(site, 'unclosed-angle-bracket', start, end, 'The address opens with "<" but never closes with ">".', `Write it as \`${pathExample(verb, line.slice(start + 1, end))}\`.`);
  }
  if (closing === start + 1) {
    if (verb === 'RCPT') {
      return failAt(site, 'invalid-address', start, closing + 1, 'RCPT TO needs a real recipient. The empty path <> exists only as the sender in MAIL FROM:<>, for bounce messages.', `Write it as \`${pathExample('RCPT', null)}\`.`);
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
      return failAt(site, 'invalid-address', position, line.length, 'The quoted local part opens with " but never closes.', `Close the quotes before the @, like \`${pathExample(verb, '"john doe"@example.com')}\`.`);
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
    return failAt(site, 'invalid-address', localStart, position, `"${quote(localPart)}" has no @ and no domain. A mailbox is local-part@domain.`, `Write it as \`${pathExample(verb, `${quote(localPart)}@example.com`)}\`.`);
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
      return failAt(site, 'invalid-domain', domainStart, literalEnd, 'The address literal opens with "[" but never closes with "]".', `Write it like \`${pathExample(verb, 'alice@[192.0.2.1]')}\`.`);
    }
    domainEnd = literalEnd + 1;
    verdict = checkAddressLiteral(line.slice(domainStart + 1, literalEnd));
  } else {
    domainEnd = scanUntil(line, domainStart, '<> ');
    const domainText = line.slice(domainStart, domainEnd);
    verdict = domainText.includes('@')
      ? { kind: 'invalid', reason: 'An address has only one @ (outside quotes): the one between the local part and the domain.' }
      : checkDomainName(domainText);
  }
  const domain = line.slice(domainStart, domainEnd);
  const example = `Write the address like \`${pathExample(verb, `${quote(localPart)}@example.com`)}\`.`;
  if (verdict.kind === 'invalid') {
    const empty = domainEnd === domainStart;
    return failAt(site, 'invalid-domain', empty ? start : domainStart, empty ? pathEnd(site) : domainEnd, verdict.reason, example);
  }
  if (verdict.kind === 'tolerated') {
    warn(context, 'invalid-domain', span(domainStart, domainEnd), `${verdict.reason} smtp-server accepts it anyway.`, example);
  }
  if (line[domainEnd] !== '>') return failAfterToken(site, domainEnd);

  const address = line.slice(localStart, domainEnd);
  if (utf8Length(address) > MAX_ADDRESS_OCTETS) {
    return failAt(site, 'invalid-address', start, domainEnd + 1, 'The address is too long: RFC 5321 §4.5.3.1.3 limits a path to 256 octets, angle brackets included.', 'Use a shorter address.');
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
    return failAt(site, 'invalid-address', start, pathEnd(site), 'An address cannot contain a space (unless the local part is in quotes).', `Remove the space: \`${pathExample(verb, inside.replaceAll(' ', ''))}\`.`);
  }
  if (char === '<') {
    return failAt(site, 'invalid-address', start, pathEnd(site), 'Only one pair of angle brackets goes around an address.', `Write it as \`${pathExample(verb, inside.replaceAll('<', ''))}\`.`);
  }
  if (char === undefined) {
    return failAt(site, 'unclosed-angle-bracket', start, line.length, 'The address opens with "<" but never closes with ">".', `Write it as \`${pathExample(verb, null)}\`.`);
  }
  return failAt(site, 'invalid-address', at, at + 1, `"${char}" cannot appear here in an address.`, `Write it as \`${pathExample(verb, null)}\`.`);
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
      const error = issue('invalid-address', context.verb, span(start, position), 'The part before the @ is missing. A mailbox is local-part@domain.', `Write it as \`${pathExample(verb, `alice${line.slice(start, position)}`)}\`.`);
      return { ok: false, error };
    }
    const separator = line[position];
    const malformed =
      checkDomainName(line.slice(domainStart, position)).kind === 'invalid' ||
      (separator !== ',' && separator !== ':') ||
      (separator === ',' && line[position + 1] !== '@');
    if (malformed) {
      const error = issue('invalid-address', context.verb, span(start, Math.max(position, start + 1)), 'This looks like a source route, but it is malformed. Source routes are obsolete anyway (RFC 5321 Appendix C).', `Leave the route out: \`${pathExample(verb, null)}\`.`);
      return { ok: false, error };
    }
    position++;
    if (separator === ':') break;
  }
  warn(context, 'source-route', span(start, position), 'This is a source route, a list of relays to pass through. RFC 5321 makes it obsolete: servers must accept it but should ignore it.', 'Leave the route out and write only the mailbox.');
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
    return issue('invalid-address', context.verb, range, 'The part before the @ is missing. A mailbox is local-part@domain.', `Write it as \`${pathExample(verb, null)}\`.`);
  }
  for (let i = 0; i < localPart.length; i++) {
    if (isInvisible(localPart.charCodeAt(i))) {
      return issue('invalid-address', context.verb, range, 'The address contains an invisible character (such as a zero-width space), probably from copy and paste.', 'Type the address again by hand.');
    }
  }
  if (utf8Length(localPart) > MAX_LOCAL_PART_OCTETS) {
    warn(context, 'invalid-address', range, 'RFC 5321 §4.5.3.1.1 limits the local part to 64 octets; smtp-server accepts longer ones.', 'Use a shorter local part.');
  }
  if (localPart.startsWith('"')) {
    if (/[ <>@]/.test(localPart)) {
      warn(context, 'server-may-reject', range, 'RFC 5321 allows this quoted local part, but smtp-server refuses addresses containing spaces, angle brackets or a second @.', 'Avoid quoted local parts unless the mailbox really needs one.');
    }
    return null;
  }
  if (localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    return issue('invalid-address', context.verb, range, 'A local part cannot start or end with a dot or have two dots in a row.', `If the mailbox really has such a name, quote it: \`${pathExample(verb, `"${quote(localPart)}"@example.com`)}\`.`);
  }
  for (let i = 0; i < localPart.length; i++) {
    const code = localPart.charCodeAt(i);
    if (code !== 0x2e && !isAtext(code)) {
      warn(context, 'invalid-address', span(start + i, start + i + 1), `RFC 5321 does not allow "${localPart[i] ?? ''}" in an unquoted local part (only letters, digits, dots and !#$%&'*+-/=?^_\`{|}~); smtp-server accepts it anyway.`, 'Put the local part in double quotes, or remove the character.');
      break;
    }
  }
  return null;
}
