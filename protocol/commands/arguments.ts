/** Splits the arguments after a verb into space-separated tokens with their columns. */
import { nextSpace, skipSpaces } from './characters.ts';
import { span, warn, type VerbContext } from './issue.ts';

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The tokens after the verb. RFC 5321 separates them with exactly one space and allows
 * none at the end of the line; real servers split on any run of whitespace, so extra
 * spaces only earn a warning (the first run found).
 */
export function argumentTokens(context: VerbContext): Token[] {
  return tokensFrom(context, context.verbRange.end);
}

/** Like {@link argumentTokens}, starting at any column. */
export function tokensFrom(context: VerbContext, from: number): Token[] {
  const { line } = context;
  const tokens: Token[] = [];
  let position = from;
  let warned = false;
  while (position < line.length) {
    const tokenStart = skipSpaces(line, position);
    const gap = tokenStart - position;
    const atEnd = tokenStart === line.length;
    if (!warned && (gap > 1 || atEnd)) {
      warned = true;
      warnExtraSpaces(context, position, tokenStart, atEnd);
    }
    if (atEnd) break;
    const tokenEnd = nextSpace(line, tokenStart);
    tokens.push({ text: line.slice(tokenStart, tokenEnd), start: tokenStart, end: tokenEnd });
    position = tokenEnd;
  }
  return tokens;
}

/** Warns about a run of spaces [start, end) that RFC 5321 does not allow. */
function warnExtraSpaces(
  context: VerbContext,
  start: number,
  end: number,
  atEnd: boolean,
): void {
  warn(context, 'extra-whitespace', atEnd ? 'trailing-space' : 'between-words', span(start, end));
}
