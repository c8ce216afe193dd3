/** The sideways tab row's rules: which ends have tabs out of sight, and how far to scroll to show one. */
import { describe, expect, it } from 'vitest';
import { hiddenEnds, scrollLeftShowing } from '../../../web/src/shell/tab-overflow.ts';

describe('hiddenEnds', () => {
  it('marks neither end when the tabs fit, allowing a pixel of rounding', () => {
    expect(hiddenEnds({ scrollLeft: 0, clientWidth: 400, scrollWidth: 400 })).toEqual({ before: false, after: false });
    expect(hiddenEnds({ scrollLeft: 0, clientWidth: 400, scrollWidth: 400.8 })).toEqual({ before: false, after: false });
  });

  it('marks the end after at the start, both in the middle, the end before at the end', () => {
    expect(hiddenEnds({ scrollLeft: 0, clientWidth: 372, scrollWidth: 455 })).toEqual({ before: false, after: true });
    expect(hiddenEnds({ scrollLeft: 40, clientWidth: 372, scrollWidth: 455 })).toEqual({ before: true, after: true });
    expect(hiddenEnds({ scrollLeft: 83, clientWidth: 372, scrollWidth: 455 })).toEqual({ before: true, after: false });
  });
});

describe('scrollLeftShowing', () => {
  const row = { scrollLeft: 0, clientWidth: 372, scrollWidth: 455 };

  it('leaves a tab already in sight where it is', () => {
    expect(scrollLeftShowing(row, { left: 100, width: 80 }, 32)).toBe(0);
  });

  it('scrolls just far enough to show the last tab clear of the end button, never past the end', () => {
    expect(scrollLeftShowing(row, { left: 300, width: 50 }, 32)).toBe(300 + 50 + 32 - 372);
    expect(scrollLeftShowing(row, { left: 400, width: 55 }, 32)).toBe(455 - 372);
  });

  it('scrolls back to show a tab before the view, never before the start', () => {
    const scrolled = { ...row, scrollLeft: 83 };
    expect(scrollLeftShowing(scrolled, { left: 60, width: 80 }, 32)).toBe(28);
    expect(scrollLeftShowing(scrolled, { left: 12, width: 80 }, 32)).toBe(0);
  });
});
