/**
 * The one reply formatter: turns a code, its text lines and an optional enhanced status code
 * into wire lines exactly as smtp-server's `send()` writes them (RFC 5321 §4.2).
 */

/**
 * Formats a reply as wire lines without CRLF. Every line of a multi-line reply carries the
 * code (and the enhanced code, when there is one); all lines but the last use `-` after it.
 * A reply without text is the bare code, except 334 which keeps its space (RFC 4954 §4).
 */
export function formatReply(code: number, texts: readonly string[], enhanced: string | null): string[] {
  if (texts.length <= 1) {
    const text = texts[0] ?? '';
    const parts = [String(code)];
    if (enhanced) parts.push(enhanced);
    if (text) parts.push(text);
    const line = parts.join(' ');
    return [code === 334 && line === '334' ? '334 ' : line];
  }
  return texts.map((text, index) => {
    const separator = index < texts.length - 1 ? '-' : ' ';
    return `${code}${separator}${enhanced ? `${enhanced} ` : ''}${text}`;
  });
}
