/**
 * The reply grammar of RFC 5321 §4.2: one line at a time, and whole (multi-line) replies.
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *                Reply-code [ SP textstring ] CRLF
 *   Reply-code = %x32-35 %x30-35 %x30-39
 */
import { splitEnhancedStatusCode } from './enhanced-status-code.ts';
import type {
  ParsedReplyLine,
  Reply,
  ReplyAssemblerResult,
  ReplyClass,
  ReplySyntaxError,
} from './types.ts';

const CLASS_BY_FIRST_DIGIT: Readonly<Record<number, ReplyClass>> = {
  2: 'positive-completion',
  3: 'positive-intermediate',
  4: 'transient-negative',
  5: 'permanent-negative',
};

/**
 * What the first digit of a reply code says (RFC 5321 §4.2.1).
 * @throws RangeError for a number that is not an integer from 200 to 599; every code the
 *   parser accepts is one.
 */
export function replyClass(code: number): ReplyClass {
  const inRange = Number.isInteger(code) && code >= 200 && code <= 599;
  const found = inRange ? CLASS_BY_FIRST_DIGIT[Math.floor(code / 100)] : undefined;
  if (found === undefined) throw new RangeError(`${code} is not an SMTP reply code (200–599)`);
  return found;
}

function syntaxError(line: string, message: string): ReplySyntaxError {
  return { line, message };
}

/**
 * Reads one reply line (without its CRLF). Returns the parsed line, or a syntax error with a
 * learner-facing reason (tell them apart with `'message' in result`); never throws. A bare
 * code ("250") is accepted as a last line, and a second digit above 5 with a warning.
 */
export function parseReplyLine(line: string): ParsedReplyLine | ReplySyntaxError {
  if (line.length === 0) {
    return syntaxError(line, 'The server sent an empty line; every reply line starts with a three-digit code.');
  }
  const digits = line.slice(0, 3);
  if (!/^[0-9]{3}$/.test(digits)) {
    return syntaxError(
      line,
      'A reply line starts with a three-digit code such as 250; this line does not.',
    );
  }
  const first = digits.charCodeAt(0) - 48;
  if (first < 2 || first > 5) {
    return syntaxError(
      line,
      `SMTP reply codes start with 2, 3, 4 or 5 (RFC 5321 §4.2.1); ${digits} starts with ${first}.`,
    );
  }
  const second = digits.charCodeAt(1) - 48;
  const warning =
    second > 5
      ? `The second digit of ${digits} is ${second}, but RFC 5321 §4.2.1 only defines 0 to 5; the reply is read by its first digit.`
      : null;
  const code = Number(digits);
  if (line.length === 3) return { code, continues: false, text: '', warning };
  const separator = line[3];
  if (separator !== ' ' && separator !== '-') {
    return syntaxError(
      line,
      `After the code comes a space (last line of the reply) or a hyphen (more lines follow), not ${JSON.stringify(separator)}.`,
    );
  }
  return { code, continues: separator === '-', text: line.slice(4), warning };
}

/**
 * Collects reply lines into complete replies: `250-…` lines wait for the `250 …` line that
 * ends them. Never throws; an unreadable line, or a line whose code differs from the lines
 * before it in the same reply (RFC 5321 §4.2.1 requires one code), is reported and the
 * unfinished reply is dropped.
 */
export class ReplyAssembler {
  #lines: string[] = [];
  #parsed: ParsedReplyLine[] = [];

  /** Adds one line (without CRLF); returns a result when a reply ends or the line is bad. */
  push(line: string): ReplyAssemblerResult | null {
    const parsed = parseReplyLine(line);
    const started = this.#parsed[0];
    const dropped = this.#lines.length;
    if ('message' in parsed) {
      this.#reset();
      return { kind: 'error', error: withDropped(parsed, dropped) };
    }
    if (started !== undefined && parsed.code !== started.code) {
      this.#reset();
      const message = `This line has code ${parsed.code}, but the reply it continues started with ${started.code}; every line of a multi-line reply must carry the same code (RFC 5321 §4.2.1).`;
      return { kind: 'error', error: withDropped({ line, message }, dropped) };
    }
    this.#lines.push(line);
    this.#parsed.push(parsed);
    if (parsed.continues) return null;
    const result = buildReply(started ?? parsed, this.#lines, this.#parsed);
    this.#reset();
    return result;
  }

  #reset(): void {
    this.#lines = [];
    this.#parsed = [];
  }
}

function withDropped(error: ReplySyntaxError, dropped: number): ReplySyntaxError {
  if (dropped === 0) return error;
  const note =
    dropped === 1
      ? 'The earlier line of this reply was dropped.'
      : `The ${dropped} earlier lines of this reply were dropped.`;
  return { line: error.line, message: `${error.message} ${note}` };
}

function buildReply(
  first: ParsedReplyLine,
  lines: readonly string[],
  parsed: readonly ParsedReplyLine[],
): ReplyAssemblerResult {
  const code = first.code;
  const warnings: string[] = first.warning === null ? [] : [first.warning];
  const { enhanced } = splitEnhancedStatusCode(first.text);
  let sameEnhancedEverywhere = true;
  const texts = parsed.map((p) => {
    if (enhanced === null) return p.text;
    const split = splitEnhancedStatusCode(p.text);
    if (split.enhanced?.text !== enhanced.text) sameEnhancedEverywhere = false;
    return split.enhanced === null ? p.text : split.rest;
  });
  if (enhanced !== null && enhanced.statusClass !== Math.floor(code / 100)) {
    warnings.push(
      `The enhanced code ${enhanced.text} should start with ${Math.floor(code / 100)}, like the reply code ${code} (RFC 2034 §4).`,
    );
  }
  if (enhanced !== null && !sameEnhancedEverywhere) {
    warnings.push(
      `Not every line of this reply repeats the enhanced code ${enhanced.text}, as RFC 2034 §4 asks; it was taken from the first line.`,
    );
  }
  const reply: Reply = { code, lines: [...lines], texts, enhanced };
  return { kind: 'reply', reply, warnings };
}
