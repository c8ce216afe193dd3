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
    const message = verb === 'MAIL'
      ? 'MAIL needs FROM: and the sender\'s address in angle brackets.'
      : 'RCPT needs TO: and the recipient\'s address in angle brackets.';
    return fail(context, keywordCode(verb), context.verbRange, message, `Write it as \`${pathExample(verb, null)}\`.`);
  }
  if (keywordStart - afterVerb > 1) {
    return fail(context, 'extra-whitespace', span(afterVerb, keywordStart), `Write exactly one space between ${verb} and ${keyword}: smtp-server reads "${verb} ${keyword}" as one unit and refuses the command otherwise.`, `Write it as \`${pathExample(verb, guessAddress(line, keywordStart))}\`.`);
  }
  let keywordEnd = keywordStart;
  while (keywordEnd < line.length && !':< '.includes(line[keywordEnd] ?? '')) keywordEnd++;
  const word = line.slice(keywordStart, keywordEnd);
  if (word.toUpperCase() !== keyword) return wrongKeyword(context, verb, keywordStart, keywordEnd);

  let colon = keywordEnd;
  if (line[colon] === ' ') {
    const afterSpaces = skipSpaces(line, colon);
    if (line[afterSpaces] === ':') {
      warn(context, 'extra-whitespace', span(colon, afterSpaces), `RFC 5321 writes "${keyword}:" with no space before the colon; smtp-server accepts it anyway.`, `Write \`${verb} ${keyword}:<…>\`.`);
      colon = afterSpaces;
    }
  }
  if (line[colon] !== ':') {
    return fail(context, 'missing-colon', span(keywordStart, keywordEnd), `A colon goes right after ${keyword}, before the address.`, `Write it as \`${pathExample(verb, guessAddress(line, keywordEnd))}\`.`);
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
  const fix = `Write it as \`${pathExample(verb, address)}\`.`;
  let message: string;
  if (word.toUpperCase() === (verb === 'MAIL' ? 'TO' : 'FROM')) {
    message = verb === 'MAIL'
      ? 'MAIL FROM: names the sender. Recipients go in RCPT TO:, one command per recipient.'
      : 'RCPT TO: names a recipient. The sender goes in MAIL FROM:, before any RCPT.';
  } else if (!looksLikeAddress && closestWord(word, [keyword])) {
    message = `"${quote(word)}" looks like a typo. Did you mean ${verb} ${keyword}:?`;
  } else {
    message = `${verb} needs the keyword ${keyword}: before the address.`;
  }
  return fail(context, keywordCode(verb), range, message, fix);
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
    const message = verb === 'MAIL'
      ? 'The sender\'s address is missing after FROM:. Put it in angle brackets, or write <> (the null sender) for a bounce message.'
      : 'The recipient\'s address is missing after TO:. Put the mailbox that should receive the message in angle brackets.';
    return fail(context, 'missing-argument', span(keywordStart, colon + 1), message, `Write it as \`${pathExample(verb, null)}\`.`);
  }
  if (pathStart > colon + 1) {
    warn(context, 'space-after-colon', span(colon + 1, pathStart), `RFC 5321 has no space after "${verb === 'MAIL' ? 'FROM:' : 'TO:'}": the "<" follows the colon directly. smtp-server and most servers accept it anyway.`, `Write it as \`${pathExample(verb, guessAddress(line, pathStart))}\`.`);
  }
  if (line[pathStart] !== '<') {
    const tokenEnd = nextSpace(line, pathStart);
    const typed = trimCharacters(line.slice(pathStart, tokenEnd), ':', '>');
    return fail(context, 'missing-angle-brackets', span(pathStart, tokenEnd), 'The address must be inside angle brackets.', `Write it as \`${pathExample(verb, typed.length > 0 ? typed : null)}\`.`);
  }
  const scan = parsePath(context, pathStart);
  if (!scan.ok) return scan;
  const pathEnd = scan.path.range.end;
  if (line[pathEnd] === '>') {
    return fail(context, 'invalid-address', span(pathEnd, pathEnd + 1), 'There is one ">" too many after the address.', `Write it as \`${pathExample(verb, scan.path.address)}\`.`);
  }
  if (pathEnd < line.length && line[pathEnd] !== ' ') {
    return fail(context, 'invalid-parameter', span(pathEnd, nextSpace(line, pathEnd)), 'After the closing ">" comes either the end of the line or a space and a parameter.', `Write a space after ">": \`${pathExample(verb, scan.path.address)} ${quote(line.slice(pathEnd))}\`.`);
  }
  const params = parseEsmtpParams(context, pathEnd);
  if (!params.ok) return params;
  if (verb === 'MAIL' && scan.hasNonAscii && !params.params.some((param) => param.keyword === 'SMTPUTF8')) {
    warn(context, 'missing-smtputf8', scan.path.range, 'This address contains non-ASCII characters. RFC 6531 §3.4 asks for the SMTPUTF8 parameter on MAIL FROM when the transaction uses such addresses; smtp-server does not check.', `Write it as \`${pathExample(verb, scan.path.address)} SMTPUTF8\`.`);
  }
  return { ok: true, command: { verb, path: scan.path, params: params.params } };
}
