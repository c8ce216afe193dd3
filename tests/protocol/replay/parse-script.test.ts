import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../protocol/replay/parse-script.ts';

describe('parseScript', () => {
  it.each([
    ['one line', 'EHLO x', [{ text: 'EHLO x', pipelined: false, sourceLine: 1 }]],
    ['LF line ends', 'EHLO x\nQUIT\n', [
      { text: 'EHLO x', pipelined: false, sourceLine: 1 },
      { text: 'QUIT', pipelined: false, sourceLine: 2 },
    ]],
    ['CRLF line ends leave no CR behind', 'EHLO x\r\nQUIT\r\n', [
      { text: 'EHLO x', pipelined: false, sourceLine: 1 },
      { text: 'QUIT', pipelined: false, sourceLine: 2 },
    ]],
    ['comments and blank lines are skipped, line numbers kept', '# hi\n\n   \nNOOP', [
      { text: 'NOOP', pipelined: false, sourceLine: 4 },
    ]],
    ['<empty> sends an empty line', 'DATA\n<empty>\n.', [
      { text: 'DATA', pipelined: false, sourceLine: 1 },
      { text: '', pipelined: false, sourceLine: 2 },
      { text: '.', pipelined: false, sourceLine: 3 },
    ]],
    ['a + line is pipelined with the line before', 'MAIL FROM:<a@b.c>\n+ RCPT TO:<d@e.f>', [
      { text: 'MAIL FROM:<a@b.c>', pipelined: false, sourceLine: 1 },
      { text: 'RCPT TO:<d@e.f>', pipelined: true, sourceLine: 2 },
    ]],
    ['a + line may follow a comment', 'NOOP\n# why\n+ NOOP', [
      { text: 'NOOP', pipelined: false, sourceLine: 1 },
      { text: 'NOOP', pipelined: true, sourceLine: 3 },
    ]],
    ['+ escapes a line that would be a comment', 'DATA\n+ # heading', [
      { text: 'DATA', pipelined: false, sourceLine: 1 },
      { text: '# heading', pipelined: true, sourceLine: 2 },
    ]],
    ['+ <empty> is an empty pipelined line', 'DATA\n+ <empty>', [
      { text: 'DATA', pipelined: false, sourceLine: 1 },
      { text: '', pipelined: true, sourceLine: 2 },
    ]],
    ['text is kept exactly, dots and spaces included', '..stuffed  \n <empty>', [
      { text: '..stuffed  ', pipelined: false, sourceLine: 1 },
      { text: ' <empty>', pipelined: false, sourceLine: 2 },
    ]],
    ['"+" without a space is plain text', 'NOOP\n+x', [
      { text: 'NOOP', pipelined: false, sourceLine: 1 },
      { text: '+x', pipelined: false, sourceLine: 2 },
    ]],
    ['an empty script has no lines', '# nothing\n', []],
  ])('%s', (_name, text, lines) => {
    expect(parseScript(text)).toEqual({ ok: true, lines });
  });

  it.each([
    ['+ on the first line', '+ EHLO x', 1],
    ['+ on the first line after comments', '# intro\n\n+ EHLO x', 3],
  ])('rejects %s with its line number', (_name, text, sourceLine) => {
    const result = parseScript(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.sourceLine).toBe(sourceLine);
    expect(result.message).toContain('no line before it');
  });
});
