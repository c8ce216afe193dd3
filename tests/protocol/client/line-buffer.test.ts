import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';

describe('LineBuffer', () => {
  const cases: Array<{ name: string; chunks: string[]; lines: string[]; pending: string }> = [
    { name: 'one CRLF line', chunks: ['250 OK\r\n'], lines: ['250 OK'], pending: '' },
    { name: 'two lines in one chunk', chunks: ['250-a\r\n250 b\r\n'], lines: ['250-a', '250 b'], pending: '' },
    { name: 'CRLF split between chunks', chunks: ['250 OK\r', '\n'], lines: ['250 OK'], pending: '' },
    { name: 'line split across three chunks', chunks: ['25', '0 O', 'K\r\n'], lines: ['250 OK'], pending: '' },
    { name: 'bare LF', chunks: ['220 hi\n250 ok\n'], lines: ['220 hi', '250 ok'], pending: '' },
    { name: 'mixed CRLF and LF', chunks: ['a\r\nb\nc\r\n'], lines: ['a', 'b', 'c'], pending: '' },
    { name: 'empty lines are kept', chunks: ['\r\n\n'], lines: ['', ''], pending: '' },
    { name: 'no line end yet', chunks: ['250 O', 'K'], lines: [], pending: '250 OK' },
    { name: 'a lone CR waits for its LF', chunks: ['250 OK\r'], lines: [], pending: '250 OK\r' },
    { name: 'CR inside a line is kept', chunks: ['a\rb\r\n'], lines: ['a\rb'], pending: '' },
    { name: 'only one CR is stripped', chunks: ['a\r\r\n'], lines: ['a\r'], pending: '' },
    { name: 'rest after the last line end', chunks: ['250 OK\r\n221 By'], lines: ['250 OK'], pending: '221 By' },
    { name: 'empty chunk', chunks: [''], lines: [], pending: '' },
  ];
  for (const { name, chunks, lines, pending } of cases) {
    it(name, () => {
      const buffer = new LineBuffer();
      const got = chunks.flatMap((chunk) => buffer.push(chunk));
      expect(got).toEqual(lines);
      expect(buffer.pending).toBe(pending);
    });
  }

  it('returns the lines completed by each chunk, not earlier ones', () => {
    const buffer = new LineBuffer();
    expect(buffer.push('250-a\r\n250')).toEqual(['250-a']);
    expect(buffer.push(' b\r\n')).toEqual(['250 b']);
    expect(buffer.push('')).toEqual([]);
  });

  it('reading pending does not change what comes next', () => {
    const buffer = new LineBuffer();
    buffer.push('ab');
    buffer.push('c');
    expect(buffer.pending).toBe('abc');
    expect(buffer.pending).toBe('abc');
    expect(buffer.push('d\r\n')).toEqual(['abcd']);
    expect(buffer.pending).toBe('');
  });

  it('handles a 1 MB line pushed one character at a time', () => {
    const buffer = new LineBuffer();
    const size = 1024 * 1024;
    let early = 0;
    for (let i = 0; i < size; i++) early += buffer.push('x').length;
    expect(early).toBe(0);
    const lines = buffer.push('\r\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(size);
    expect(buffer.pending).toBe('');
  });

  it('splits many small chunks of many lines', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `250-line ${i}\r\n`).join('');
    const buffer = new LineBuffer();
    const lines: string[] = [];
    for (let i = 0; i < text.length; i += 3) lines.push(...buffer.push(text.slice(i, i + 3)));
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toBe('250-line 0');
    expect(lines[999]).toBe('250-line 999');
  });
});
