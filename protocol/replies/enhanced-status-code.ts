/** Reading RFC 3463 enhanced status codes (`5.7.8`) on their own and at the start of reply text. */
import type { EnhancedStatusCode } from './types.ts';

// RFC 3463 §2: class "." subject "." detail; class 2/4/5, subject and detail 1*3digit.
const CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
// RFC 2034 §4: in a reply the code starts the text and is followed by SP (or ends the line).
const LEADING_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})(?= |$)/;

function toCode(match: RegExpExecArray): EnhancedStatusCode {
  return {
    statusClass: Number(match[1]) as 2 | 4 | 5,
    subject: Number(match[2]),
    detail: Number(match[3]),
    text: match[0],
  };
}

/**
 * Parses a whole string such as "5.7.8" as an enhanced status code (RFC 3463 §2).
 * Returns null for anything else, including surrounding spaces.
 */
export function parseEnhancedStatusCode(text: string): EnhancedStatusCode | null {
  const match = CODE.exec(text);
  return match ? toCode(match) : null;
}

/**
 * Splits reply text such as "2.1.0 Accepted" into the enhanced code and the rest ("Accepted").
 * Text that does not start with a code followed by a space or the end comes back unchanged.
 */
export function splitEnhancedStatusCode(text: string): {
  enhanced: EnhancedStatusCode | null;
  rest: string;
} {
  const match = LEADING_CODE.exec(text);
  if (!match) return { enhanced: null, rest: text };
  return { enhanced: toCode(match), rest: text.slice(match[0].length + 1) };
}
