/** What a BDAT chunk reader and Postfix's line data reader keep once past what they were asked to keep. */
import { describe, expect, it } from 'vitest';
import { ChunkReader } from '../../../protocol/simulator/chunk-reader.ts';
import { LineDataReceiver } from '../../../protocol/simulator/line-data-receiver.ts';

describe('ChunkReader', () => {
  it('reads exactly the chunk size in octets and keeps it all by default', () => {
    const reader = new ChunkReader(5);
    expect(reader.feed('hé')).toBeNull();
    expect(reader.octets).toBe(3);
    expect(reader.feed('llo\r\nNOOP')).toEqual({ content: 'héll', rest: 'o\r\nNOOP' });
    expect(reader.octets).toBe(5);
  });

  it('counts every octet but keeps only the first `keep` of them', () => {
    const reader = new ChunkReader(1000, 10);
    expect(reader.feed('a'.repeat(600))).toBeNull();
    expect(reader.feed(`${'b'.repeat(400)}QUIT`)).toEqual({ content: 'a'.repeat(10), rest: 'QUIT' });
    expect(reader.octets).toBe(1000);
  });
});

describe('LineDataReceiver', () => {
  it('stops keeping lines just past `keep` octets and cuts an unended line, still finding the end', () => {
    const reader = new LineDataReceiver(10);
    expect(reader.feed('12345678\r\n.abc\r\n')).toBeNull();
    expect(reader.feed('x'.repeat(1000))).toBeNull();
    expect(reader.feed('\r\n..\r\nmore\r\n.\r\nQUIT\r\n')).toEqual({ content: '12345678\r\nabc\r\n', rest: 'QUIT\r\n' });
    const long = new LineDataReceiver(10);
    expect(long.feed('y'.repeat(1000))).toBeNull();
    expect(long.feed('\r\n.\r\n')).toEqual({ content: `${'y'.repeat(11)}\r\n`, rest: '' });
  });
});
