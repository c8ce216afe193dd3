/**
 * Wire bytes to simulator text without losing the byte count. The simulator counts octets as
 * UTF-8 (SIZE, line lengths, BDAT chunks); a plain decoder turns each invalid byte into U+FFFD,
 * which counts 3, so a BDAT chunk with a stray byte would end early and its tail be read as
 * commands. Here each byte that is not part of valid UTF-8 becomes U+DC80–U+DCFF (Python's
 * "surrogateescape", PEP 383), which utf8ByteLength counts as the one octet it was, and
 * `wireBytes` turns back into that byte. A sequence split between chunks waits for its end.
 */
import { isUtf8 } from 'node:buffer';
import { escapedByte } from '../../protocol/simulator/utf8-length.ts';

const ESCAPED = /[\udc80-\udcff]/;

export class WireDecoder {
  /** The start of a multi-byte sequence the last chunk ended in. */
  #pending: Buffer = Buffer.alloc(0);

  write(chunk: Buffer): string {
    const bytes = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = Buffer.alloc(0);
    if (isUtf8(bytes)) return bytes.toString('utf8');
    const pieces: string[] = [];
    let run = 0;
    let index = 0;
    while (index < bytes.length) {
      const length = sequenceLength(bytes, index);
      if (length > 0) {
        index += length;
        continue;
      }
      pieces.push(bytes.toString('utf8', run, index));
      if (length === 0) {
        // Incomplete at the end of the chunk: decided when the next chunk comes.
        this.#pending = Buffer.from(bytes.subarray(index));
        return pieces.join('');
      }
      pieces.push(String.fromCharCode(0xdc00 + (bytes[index] ?? 0)));
      index += 1;
      run = index;
    }
    pieces.push(bytes.toString('utf8', run, index));
    return pieces.join('');
  }
}

/** The text as the bytes it came from: escaped bytes return to what they were. */
export function wireBytes(text: string): Buffer {
  if (!ESCAPED.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (const character of text) {
    const byte = escapedByte(character);
    if (byte === null) {
      run += character;
      continue;
    }
    parts.push(Buffer.from(run, 'utf8'), Buffer.from([byte]));
    run = '';
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/**
 * Length of the valid UTF-8 sequence at `index` (RFC 3629 §4), 0 when the bytes end before it
 * could be complete, -1 when the byte there starts no valid sequence.
 */
function sequenceLength(bytes: Buffer, index: number): number {
  const lead = bytes[index] ?? 0;
  if (lead < 0x80) return 1;
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
    : lead === 0xe0 ? [3, 0xa0, 0xbf]
    : lead === 0xed ? [3, 0x80, 0x9f]
    : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
    : lead === 0xf0 ? [4, 0x90, 0xbf]
    : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
    : lead === 0xf4 ? [4, 0x80, 0x8f]
    : [-1, 0, 0];
  if (length < 0) return -1;
  for (let offset = 1; offset < length; offset++) {
    if (index + offset >= bytes.length) return 0;
    const next = bytes[index + offset] ?? 0;
    const [min, max] = offset === 1 ? [low, high] : [0x80, 0xbf];
    if (next < min || next > max) return -1;
  }
  return length;
}
