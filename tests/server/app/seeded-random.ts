/** A small seeded PRNG (mulberry32) for fuzz tests: the same seed gives the same inputs. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** Printable ASCII mixed with the odd control character, space and non-ASCII letter. */
  text(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      out += this.chance(0.9) ? String.fromCharCode(this.int(0x20, 0x7e)) : this.pick(['\0', '\t', '\r', '\n', '\u00e9', '\u{1f4e7}', '\ufffd', '"', '\\']);
    }
    return out;
  }

  /** `bytes` with a few random flips, insertions and deletions. */
  mutate(bytes: Buffer, edits: number): Buffer {
    let out = bytes;
    for (let i = 0; i < edits && out.length > 0; i++) {
      const at = this.int(0, out.length - 1);
      const kind = this.int(0, 2);
      if (kind === 0) out = Buffer.concat([out.subarray(0, at), Buffer.from([out[at]! ^ (1 << this.int(0, 7))]), out.subarray(at + 1)]);
      else if (kind === 1) out = Buffer.concat([out.subarray(0, at), this.bytes(this.int(1, 8)), out.subarray(at)]);
      else out = Buffer.concat([out.subarray(0, at), out.subarray(at + this.int(1, 8))]);
    }
    return out;
  }
}
