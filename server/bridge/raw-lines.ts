/**
 * Splits a text stream into lines like protocol/line-buffer.ts (LF ends a line, a CR before
 * it is removed), but also keeps each line's exact text with its line end, so the browser can
 * show the wire byte for byte (CRLF, bare LF) and not just the parsed lines.
 */
export interface RawLine {
  /** The line without its line end. */
  readonly text: string;
  /** The line exactly as it travelled, line end included. */
  readonly raw: string;
}

export class RawLineSplitter {
  readonly #maxUnfinished: number;
  /** Pieces of the unfinished line, joined only when it ends (joining per chunk is quadratic). */
  #parts: string[] = [];
  #partsLength = 0;

  /**
   * @param maxUnfinished an unfinished line longer than this many characters is handed out
   *   as it is (with no line end in `raw`), so a peer that never ends its line cannot make
   *   the bridge hold an unbounded string.
   */
  constructor(maxUnfinished: number) {
    this.#maxUnfinished = maxUnfinished;
  }

  /** Adds a chunk and returns the lines it completed. */
  push(chunk: string): RawLine[] {
    const lines: RawLine[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const raw = this.#take(chunk.slice(start, newline + 1));
      const withoutLf = raw.slice(0, -1);
      lines.push({ text: withoutLf.endsWith('\r') ? withoutLf.slice(0, -1) : withoutLf, raw });
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      this.#parts.push(rest);
      this.#partsLength += rest.length;
      if (this.#partsLength > this.#maxUnfinished) {
        const raw = this.#take('');
        lines.push({ text: raw, raw });
      }
    }
    return lines;
  }

  /** The unfinished line joined with `tail`; empties the buffer. */
  #take(tail: string): string {
    if (this.#parts.length === 0) return tail;
    const joined = this.#parts.join('') + tail;
    this.#parts = [];
    this.#partsLength = 0;
    return joined;
  }
}
