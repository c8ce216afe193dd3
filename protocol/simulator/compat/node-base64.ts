/**
 * Node's `Buffer.from(text, 'base64')`, which smtp-server uses to read AUTH tokens. It is
 * lenient, unlike RFC 4648: characters outside the alphabet are skipped, `-` and `_` count
 * as `+` and `/`, and decoding stops at the first `=`. Each UTF-16 unit is read by its low
 * byte, as Node's decoder does. Port of node/src/base64-inl.h (legacy decoder of Node 20).
 */

const INVALID = 255;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const UNBASE64 = buildTable();

function buildTable(): Uint8Array {
  const table = new Uint8Array(256).fill(INVALID);
  for (let index = 0; index < ALPHABET.length; index++) table[ALPHABET.charCodeAt(index)] = index;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
}

const EQUALS = 0x3d;

/** Decodes like Node's `Buffer.from(text, 'base64')`, byte for byte. */
export function decodeBase64LikeNode(text: string): Uint8Array {
  const source = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index) & 0xff);
  const capacity = allocatedLength(text);
  const output = new Uint8Array(capacity);
  const written = decodeInto(output, source, text);
  return output.slice(0, written);
}

/** The size Node allocates before decoding (lib/buffer.js base64ByteLength). */
function allocatedLength(text: string): number {
  let length = text.length;
  if (text.charCodeAt(length - 1) === EQUALS) length--;
  if (length > 1 && text.charCodeAt(length - 1) === EQUALS) length--;
  return (length * 3) >>> 2;
}

/** The size the decoder expects from the input length (base64_decoded_size). */
function expectedLength(text: string): number {
  let length = text.length;
  if (length < 2) return 0;
  if (text.charCodeAt(length - 1) === EQUALS) {
    length--;
    if (text.charCodeAt(length - 1) === EQUALS) length--;
  }
  if (length < 2) return 0;
  const remainder = length % 4;
  let size = Math.floor(length / 4) * 3;
  if (remainder) size = size === 0 && remainder === 1 ? 0 : size + 1 + (remainder === 3 ? 1 : 0);
  return size;
}

interface Cursor {
  i: number;
  k: number;
}

/** The fast path: whole groups of four valid characters, falling back to the slow path. */
function decodeInto(output: Uint8Array, source: number[], text: string): number {
  const available = Math.min(output.length, expectedLength(text));
  const maxK = Math.floor(available / 3) * 3;
  let maxI = Math.floor(source.length / 4) * 4;
  const cursor: Cursor = { i: 0, k: 0 };
  while (cursor.i < maxI && cursor.k < maxK) {
    const values = [0, 1, 2, 3].map((offset) => UNBASE64[source[cursor.i + offset] ?? 0] ?? INVALID);
    if (values.some((value) => value === INVALID)) {
      if (!decodeGroupSlowly(output, source, cursor)) return cursor.k;
      maxI = cursor.i + Math.floor((source.length - cursor.i) / 4) * 4;
      continue;
    }
    const [a = 0, b = 0, c = 0, d = 0] = values;
    output[cursor.k] = (a << 2) | (b >> 4);
    output[cursor.k + 1] = ((b & 0x0f) << 4) | (c >> 2);
    output[cursor.k + 2] = ((c & 0x03) << 6) | d;
    cursor.i += 4;
    cursor.k += 3;
  }
  if (cursor.i < source.length && cursor.k < output.length) decodeGroupSlowly(output, source, cursor);
  return cursor.k;
}

/**
 * One group of four valid characters, skipping invalid ones (base64_decode_group_slow).
 * Returns false when decoding has to stop.
 */
function decodeGroupSlowly(output: Uint8Array, source: number[], cursor: Cursor): boolean {
  let hi = 0;
  for (let step = 0; step < 4; step++) {
    let lo: number;
    for (;;) {
      const c = source[cursor.i] ?? 0;
      lo = UNBASE64[c] ?? INVALID;
      cursor.i += 1;
      if (lo < 64) break;
      if (c === EQUALS || cursor.i >= source.length) return false;
    }
    if (step === 1) output[cursor.k++] = ((hi & 0x3f) << 2) | ((lo & 0x30) >> 4);
    if (step === 2) output[cursor.k++] = ((hi & 0x0f) << 4) | ((lo & 0x3c) >> 2);
    if (step === 3) output[cursor.k++] = ((hi & 0x03) << 6) | (lo & 0x3f);
    if (cursor.i >= source.length) return false;
    if (cursor.k >= output.length) return false;
    hi = lo;
  }
  return true;
}

/**
 * Decodes base64 the way smtp-server does (`Buffer.from(token, 'base64').toString()`).
 * Node's Buffer keeps a leading byte-order mark, which TextDecoder drops unless told not to.
 */
export function decodeBase64TextLikeNode(text: string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(decodeBase64LikeNode(text));
}
