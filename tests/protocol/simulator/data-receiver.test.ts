import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataReceiver, type DataEnd } from '../../../protocol/simulator/data-receiver.ts';
import { utf8ByteLength } from '../../../protocol/simulator/utf8-length.ts';

function receiveAll(chunks: readonly string[], keep = Infinity): DataEnd | null {
  const receiver = new DataReceiver(keep);
  let end: DataEnd | null = null;
  const pending: string[] = [];
  for (const chunk of chunks) {
    if (end) pending.push(chunk);
    else end = receiver.feed(chunk);
  }
  return end && { content: end.content, rest: end.rest + pending.join('') };
}

describe('DataReceiver', () => {
  it.each([
    ['ends at CRLF . CRLF and keeps the last CRLF', 'Hi\r\n.\r\nNOOP\r\n', 'Hi\r\n', 'NOOP\r\n'],
    ['an immediate "." ends an empty message', '.\r\nQUIT\r\n', '', 'QUIT\r\n'],
    ['removes the transparency dot', 'a\r\n..b\r\n..\r\n.\r\n', 'a\r\n.b\r\n.\r\n', ''],
    ['unstuffs a dot-stuffed first line', '..\r\n.\r\n', '.\r\n', ''],
    ['keeps a single leading dot (smtp-server, unlike RFC 5321 §4.5.2)', '.x\r\n.y\r\n.\r\n', '.x\r\n.y\r\n', ''],
    ['an empty first line', '\r\n.\r\n', '\r\n', ''],
    ['a bare LF starts a line for unstuffing but never ends the data', 'a\n..b\n.\nc\r\n.\r\n', 'a\n.b\n.\nc\r\n', ''],
    ['a bare LF right at the start does not start a line', '\n..b\r\n.\r\n', '\n..b\r\n', ''],
  ])('%s', (_name, input, content, rest) => {
    expect(receiveAll([input])).toEqual({ content, rest });
  });

  it('waits for the end-of-data line', () => {
    const receiver = new DataReceiver();
    expect(receiver.feed('Hi\r\n')).toBeNull();
    expect(receiver.feed('.')).toBeNull();
    expect(receiver.feed('\r')).toBeNull();
    expect(receiver.feed('\n')).toEqual({ content: 'Hi\r\n', rest: '' });
  });

  it('gives the same result however the input is split', () => {
    const text = fc.array(fc.constantFrom('.', '\r', '\n', 'a', '\r\n', '..', '\r\n.\r\n'), { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const positions = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, index) => input.slice(start, positions[index] ?? input.length));
        expect(receiveAll(chunks)).toEqual(receiveAll([input]));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps only just past `keep` octets, however much comes, and still finds the end', () => {
    const receiver = new DataReceiver(10);
    expect(receiver.feed('12345678\r\n..abc')).toBeNull();
    for (let index = 0; index < 100; index++) expect(receiver.feed('x'.repeat(10_000))).toBeNull();
    expect(receiver.feed('\r\n.\r\nQUIT\r\n')).toEqual({ content: '12345678\r\n.', rest: 'QUIT\r\n' });
  });

  it('with a limit, keeps the start of the message and stays over the limit exactly when the message is', () => {
    const text = fc.array(fc.constantFrom('.', '\r', '\n', 'a', 'é', '\r\n', '..', '\r\n.\r\n'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.nat({ max: 40 }), fc.nat(), (input, keep, cut) => {
        const at = cut % (input.length + 1);
        const whole = receiveAll([input]);
        const kept = receiveAll([input.slice(0, at), input.slice(at)], keep);
        expect(kept?.rest).toEqual(whole?.rest);
        if (!whole || !kept) return;
        expect(whole.content.startsWith(kept.content)).toBe(true);
        expect(utf8ByteLength(kept.content) > keep).toBe(utf8ByteLength(whole.content) > keep);
      }),
      { numRuns: 2000 },
    );
  });
});
