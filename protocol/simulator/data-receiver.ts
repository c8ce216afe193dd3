/**
 * Message data after "354": smtp-stream's data mode. Finds the end-of-data line and removes
 * the transparency dots (RFC 5321 §4.5.2), with smtp-stream's exact rules:
 * - data ends at CRLF "." CRLF, or at "." CRLF as the very first line;
 * - a line that starts with ".." loses its first dot; a line starting with a single dot
 *   followed by other text keeps it (RFC 5321 asks servers to delete it: a real difference);
 * - a line start is any LF, so a bare LF also starts a line for unstuffing, but only
 *   CRLF "." CRLF ends the data.
 * The result does not depend on how the input was split into chunks.
 */

export interface DataEnd {
  /** The message, dot-unstuffed, ending with the CRLF before the final dot (if any). */
  readonly content: string;
  /** Input after the end-of-data line: pipelined commands. */
  readonly rest: string;
}

/** Reads message data after 354 until its end-of-data line (one per personality's dot rules). */
export interface MessageDataReader {
  /** Adds client text; returns the end of the message once the end-of-data line arrived. */
  feed(text: string): DataEnd | null;
}

export class DataReceiver implements MessageDataReader {
  /** Everything received since the 354, as sent (the source of truth for offsets). */
  #raw = '';
  /** Where to continue looking for dots. */
  #cursor = 0;
  /** Offsets of transparency dots to drop. */
  #dropped: number[] = [];

  /** Adds client text; returns the end of the message once the end-of-data line arrived. */
  feed(text: string): DataEnd | null {
    this.#raw += text;
    const raw = this.#raw;
    for (;;) {
      const dot = raw.indexOf('.', this.#cursor);
      if (dot < 0) {
        this.#cursor = raw.length;
        return null;
      }
      // smtp-stream never looks at offset 1: with one byte before it, it cannot follow CRLF.
      const atLineStart = dot === 0 || (dot >= 2 && raw[dot - 1] === '\n');
      if (!atLineStart) {
        this.#cursor = dot + 1;
        continue;
      }
      if (dot === 0 && raw[1] === '.') {
        this.#dropped.push(0);
        this.#cursor = 1;
        continue;
      }
      // Deciding needs the two characters after the dot.
      if (dot + 2 >= raw.length) {
        this.#cursor = dot;
        return null;
      }
      const endsData = raw[dot + 1] === '\r' && raw[dot + 2] === '\n' && (dot === 0 || raw[dot - 2] === '\r');
      if (endsData) return { content: this.#unstuffed(dot), rest: raw.slice(dot + 3) };
      if (dot > 0 && raw[dot + 1] === '.') this.#dropped.push(dot);
      this.#cursor = dot + 1;
    }
  }

  #unstuffed(end: number): string {
    const pieces: string[] = [];
    let start = 0;
    for (const dropped of this.#dropped) {
      pieces.push(this.#raw.slice(start, dropped));
      start = dropped + 1;
    }
    pieces.push(this.#raw.slice(start, end));
    return pieces.join('');
  }
}
