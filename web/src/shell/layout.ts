/**
 * The three layouts of the learner page, by window width. The same breakpoints are written in
 * WorkspaceLayout.svelte; this tells the script side (tabs on a phone, the course toggle).
 * - wide (≥1366 px): course, conversation and details side by side;
 * - medium (800–1365 px): conversation first; the course, collapsible, over the details column;
 * - narrow (<800 px): one column, the panels as tabs, the console pinned at the bottom.
 */
export type Layout = 'wide' | 'medium' | 'narrow';

export const NARROW_QUERY = '(max-width: 799.98px)';
export const WIDE_QUERY = '(min-width: 1366px)';

/** The layout for the current window. */
export function layoutOf(matches: (query: string) => boolean): Layout {
  if (matches(NARROW_QUERY)) return 'narrow';
  return matches(WIDE_QUERY) ? 'wide' : 'medium';
}

/** Calls `onchange` with the layout now and whenever the window crosses a breakpoint; returns the stop function. */
export function watchLayout(win: Pick<Window, 'matchMedia'>, onchange: (layout: Layout) => void): () => void {
  const queries = [win.matchMedia(NARROW_QUERY), win.matchMedia(WIDE_QUERY)];
  const update = (): void => onchange(layoutOf((query) => win.matchMedia(query).matches));
  for (const query of queries) query.addEventListener('change', update);
  update();
  return () => {
    for (const query of queries) query.removeEventListener('change', update);
  };
}
