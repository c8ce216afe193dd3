/**
 * A BDAT chunk (RFC 3030): exactly `size` octets of message data, no end marker and no dot
 * handling; whatever follows is commands again. Octets are counted in UTF-8, as they travel.
 * Every octet is counted, but only the first `keep` octets are kept (a whole character may
 * take the kept text just past it): a caller that refuses a message over its size limit has
 * no use for the rest, and a client cannot make the simulator hold more.
 */
import type { DataEnd, MessageDataReader } from './data-receiver.ts';
import { utf8ByteLength } from './utf8-length.ts';

export class ChunkReader implements MessageDataReader {
  #missing: number;
  readonly #size: number;
  readonly #keep: number;
  #kept = 0;
  readonly #pieces: string[] = [];

  constructor(size: number, keep = Infinity) {
    this.#missing = size;
    this.#size = size;
    this.#keep = keep;
  }

  /** Octets of the chunk read so far, kept or not. */
  get octets(): number {
    return this.#size - this.#missing;
  }

  feed(text: string): DataEnd | null {
    let taken = 0;
    let kept = 0;
    // A character split by the count cannot happen in text; it goes to the chunk whole.
    while (this.#missing > 0 && taken < text.length) {
      const unit = text.charCodeAt(taken);
      const width = unit >= 0xd800 && unit < 0xdc00 && taken + 1 < text.length ? 2 : 1;
      const bytes = unit < 0x80 ? 1 : utf8ByteLength(text.slice(taken, taken + width));
      this.#missing -= bytes;
      taken += width;
      if (this.#kept < this.#keep) {
        this.#kept += bytes;
        kept = taken;
      }
    }
    if (kept > 0) this.#pieces.push(text.slice(0, kept));
    if (this.#missing > 0) return null;
    return { content: this.#pieces.join(''), rest: text.slice(taken) };
  }
}
