/**
 * The command grammar's entry point: finds the verb, applies the checks shared by every
 * line once, and hands the rest to the verb's own small parser from a table.
 */
import { nextSpace, skipSpaces } from './characters.ts';
import { issue, span, type VerbContext, type VerbParser } from './issue.ts';
import { forbiddenCharacterError, lineLengthWarning } from './line-checks.ts';
import { parseAuth } from './parse-auth.ts';
import { parseBdat } from './parse-bdat.ts';
import { parseHello } from './parse-hello.ts';
import { parseMailOrRcpt } from './parse-mail-rcpt.ts';
import { noArgument, parseOptionalString, parseRequiredString } from './parse-simple.ts';
import { VERBS, type ColumnRange, type CommandParseResult, type CommandSyntaxError, type Verb } from './types.ts';
import { unknownCommand } from './unknown-command.ts';

const PARSERS: Readonly<Record<Verb, VerbParser>> = {
  EHLO: parseHello,
  HELO: parseHello,
  MAIL: parseMailOrRcpt,
  RCPT: parseMailOrRcpt,
  DATA: noArgument('DATA'),
  RSET: noArgument('RSET'),
  QUIT: noArgument('QUIT'),
  STARTTLS: noArgument('STARTTLS'),
  NOOP: parseOptionalString,
  HELP: parseOptionalString,
  VRFY: parseRequiredString,
  EXPN: parseRequiredString,
  AUTH: parseAuth,
  BDAT: parseBdat,
};

function asVerb(word: string): Verb | null {
  const upper = word.toUpperCase();
  return (VERBS as readonly string[]).includes(upper) ? (upper as Verb) : null;
}

/**
 * Parses one SMTP command line (without its CRLF) into a typed command, or a syntax error
 * that says which columns are at fault, why, and how to write it. Verbs and keywords are
 * case-insensitive. Never throws, and takes time linear in the line's length.
 */
export function parseCommand(line: string): CommandParseResult {
  const result = parseLine(line);
  return result.ok
    ? { ok: true, command: result.command, warnings: result.warnings.map((w) => withSafeRange(w, line.length)) }
    : { ok: false, error: withSafeRange(result.error, line.length) };
}

function parseLine(line: string): CommandParseResult {
  if (line.length === 0) {
    return { ok: false, error: issue('empty-line', 'empty', null, span(0, 0)) };
  }
  const verbEnd = nextSpace(line, 0);
  const verb = asVerb(line.slice(0, verbEnd));
  const forbidden = forbiddenCharacterError(line, verb ?? asVerb(line.slice(0, wordEnd(line))));
  if (forbidden) return { ok: false, error: forbidden };
  if (verbEnd === 0) {
    const textStart = skipSpaces(line, 0);
    const onlySpaces = textStart === line.length;
    return { ok: false, error: issue('unknown-command', onlySpaces ? 'only-spaces' : 'leading-space', null, span(0, textStart)) };
  }
  if (!verb) return { ok: false, error: unknownCommand(line, verbEnd) };
  const context: VerbContext = { line, verb, verbRange: span(0, verbEnd), warnings: [] };
  const result = PARSERS[verb](context);
  if (!result.ok) return result;
  const tooLong = lineLengthWarning(line, verb);
  if (tooLong) context.warnings.push(tooLong);
  return { ok: true, command: result.command, warnings: context.warnings };
}

/** The end of the first word, stopping at a space or a control character ("EHLO\tx"). */
function wordEnd(line: string): number {
  let end = 0;
  while (end < line.length && line.charCodeAt(end) > 0x20) end++;
  return end;
}

/**
 * Keeps a range inside the line and non-empty on a non-empty line, whatever a verb parser
 * computed: the editor underlines it, and an empty underline shows nothing.
 */
function withSafeRange(problem: CommandSyntaxError, length: number): CommandSyntaxError {
  const start = Math.min(Math.max(problem.range.start, 0), length);
  const end = Math.min(Math.max(problem.range.end, start), length);
  let range: ColumnRange = { start, end };
  if (length > 0 && start === end) range = end < length ? { start, end: end + 1 } : { start: start - 1, end };
  return range.start === problem.range.start && range.end === problem.range.end ? problem : { ...problem, range };
}
