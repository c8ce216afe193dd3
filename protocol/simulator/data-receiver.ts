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
import { utf8ByteLength } from './utf8-length.ts';

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
  /** The message so far, dot-unstuffed, cut just past `keep` octets. */
  readonly #kept: string[] = [];
  #keptOctets = 0;
  readonly #keep: number;
  /** Raw text not decided yet: a line-start dot waiting for the two characters after it. */
  #pending = '';
  /** The last two raw characters before #pending ('' or one at the very start). */
  #before = '';
  /** Raw offset of #pending's first character: a dot at offset 0 starts a line. */
  #offset = 0;

  /**
   * Only about `keep` + 1 octets are kept: a caller that refuses a message over its size
   * limit needs no more to decide, and a client cannot make the simulator hold more.
   */
  constructor(keep = Infinity) {
    this.#keep = keep;
  }

  /** Adds client text; returns the end of the message once the end-of-data line arrived. */
  feed(text: string): DataEnd | null {
    // `raw` holds two characters of context, the undecided tail and the new text.
    const raw = this.#before + this.#pending + text;
    const base = this.#offset - this.#before.length;
    let start = this.#before.length;
    let cursor = start;
    for (;;) {
      const dot = raw.indexOf('.', cursor);
      if (dot < 0) break;
      const offset = base + dot;
      // smtp-stream never looks at offset 1: with one byte before it, it cannot follow CRLF.
      const atLineStart = offset === 0 || (offset >= 2 && raw[dot - 1] === '\n');
      if (!atLineStart) {
        cursor = dot + 1;
        continue;
      }
      if (offset === 0 && raw[dot + 1] === '.') {
        start = cursor = dot + 1;
        continue;
      }
      // Deciding needs the two characters after the dot.
      if (dot + 2 >= raw.length) {
        this.#keepText(raw.slice(start, dot));
        this.#remember(raw, dot, base);
        return null;
      }
      const endsData = raw[dot + 1] === '\r' && raw[dot + 2] === '\n' && (offset === 0 || raw[dot - 2] === '\r');
      if (endsData) {
        this.#keepText(raw.slice(start, dot));
        return { content: this.#kept.join(''), rest: raw.slice(dot + 3) };
      }
      if (offset > 0 && raw[dot + 1] === '.') {
        this.#keepText(raw.slice(start, dot));
        start = dot + 1;
      }
      cursor = dot + 1;
    }
    this.#keepText(raw.slice(start));
    this.#remember(raw, raw.length, base);
    return null;
  }

  /** Holds raw[from…] as undecided and the two characters before it as context. */
  #remember(raw: string, from: number, base: number): void {
    this.#pending = raw.slice(from);
    this.#before = raw.slice(Math.max(0, from - 2), from);
    this.#offset = base + from;
  }

  #keepText(piece: string): void {
    if (piece === '' || this.#keptOctets > this.#keep) return;
    // Characters are at least one octet each: keep + 1 - kept characters reach past `keep`.
    const cut = this.#keep === Infinity ? piece : piece.slice(0, this.#keep + 1 - this.#keptOctets);
    this.#kept.push(cut);
    if (this.#keep !== Infinity) this.#keptOctets += utf8ByteLength(cut);
  }
}
