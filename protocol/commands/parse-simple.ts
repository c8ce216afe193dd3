/**
 * The verbs with no argument or a free-text one: DATA, RSET, QUIT, STARTTLS (none),
 * NOOP and HELP (optional string), VRFY and EXPN (required string). RFC 5321 §4.1.1.
 */
import { argumentTokens, type Token } from './arguments.ts';
import { fail, span, warn, type VerbContext, type VerbParseResult, type VerbParser } from './issue.ts';

/** The parser for DATA, RSET, QUIT or STARTTLS, which take no argument. */
export function noArgument(verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS'): VerbParser {
  return (context) => parseNoArgument(context, verb);
}

function parseNoArgument(context: VerbContext, verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS'): VerbParseResult {
  const tokens = argumentTokens(context);
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first && last) {
    const range = span(first.start, last.end);
    if (verb === 'STARTTLS') {
      return fail(context, 'unexpected-argument', 'starttls', range);
    }
    warn(context, 'unexpected-argument', 'no-argument', range, { verb });
  }
  return { ok: true, command: { verb } };
}

/** NOOP [string] and HELP [topic]. */
export function parseOptionalString(context: VerbContext): VerbParseResult {
  const argument = joinTokens(context.line, argumentTokens(context));
  return context.verb === 'HELP'
    ? { ok: true, command: { verb: 'HELP', topic: argument } }
    : { ok: true, command: { verb: 'NOOP', argument } };
}

/** VRFY string and EXPN string. */
export function parseRequiredString(context: VerbContext): VerbParseResult {
  const verb = context.verb === 'EXPN' ? 'EXPN' : 'VRFY';
  const argument = joinTokens(context.line, argumentTokens(context));
  if (argument === null) {
    return fail(context, 'missing-argument', verb === 'VRFY' ? 'vrfy' : 'expn', context.verbRange);
  }
  return { ok: true, command: { verb, argument } };
}

/** The text from the first token to the last, or null when there is none. */
function joinTokens(line: string, tokens: readonly Token[]): string | null {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return first && last ? line.slice(first.start, last.end) : null;
}
