/**
 * EHLO and HELO (RFC 5321 §4.1.1.1): the client names its own host. smtp-server accepts any
 * single word up to 300 characters, so a malformed name is a warning, not an error.
 */
import { argumentTokens } from './arguments.ts';
import { checkAddressLiteral, checkDomainName, type DomainVerdict } from './domain.ts';
import { reasonText } from './grammar-reasons.ts';
import { fail, quote, span, warn, type VerbContext, type VerbParseResult } from './issue.ts';

/** smtp-server's MAX_HELO_HOSTNAME_LENGTH: longer names get "501 Error: Bad hostname syntax". */
const MAX_HELLO_ARGUMENT_LENGTH = 300;

/** Parses EHLO and HELO; the verb in the context says which. */
export function parseHello(context: VerbContext): VerbParseResult {
  const verb = context.verb === 'HELO' ? 'HELO' : 'EHLO';
  const tokens = argumentTokens(context);
  const first = tokens[0];
  if (!first) {
    return fail(context, 'missing-argument', 'hello', context.verbRange, { verb });
  }
  const last = tokens[tokens.length - 1] ?? first;
  if (tokens.length > 1) {
    return fail(context, 'unexpected-argument', 'hello', span(tokens[1]?.start ?? first.end, last.end), { verb, host: quote(first.text) });
  }
  const domain = first.text;
  const range = span(first.start, first.end);
  if (domain.length > MAX_HELLO_ARGUMENT_LENGTH) {
    return fail(context, 'invalid-domain', 'hello-too-long', range, { verb, limit: MAX_HELLO_ARGUMENT_LENGTH });
  }
  if (domain.includes('@')) {
    warn(context, 'invalid-domain', 'hello-email-address', range, { verb, address: quote(domain) });
    return { ok: true, command: { verb, domain } };
  }
  const verdict = checkHelloArgument(verb, domain);
  if (verdict.kind !== 'ok') {
    const reason = reasonText(verdict.reason);
    if (verb === 'HELO' && domain.startsWith('[')) {
      warn(context, 'invalid-domain', 'helo-address-literal', range, { reason, literal: quote(domain) });
    } else {
      warn(context, 'invalid-domain', 'hello-not-a-host', range, { reason, verb });
    }
  }
  return { ok: true, command: { verb, domain } };
}

function checkHelloArgument(verb: 'EHLO' | 'HELO', argument: string): DomainVerdict {
  if (!argument.startsWith('[')) return checkDomainName(argument);
  if (!argument.endsWith(']') || argument.length < 2) {
    return { kind: 'invalid', reason: { key: 'literal-unclosed' } };
  }
  const literal = checkAddressLiteral(argument.slice(1, -1));
  if (literal.kind === 'ok' && verb === 'HELO') {
    return { kind: 'tolerated', reason: { key: 'helo-literal' } };
  }
  return literal;
}
