/** Wire bytes to simulator text: every byte counted once, invalid UTF-8 included, however the bytes are split. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../../protocol/simulator/utf8-length.ts';
import { WireDecoder, wireBytes } from '../../../server/sandbox/wire-decoder.ts';

function decode(chunks: readonly Buffer[]): string {
  const decoder = new WireDecoder();
  return chunks.map((chunk) => decoder.write(chunk)).join('');
}

describe('WireDecoder', () => {
  it('decodes valid UTF-8, also split inside a character', () => {
    const bytes = Buffer.from('héllo €𝄞', 'utf8');
    expect(decode([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toBe('héllo €𝄞');
  });

  it('keeps each invalid byte as one character that counts one octet and turns back into that byte', () => {
    const bytes = Buffer.from([0xff, 0x61, 0xc3, 0xa9, 0xe2, 0x62, 0xed, 0xa0, 0x80, 0xc0, 0xaf]);
    const text = decode([bytes]);
    expect(text.slice(1, 3)).toBe('aé');
    expect(utf8ByteLength(text)).toBe(bytes.length);
    expect(wireBytes(text)).toEqual(bytes);
  });

  it('any bytes, split anywhere: the count is the wire count and the bytes come back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 4 }), (array, cuts) => {
        const bytes = Buffer.from(array);
        const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, index) => bytes.subarray(start, positions[index] ?? bytes.length));
        const text = decode(chunks);
        // A sequence cut off by the end of the stream is still pending, as on an open connection.
        const pending = bytes.length - wireBytes(text).length;
        expect(pending).toBeLessThan(4);
        expect(utf8ByteLength(text)).toBe(bytes.length - pending);
        expect(wireBytes(text)).toEqual(bytes.subarray(0, bytes.length - pending));
      }),
      { numRuns: 2000 },
    );
  });
});
