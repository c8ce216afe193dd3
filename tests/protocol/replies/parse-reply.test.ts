import { describe, expect, it } from 'vitest';
import {
  parseEnhancedStatusCode,
  parseReplyLine,
  ReplyAssembler,
  replyClass,
  splitEnhancedStatusCode,
} from '../../../protocol/replies/index.ts';
import type { Reply, ReplyAssemblerResult } from '../../../protocol/replies/index.ts';

describe('parseReplyLine', () => {
  const good: Array<[string, number, boolean, string]> = [
    ['250 OK', 250, false, 'OK'],
    ['250-PIPELINING', 250, true, 'PIPELINING'],
    ['250', 250, false, ''],
    ['250-', 250, true, ''],
    ['334 ', 334, false, ''],
    ['334 VXNlcm5hbWU6', 334, false, 'VXNlcm5hbWU6'],
    ['550 5.1.1 No such user', 550, false, '5.1.1 No such user'],
    ['220 mx.example ESMTP  two  spaces ', 220, false, 'mx.example ESMTP  two  spaces '],
    ['559 x', 559, false, 'x'],
    ['200 -dash', 200, false, '-dash'],
  ];
  for (const [line, code, continues, text] of good) {
    it(`reads ${JSON.stringify(line)}`, () => {
      expect(parseReplyLine(line)).toEqual({ code, continues, text, warning: null });
    });
  }

  it('accepts a second digit above 5 with a warning', () => {
    const parsed = parseReplyLine('260 odd');
    expect(parsed).toMatchObject({ code: 260, continues: false, text: 'odd' });
    expect('warning' in parsed && parsed.warning).toMatch(/second digit of 260 is 6/);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty line/],
    ['25', /three-digit code/],
    ['abc OK', /three-digit code/],
    ['2a0 OK', /three-digit code/],
    [' 250 OK', /three-digit code/],
    ['150 preliminary', /start with 2, 3, 4 or 5/],
    ['650 nope', /start with 2, 3, 4 or 5/],
    ['050 nope', /start with 2, 3, 4 or 5/],
    ['2500', /space .* or a hyphen/],
    ['250_OK', /space .* or a hyphen/],
    ['250\tOK', /space .* or a hyphen/],
    ['HTTP/1.1 400 Bad Request', /three-digit code/],
  ];
  for (const [line, message] of bad) {
    it(`rejects ${JSON.stringify(line)}`, () => {
      const parsed = parseReplyLine(line);
      expect(parsed).toEqual({ line, message: expect.stringMatching(message) });
    });
  }
});

describe('parseEnhancedStatusCode', () => {
  it('reads class, subject and detail', () => {
    expect(parseEnhancedStatusCode('5.7.8')).toEqual({ statusClass: 5, subject: 7, detail: 8, text: '5.7.8' });
    expect(parseEnhancedStatusCode('2.1.10')).toEqual({ statusClass: 2, subject: 1, detail: 10, text: '2.1.10' });
    expect(parseEnhancedStatusCode('4.123.456')).toMatchObject({ subject: 123, detail: 456 });
  });
  for (const text of ['3.7.0', '1.0.0', '5.7', '5.7.8.1', '5.1234.1', '5.1.1234', ' 5.7.8', '5.7.8 ', '5..8', 'a.b.c', '']) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(parseEnhancedStatusCode(text)).toBeNull();
    });
  }
});

describe('splitEnhancedStatusCode', () => {
  it('splits the code from the text after one space', () => {
    expect(splitEnhancedStatusCode('2.1.0 Accepted')).toEqual({
      enhanced: { statusClass: 2, subject: 1, detail: 0, text: '2.1.0' },
      rest: 'Accepted',
    });
    expect(splitEnhancedStatusCode('2.0.0')).toMatchObject({ rest: '' });
  });
  it('leaves text that only looks like a code alone', () => {
    for (const text of ['2.0.0OK', '2.0.0.1 x', 'OK 2.0.0', '1.2.3 x', 'version 5.7.8']) {
      expect(splitEnhancedStatusCode(text)).toEqual({ enhanced: null, rest: text });
    }
  });
});

describe('replyClass', () => {
  it('reads the first digit', () => {
    expect(replyClass(250)).toBe('positive-completion');
    expect(replyClass(354)).toBe('positive-intermediate');
    expect(replyClass(421)).toBe('transient-negative');
    expect(replyClass(599)).toBe('permanent-negative');
  });
  it('refuses numbers that are not reply codes', () => {
    for (const code of [199, 600, 0, -250, 250.5, Number.NaN]) expect(() => replyClass(code)).toThrow(RangeError);
  });
});

function feed(lines: readonly string[]): Array<ReplyAssemblerResult | null> {
  const assembler = new ReplyAssembler();
  return lines.map((line) => assembler.push(line));
}

function onlyReply(lines: readonly string[]): { reply: Reply; warnings: readonly string[] } {
  const results = feed(lines);
  expect(results.slice(0, -1)).toEqual(lines.slice(0, -1).map(() => null));
  const last = results.at(-1);
  if (last?.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(last)}`);
  return last;
}

describe('ReplyAssembler', () => {
  it('returns a one-line reply at once', () => {
    const { reply, warnings } = onlyReply(['221 2.0.0 Bye']);
    expect(reply).toEqual({
      code: 221,
      lines: ['221 2.0.0 Bye'],
      texts: ['Bye'],
      enhanced: { statusClass: 2, subject: 0, detail: 0, text: '2.0.0' },
    });
    expect(warnings).toEqual([]);
  });

  it('collects a multi-line reply without enhanced codes', () => {
    const { reply } = onlyReply(['250-mx.example Hello', '250-PIPELINING', '250 SIZE 1000']);
    expect(reply).toEqual({
      code: 250,
      lines: ['250-mx.example Hello', '250-PIPELINING', '250 SIZE 1000'],
      texts: ['mx.example Hello', 'PIPELINING', 'SIZE 1000'],
      enhanced: null,
    });
  });

  it('strips the enhanced code from every line that carries it', () => {
    const { reply, warnings } = onlyReply(['550-5.7.1 Message refused', '550-5.7.1 see the policy', '550 5.7.1 at example.org']);
    expect(reply.texts).toEqual(['Message refused', 'see the policy', 'at example.org']);
    expect(reply.enhanced?.text).toBe('5.7.1');
    expect(warnings).toEqual([]);
  });

  it('takes the enhanced code from the first line and warns when later lines lack it', () => {
    const { reply, warnings } = onlyReply(['550-5.7.1 Message refused', '550 see the policy']);
    expect(reply.texts).toEqual(['Message refused', 'see the policy']);
    expect(reply.enhanced?.text).toBe('5.7.1');
    expect(warnings).toEqual([expect.stringMatching(/Not every line .* 5\.7\.1/)]);
  });

  it('ignores codes on later lines when the first line has none', () => {
    const { reply } = onlyReply(['250-Hello', '250 2.0.0 OK']);
    expect(reply.enhanced).toBeNull();
    expect(reply.texts).toEqual(['Hello', '2.0.0 OK']);
  });

  it('warns when the enhanced class disagrees with the reply code', () => {
    const { reply, warnings } = onlyReply(['250 5.0.0 odd']);
    expect(reply.enhanced?.text).toBe('5.0.0');
    expect(warnings).toEqual([expect.stringMatching(/should start with 2/)]);
  });

  it('accepts a bare code as a whole reply', () => {
    expect(onlyReply(['354']).reply).toEqual({ code: 354, lines: ['354'], texts: [''], enhanced: null });
  });

  it('passes the second-digit warning on', () => {
    expect(onlyReply(['290 hi']).warnings).toEqual([expect.stringMatching(/second digit/)]);
  });

  it('reports a code change inside a multi-line reply and starts over', () => {
    const assembler = new ReplyAssembler();
    expect(assembler.push('250-first')).toBeNull();
    expect(assembler.push('250-second')).toBeNull();
    expect(assembler.push('354 go ahead')).toEqual({
      kind: 'error',
      error: {
        line: '354 go ahead',
        message: expect.stringMatching(/code 354, but the reply it continues started with 250.*The 2 earlier lines/),
      },
    });
    expect(assembler.push('221 Bye')).toMatchObject({ kind: 'reply', reply: { code: 221, lines: ['221 Bye'] } });
  });

  it('reports garbage, dropping an unfinished reply', () => {
    const assembler = new ReplyAssembler();
    expect(assembler.push('250-first')).toBeNull();
    expect(assembler.push('garbage')).toEqual({
      kind: 'error',
      error: { line: 'garbage', message: expect.stringMatching(/three-digit code.*The earlier line of this reply was dropped/) },
    });
    expect(assembler.push('250 OK')).toMatchObject({ kind: 'reply', reply: { lines: ['250 OK'] } });
  });

  it('reports an empty line', () => {
    expect(feed([''])).toEqual([{ kind: 'error', error: { line: '', message: expect.stringMatching(/empty line/) } }]);
  });

  it('keeps replies apart', () => {
    const results = feed(['220 hi', '250-a', '250 b', '221 bye']);
    expect(results.map((r) => (r?.kind === 'reply' ? r.reply.code : r))).toEqual([220, null, 250, 221]);
  });
});
