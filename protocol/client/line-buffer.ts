/**
 * The one line splitter: turns a stream of text chunks into lines. SMTP ends every line with
 * CRLF (RFC 5321 §2.3.8), but many real peers send a bare LF, so both end a line; the CR is
 * removed from `text` and kept in `raw`, so a host can show the wire byte for byte.
 */
export interface RawLine {
  /** The line without its line end. */
  readonly text: string;
  /** The line exactly as it travelled, line end included. */
  readonly raw: string;
  /** True when no line end came: the text was handed out because it grew past the limit. */
  readonly cut?: true;
}

export class LineBuffer {
  readonly #maxUnfinished: number;
  /**
   * Pieces of the unfinished line, joined only when it ends. Appending to one growing string
   * and searching it again after every 1-byte chunk would be quadratic.
   */
  #parts: string[] = [];
  #partsLength = 0;

  /**
   * @param maxUnfinished an unfinished line longer than this many characters is handed out
   *   as it is (with no line end in `raw`), so a peer that never ends its line cannot make
   *   the host hold an unbounded string.
   */
  constructor(maxUnfinished = Number.POSITIVE_INFINITY) {
    this.#maxUnfinished = maxUnfinished;
  }

  /** Adds a chunk and returns the lines it completed, without their line ends. */
  push(chunk: string): string[] {
    return this.pushRaw(chunk).map((line) => line.text);
  }

  /**
   * Adds a chunk and returns the lines it completed, each with its exact text.
   * A line end split across chunks ("…\r" then "\n…") is handled.
   */
  pushRaw(chunk: string): RawLine[] {
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
        lines.push({ text: raw, raw, cut: true });
      }
    }
    return lines;
  }

  /** The text received after the last line end (a CR waiting for its LF included). */
  get pending(): string {
    if (this.#parts.length > 1) this.#parts = [this.#parts.join('')];
    return this.#parts[0] ?? '';
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
