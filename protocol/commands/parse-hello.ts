/**
 * EHLO and HELO (RFC 5321 §4.1.1.1): the client names its own host. smtp-server accepts any
 * single word up to 300 characters, so a malformed name is a warning, not an error.
 */
import { argumentTokens } from './arguments.ts';
import { checkAddressLiteral, checkDomainName, type DomainVerdict } from './domain.ts';
import { fail, quote, span, warn, type VerbContext, type VerbParseResult } from './issue.ts';

/** smtp-server's MAX_HELO_HOSTNAME_LENGTH: longer names get "501 Error: Bad hostname syntax". */
const MAX_HELLO_ARGUMENT_LENGTH = 300;

/** Parses EHLO and HELO; the verb in the context says which. */
export function parseHello(context: VerbContext): VerbParseResult {
  const verb = context.verb === 'HELO' ? 'HELO' : 'EHLO';
  const tokens = argumentTokens(context);
  const first = tokens[0];
  if (!first) {
    return fail(context, 'missing-argument', context.verbRange, `${verb} needs the name of your client's own host: a domain like client.example.com, or an address literal like [192.0.2.1] if it has no name. It names the machine that is connecting, not your email address.`, `Write it as \`${verb} client.example.com\`.`);
  }
  const last = tokens[tokens.length - 1] ?? first;
  if (tokens.length > 1) {
    return fail(context, 'unexpected-argument', span(tokens[1]?.start ?? first.end, last.end), `${verb} takes exactly one word: your client's host name.`, `Write it as \`${verb} ${quote(first.text)}\`.`);
  }
  const domain = first.text;
  const range = span(first.start, first.end);
  if (domain.length > MAX_HELLO_ARGUMENT_LENGTH) {
    return fail(context, 'invalid-domain', range, `This host name is too long: smtp-server refuses ${verb} arguments over ${MAX_HELLO_ARGUMENT_LENGTH} characters, and a domain has at most 255.`, `Write it as \`${verb} client.example.com\`.`);
  }
  if (domain.includes('@')) {
    warn(context, 'invalid-domain', range, `${verb} names your client's own host, not your email address. Your address goes in MAIL FROM later. smtp-server accepts any word here, but servers record this name (for example in the Received: header they add) and some refuse a greeting that is not a host name.`, `Write it as \`${verb} client.example.com\` (or \`${verb} [192.0.2.1]\`), then \`MAIL FROM:<${quote(domain)}>\`.`);
    return { ok: true, command: { verb, domain } };
  }
  const verdict = checkHelloArgument(verb, domain);
  if (verdict.kind !== 'ok') {
    const fix = verb === 'HELO' && domain.startsWith('[')
      ? `Write it as \`EHLO ${quote(domain)}\`, or name the host: \`HELO client.example.com\`.`
      : `Write it as \`${verb} client.example.com\` or \`EHLO [192.0.2.1]\`.`;
    warn(context, 'invalid-domain', range, `${verdict.reason} smtp-server accepts any single word here.`, fix);
  }
  return { ok: true, command: { verb, domain } };
}

function checkHelloArgument(verb: 'EHLO' | 'HELO', argument: string): DomainVerdict {
  if (!argument.startsWith('[')) return checkDomainName(argument);
  if (!argument.endsWith(']') || argument.length < 2) {
    return { kind: 'invalid', reason: 'The address literal opens with "[" but does not end with "]".' };
  }
  const literal = checkAddressLiteral(argument.slice(1, -1));
  if (literal.kind === 'ok' && verb === 'HELO') {
    return { kind: 'tolerated', reason: 'RFC 5321 allows an address literal after EHLO but not after HELO, which takes only a domain.' };
  }
  return literal;
}
