import { describe, expect, it } from 'vitest';
import { csvCell, progressCsv, toCsv } from '../../../server/classroom/progress-csv.ts';

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tstart', "'\tstart"],
  ])('%j becomes %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves numbers as numbers (a negative count is not a formula)', () => {
    expect(csvCell(-3)).toBe('-3');
  });

  it('joins rows with CRLF after a BOM', () => {
    expect(toCsv([['a', 'b'], ['c', 'd']])).toBe('\uFEFFa,b\r\nc,d\r\n');
  });
});

describe('the progress grid', () => {
  it('has a row per student and a column per lesson, completions with the solution told apart', () => {
    const lessons = [
      { id: 'one', title: 'One', order: 1 },
      { id: 'two', title: 'Two, too', order: 2 },
      { id: 'three', title: 'Three', order: 3 },
    ];
    const student = { id: 's1', displayName: '=cmd|calc', handle: 'cmd.calc', address: 'cmd.calc@class.test', joinedAt: '2025-01-01T00:00:00.000Z', currentLesson: 'two' };
    const progress = new Map([
      ['s1', [
        { lessonId: 'one', completedAt: '2025-01-01T00:01:00.000Z', completedWithSolution: false, attempts: 2, hintsUsed: 1, updatedAt: '' },
        { lessonId: 'two', completedAt: null, completedWithSolution: false, attempts: 1, hintsUsed: 0, updatedAt: '' },
        { lessonId: 'three', completedAt: '2025-01-01T00:09:00.000Z', completedWithSolution: true, attempts: 0, hintsUsed: 3, updatedAt: '' },
      ]],
    ]);
    const lines = progressCsv(lessons, [student], progress).slice(1).split('\r\n');
    expect(lines[0]).toBe('Name,Class address,Joined,Current lesson,Lessons completed,With the solution,Attempts,Hints used,01 One,"02 Two, too",03 Three');
    expect(lines[1]).toBe("'=cmd|calc,cmd.calc@class.test,2025-01-01T00:00:00.000Z,two,2,1,3,4,completed,started,completed with the solution");
    expect(lines[2]).toBe('');
  });
});
