import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';
import {
  explainEnhancedCode,
  explainReply,
  explainReplyCode,
  formatReply,
  parseReplyLine,
  ReplyAssembler,
} from '../../../protocol/replies/index.ts';

// Lines that look like replies often enough to reach every branch: real codes, odd digits,
// both separators, enhanced codes, and arbitrary text including control characters.
const replyishLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')),
      fc.constantFrom('', ' ', '-', '_', '\t'),
      fc.constantFrom('', '2.0.0 ', '5.7.8 ', '4.5.3', '3.1.1 ', '2.1.10 '),
      fc.string({ unit: 'binary', maxLength: 20 }),
    )
    .map((parts) => parts.join('')),
);

describe('properties', () => {
  it('parseReplyLine never throws and returns one of its two shapes', () => {
    fc.assert(
      fc.property(replyishLine, (line) => {
        const parsed = parseReplyLine(line);
        if ('message' in parsed) {
          expect(parsed.line).toBe(line);
          expect(parsed.message.length).toBeGreaterThan(0);
        } else {
          expect(parsed.code).toBeGreaterThanOrEqual(200);
          expect(parsed.code).toBeLessThanOrEqual(599);
          expect(line.startsWith(String(parsed.code))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('ReplyAssembler and explainReply never throw on any sequence of lines', () => {
    fc.assert(
      fc.property(fc.array(replyishLine, { maxLength: 30 }), (lines) => {
        const assembler = new ReplyAssembler();
        for (const line of lines) {
          const result = assembler.push(line);
          if (result?.kind === 'reply') {
            expect(result.reply.lines.length).toBe(result.reply.texts.length);
            expect(result.reply.lines.at(-1)).toBe(line);
            expect(explainReply(result.reply).length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back every reply formatReply writes', () => {
    // Text must not start with something that reads as an enhanced code.
    const text = fc.stringMatching(/^[A-Za-z<[][ -~]{0,30}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 559 }).filter((code) => Math.floor(code / 10) % 10 <= 5),
        fc.array(text, { minLength: 1, maxLength: 5 }),
        fc.option(fc.constantFrom('2.0.0', '2.1.5', '4.5.3', '5.7.8', '5.1.10')),
        (code, texts, enhanced) => {
          const assembler = new ReplyAssembler();
          const results = formatReply(code, texts, enhanced).map((line) => assembler.push(line));
          const last = results.pop();
          expect(results.every((r) => r === null)).toBe(true);
          expect(last?.kind).toBe('reply');
          if (last?.kind !== 'reply') return;
          expect(last.reply.code).toBe(code);
          expect(last.reply.texts).toEqual(texts);
          expect(last.reply.enhanced?.text ?? null).toBe(enhanced);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('LineBuffer gives the same lines however the text is split', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', '\r\n', '2', '5'), maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (text, cuts) => {
          const whole = new LineBuffer();
          const expected = whole.push(text);
          const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces = positions.map((end, i) => text.slice(positions[i - 1] ?? 0, end));
          pieces.push(text.slice(positions.at(-1) ?? 0));
          const split = new LineBuffer();
          expect(pieces.flatMap((piece) => split.push(piece))).toEqual(expected);
          expect(split.pending).toBe(whole.pending);
          // Same as splitting at LF and dropping one CR before it.
          const parts = text.split('\n');
          const rest = parts.pop();
          expect(expected).toEqual(parts.map((line) => line.replace(/\r$/, '')));
          expect(whole.pending).toBe(rest);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the catalogs explain any input without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), fc.option(fc.string()), (code, command) => {
        expect(explainReplyCode(code, command ?? undefined).title.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (text) => {
        expect(explainEnhancedCode(text).classMeaning.length).toBeGreaterThan(0);
      }),
    );
  });
});
