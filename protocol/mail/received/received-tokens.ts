/**
 * Splits a Received field's value into the pieces its grammar (RFC 5321 §4.4) is made of:
 * words, (comments) with their nesting, <angle addresses>, [address literals] and the ";" before
 * the date. Real servers put almost anything in comments, so the comment is one token.
 */

export type ReceivedToken =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'semicolon' };

/** The inside of a comment starting at `start` (an open parenthesis), and where it ends. */
function readComment(value: string, start: number): { text: string; end: number } {
  let depth = 0;
  for (let index = start; index < value.length; index += 1) {
    const char = value[index];
    if (char === '\\') index += 1;
    else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0) return { text: value.slice(start + 1, index), end: index + 1 };
    }
  }
  // An unclosed comment runs to the end, as lenient readers take it.
  return { text: value.slice(start + 1), end: value.length };
}

export function receivedTokens(value: string): ReceivedToken[] {
  const tokens: ReceivedToken[] = [];
  let index = 0;
  while (index < value.length) {
    const char = value[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '(') {
      const comment = readComment(value, index);
      tokens.push({ kind: 'comment', text: comment.text.trim() });
      index = comment.end;
    } else if (char === ';') {
      tokens.push({ kind: 'semicolon' });
      index += 1;
    } else {
      // A word runs to whitespace, a comment or a semicolon; <…> and […] stay whole.
      let end = index;
      while (end < value.length && !/[\s(;]/.test(value[end] ?? '')) {
        const close = value[end] === '<' ? '>' : value[end] === '[' ? ']' : null;
        const closeAt = close === null ? -1 : value.indexOf(close, end);
        end = closeAt > end ? closeAt + 1 : end + 1;
      }
      tokens.push({ kind: 'word', text: value.slice(index, end) });
      index = end;
    }
  }
  return tokens;
}
