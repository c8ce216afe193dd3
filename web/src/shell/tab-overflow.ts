/**
 * A sideways-scrolling tab row: which ends have tabs out of sight (to draw the fade and the
 * scroll button there), and where to scroll so a tab is wholly in sight. Pure, from the row's
 * measurements, so the rules are tested without a layout engine.
 */
export interface RowMeasure {
  readonly scrollLeft: number;
  readonly clientWidth: number;
  readonly scrollWidth: number;
}

export interface HiddenEnds {
  readonly before: boolean;
  readonly after: boolean;
}

/** Sub-pixel widths round differently in each browser: a pixel is not "more". */
const SLACK = 1;

export function hiddenEnds(row: RowMeasure): HiddenEnds {
  return {
    before: row.scrollLeft > SLACK,
    after: row.scrollLeft + row.clientWidth < row.scrollWidth - SLACK,
  };
}

/**
 * The scrollLeft that shows the tab spanning [left, left + width) of the row's content, moving
 * as little as possible; `margin` keeps it clear of the fade and the scroll button at that end.
 */
export function scrollLeftShowing(row: RowMeasure, tab: { left: number; width: number }, margin: number): number {
  const start = tab.left - margin;
  const end = tab.left + tab.width + margin;
  if (start < row.scrollLeft) return Math.max(0, start);
  if (end > row.scrollLeft + row.clientWidth) return Math.min(row.scrollWidth - row.clientWidth, end - row.clientWidth);
  return row.scrollLeft;
}
