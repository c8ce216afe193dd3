/**
 * MAIL FROM:<reverse-path> [params] and RCPT TO:<forward-path> [params] (RFC 5321 §4.1.1.2,
 * §4.1.1.3), graded against smtp-server's `_parseAddressCommand`: it splits at the first
 * colon, trims, and needs `<…>` as the first word after it.
 */
import { closestWord } from './did-you-mean.ts';
import { nextSpace, skipSpaces, trimCharacters } from './characters.ts';
import { parseEsmtpParams } from './esmtp-params.ts';
import { fail, quote, span, warn, type VerbContext, type VerbParseResult } from './issue.ts';
import { parsePath, pathExample } from './path.ts';

/** Parses MAIL and RCPT; the verb in the context says which. */
export function parseMailOrRcpt(context: VerbContext): VerbParseResult {
  const { line } = context;
  const verb = context.verb === 'MAIL' ? 'MAIL' : 'RCPT';
  const keyword = verb === 'MAIL' ? 'FROM' : 'TO';
  const afterVerb = context.verbRange.end;
  const keywordStart = skipSpaces(line, afterVerb);
  if (keywordStart === line.length) {
    return fail(context, keywordCode(verb), 'nothing-after-verb', context.verbRange, { example: pathExample(verb, null) });
  }
  if (keywordStart - afterVerb > 1) {
    const example = pathExample(verb, guessAddress(line, keywordStart));
    return fail(context, 'extra-whitespace', 'verb-keyword-gap', span(afterVerb, keywordStart), { verb, keyword, example });
  }
  let keywordEnd = keywordStart;
  while (keywordEnd < line.length && !':< '.includes(line[keywordEnd] ?? '')) keywordEnd++;
  const word = line.slice(keywordStart, keywordEnd);
  if (word.toUpperCase() !== keyword) return wrongKeyword(context, verb, keywordStart, keywordEnd);

  let colon = keywordEnd;
  if (line[colon] === ' ') {
    const afterSpaces = skipSpaces(line, colon);
    if (line[afterSpaces] === ':') {
      warn(context, 'extra-whitespace', 'space-before-colon', span(colon, afterSpaces), { verb, keyword });
      colon = afterSpaces;
    }
  }
  if (line[colon] !== ':') {
    const example = pathExample(verb, guessAddress(line, keywordEnd));
    return fail(context, 'missing-colon', 'missing', span(keywordStart, keywordEnd), { keyword, example });
  }
  return parseAfterColon(context, verb, keywordStart, colon);
}

function keywordCode(verb: 'MAIL' | 'RCPT'): 'missing-from-keyword' | 'missing-to-keyword' {
  return verb === 'MAIL' ? 'missing-from-keyword' : 'missing-to-keyword';
}

/** The keyword is missing, misspelt, or the other command's (`MAIL TO:`). */
function wrongKeyword(context: VerbContext, verb: 'MAIL' | 'RCPT', start: number, end: number): VerbParseResult {
  const { line } = context;
  const keyword = verb === 'MAIL' ? 'FROM' : 'TO';
  const word = line.slice(start, end);
  const looksLikeAddress = word.length === 0 || word.includes('@');
  const range = looksLikeAddress ? span(start, Math.max(nextSpace(line, start), start + 1)) : span(start, end);
  const address = guessAddress(line, looksLikeAddress ? start : end);
  const example = pathExample(verb, address);
  if (word.toUpperCase() === (verb === 'MAIL' ? 'TO' : 'FROM')) {
    return fail(context, keywordCode(verb), 'other-keyword', range, { example });
  }
  if (!looksLikeAddress && closestWord(word, [keyword])) {
    return fail(context, keywordCode(verb), 'typo', range, { word: quote(word), verb, keyword, example });
  }
  return fail(context, keywordCode(verb), 'missing', range, { verb, keyword, example });
}

/** The learner's own address from a malformed line, to use in the fix; null if none. */
function guessAddress(line: string, from: number): string | null {
  const start = skipSpaces(line, from);
  const afterColon = line[start] === ':' ? skipSpaces(line, start + 1) : start;
  const token = line.slice(afterColon, nextSpace(line, afterColon));
  const address = trimCharacters(token, ':<', '>');
  return address.length > 0 ? address : null;
}

function parseAfterColon(context: VerbContext, verb: 'MAIL' | 'RCPT', keywordStart: number, colon: number): VerbParseResult {
  const { line } = context;
  const pathStart = skipSpaces(line, colon + 1);
  if (pathStart === line.length) {
    const variant = verb === 'MAIL' ? 'sender' : 'recipient';
    return fail(context, 'missing-argument', variant, span(keywordStart, colon + 1), { example: pathExample(verb, null) });
  }
  if (pathStart > colon + 1) {
    const example = pathExample(verb, guessAddress(line, pathStart));
    warn(context, 'space-after-colon', 'space', span(colon + 1, pathStart), { keyword: verb === 'MAIL' ? 'FROM' : 'TO', example });
  }
  if (line[pathStart] !== '<') {
    const tokenEnd = nextSpace(line, pathStart);
    const typed = trimCharacters(line.slice(pathStart, tokenEnd), ':', '>');
    const example = pathExample(verb, typed.length > 0 ? typed : null);
    return fail(context, 'missing-angle-brackets', 'missing', span(pathStart, tokenEnd), { example });
  }
  const scan = parsePath(context, pathStart);
  if (!scan.ok) return scan;
  const pathEnd = scan.path.range.end;
  if (line[pathEnd] === '>') {
    const example = pathExample(verb, scan.path.address);
    return fail(context, 'invalid-address', 'extra-closing-bracket', span(pathEnd, pathEnd + 1), { example });
  }
  if (pathEnd < line.length && line[pathEnd] !== ' ') {
    const params = { example: pathExample(verb, scan.path.address), rest: quote(line.slice(pathEnd)) };
    return fail(context, 'invalid-parameter', 'after-path', span(pathEnd, nextSpace(line, pathEnd)), params);
  }
  const params = parseEsmtpParams(context, pathEnd);
  if (!params.ok) return params;
  if (verb === 'MAIL' && scan.hasNonAscii && !params.params.some((param) => param.keyword === 'SMTPUTF8')) {
    warn(context, 'missing-smtputf8', 'missing', scan.path.range, { example: pathExample(verb, scan.path.address) });
  }
  return { ok: true, command: { verb, path: scan.path, params: params.params } };
}
