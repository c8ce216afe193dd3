/**
 * What the window says about the page, kept current: the layout (by width), a very wide
 * screen (≥1700 px: the statechart beside the details) and the dark colour scheme.
 */
import { watchLayout, type Layout } from './layout.ts';

const VERY_WIDE_QUERY = '(min-width: 1700px)';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export class PageMedia {
  layout = $state<Layout>('wide');
  veryWide = $state(false);
  dark = $state(false);

  /** Reads the window now and on every change; returns the stop function. */
  watch(win: Pick<Window, 'matchMedia'>): () => void {
    const stopLayout = watchLayout(win, (next) => (this.layout = next));
    const stops = [
      follow(win.matchMedia(VERY_WIDE_QUERY), (matches) => (this.veryWide = matches)),
      follow(win.matchMedia(DARK_QUERY), (matches) => (this.dark = matches)),
    ];
    return () => {
      stopLayout();
      for (const stop of stops) stop();
    };
  }
}

/** Calls `onchange` with the query's answer now and on each change; returns the stop function. */
function follow(query: MediaQueryList, onchange: (matches: boolean) => void): () => void {
  const listener = (event: MediaQueryListEvent): void => onchange(event.matches);
  onchange(query.matches);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
