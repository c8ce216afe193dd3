/**
 * A BDAT chunk (RFC 3030): exactly `size` octets of message data, no end marker and no dot
 * handling; whatever follows is commands again. Octets are counted in UTF-8, as they travel.
 */
import type { DataEnd, MessageDataReader } from './data-receiver.ts';
import { utf8ByteLength } from './utf8-length.ts';

export class ChunkReader implements MessageDataReader {
  #missing: number;
  readonly #pieces: string[] = [];

  constructor(size: number) {
    this.#missing = size;
  }

  feed(text: string): DataEnd | null {
    let taken = 0;
    // A character split by the count cannot happen in text; it goes to the chunk whole.
    while (this.#missing > 0 && taken < text.length) {
      const unit = text.charCodeAt(taken);
      const width = unit >= 0xd800 && unit < 0xdc00 && taken + 1 < text.length ? 2 : 1;
      this.#missing -= unit < 0x80 ? 1 : utf8ByteLength(text.slice(taken, taken + width));
      taken += width;
    }
    this.#pieces.push(text.slice(0, taken));
    if (this.#missing > 0) return null;
    return { content: this.#pieces.join(''), rest: text.slice(taken) };
  }
}
