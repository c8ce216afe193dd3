/** BDAT chunk-size [LAST] (RFC 3030 §2): a chunk of exactly chunk-size octets follows the line. */
import { argumentTokens } from './arguments.ts';
import { isAllDigits } from './characters.ts';
import { fail, quote, span, type VerbContext, type VerbParseResult } from './issue.ts';

export function parseBdat(context: VerbContext): VerbParseResult {
  const [sizeToken, lastToken, ...extra] = argumentTokens(context);
  if (!sizeToken) {
    return fail(context, 'missing-argument', context.verbRange, 'BDAT needs the size of the chunk that follows, in octets; add LAST to the final chunk.', 'Write it as `BDAT 1000` or `BDAT 1000 LAST`.');
  }
  const sizeRange = span(sizeToken.start, sizeToken.end);
  if (!isAllDigits(sizeToken.text)) {
    return fail(context, 'invalid-chunk-size', sizeRange, `"${quote(sizeToken.text)}" is not a chunk size: BDAT takes the number of octets in the chunk, digits only.`, 'Write it as `BDAT 1000` or `BDAT 1000 LAST`.');
  }
  const size = Number(sizeToken.text);
  if (!Number.isSafeInteger(size)) {
    return fail(context, 'invalid-chunk-size', sizeRange, 'This chunk size is too large to be real. Send a large message as several BDAT chunks.', 'Write it as `BDAT 1000` or `BDAT 1000 LAST`.');
  }
  const lastExtra = extra[extra.length - 1];
  if (lastToken && lastExtra) {
    return fail(context, 'unexpected-argument', span(extra[0]?.start ?? lastToken.end, lastExtra.end), 'BDAT takes a chunk size and, on the final chunk, the word LAST; nothing else.', `Write it as \`BDAT ${size} LAST\`.`);
  }
  if (lastToken && lastToken.text.toUpperCase() !== 'LAST') {
    return fail(context, 'unexpected-argument', span(lastToken.start, lastToken.end), `After the chunk size only the word LAST may follow, to mark the final chunk, not "${quote(lastToken.text)}".`, `Write it as \`BDAT ${size} LAST\`.`);
  }
  return { ok: true, command: { verb: 'BDAT', size, last: lastToken !== undefined } };
}
