/** Line rules every part of a DSN keeps: CRLF ends, no line over RFC 5322 §2.1.1's 998 octets. */

export const MAX_LINE_LENGTH = 998;

/** One line for a header field: CR and LF in a value would start a new field, so they become spaces. */
export const singleLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

/**
 * Folds a line longer than 998 characters (RFC 5322 §2.2.3): before a space where there is one,
 * so that unfolding (removing the CRLF) gives the text back exactly; a run with no space at all
 * is cut where the limit falls.
 */
export function foldLongLine(line: string): string {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > MAX_LINE_LENGTH) {
    const space = rest.lastIndexOf(' ', MAX_LINE_LENGTH);
    const cut = space > 0 ? space : MAX_LINE_LENGTH;
    pieces.push(rest.slice(0, cut));
    rest = space > 0 ? rest.slice(cut) : ` ${rest.slice(cut)}`;
  }
  pieces.push(rest);
  return pieces.join('\r\n');
}

/** Text with CRLF line ends, every line within the limit, and no trailing empty lines. */
export function crlfText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map(foldLongLine)
    .join('\r\n');
}
