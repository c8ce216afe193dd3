/** BDAT chunk-size [LAST] (RFC 3030 §2): a chunk of exactly chunk-size octets follows the line. */
import { argumentTokens } from './arguments.ts';
import { isAllDigits } from './characters.ts';
import { fail, quote, span, type VerbContext, type VerbParseResult } from './issue.ts';

export function parseBdat(context: VerbContext): VerbParseResult {
  const [sizeToken, lastToken, ...extra] = argumentTokens(context);
  if (!sizeToken) {
    return fail(context, 'missing-argument', 'bdat', context.verbRange);
  }
  const sizeRange = span(sizeToken.start, sizeToken.end);
  if (!isAllDigits(sizeToken.text)) {
    return fail(context, 'invalid-chunk-size', 'not-digits', sizeRange, { size: quote(sizeToken.text) });
  }
  const size = Number(sizeToken.text);
  if (!Number.isSafeInteger(size)) {
    return fail(context, 'invalid-chunk-size', 'too-large', sizeRange);
  }
  const lastExtra = extra[extra.length - 1];
  if (lastToken && lastExtra) {
    return fail(context, 'unexpected-argument', 'bdat-extra', span(extra[0]?.start ?? lastToken.end, lastExtra.end), { size });
  }
  if (lastToken && lastToken.text.toUpperCase() !== 'LAST') {
    return fail(context, 'unexpected-argument', 'bdat-not-last', span(lastToken.start, lastToken.end), { word: quote(lastToken.text), size });
  }
  return { ok: true, command: { verb: 'BDAT', size, last: lastToken !== undefined } };
}
