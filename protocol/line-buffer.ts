/**
 * Turns a stream of text chunks into lines. SMTP ends every line with CRLF (RFC 5321 §2.3.8),
 * but many real peers send a bare LF, so both end a line; the CR is removed.
 */
export class LineBuffer {
  /**
   * Pieces of the unfinished line, joined only when it ends. Appending to one growing string
   * and searching it again after every 1-byte chunk would be quadratic.
   */
  #parts: string[] = [];

  /**
   * Adds a chunk and returns the lines it completed, without their line ends.
   * A line end split across chunks ("…\r" then "\n…") is handled.
   */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const tail = chunk.slice(start, newline);
      let line = this.#parts.length > 0 ? this.#parts.join('') + tail : tail;
      this.#parts = [];
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lines.push(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.#parts.push(chunk.slice(start));
    return lines;
  }

  /** The text received after the last line end (a CR waiting for its LF included). */
  get pending(): string {
    if (this.#parts.length > 1) this.#parts = [this.#parts.join('')];
    return this.#parts[0] ?? '';
  }
}
