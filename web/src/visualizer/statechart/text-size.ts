/**
 * Text widths for the layout, estimated without a DOM (the layout is computed in Node, see
 * write-chart-layout.ts). Generous on purpose: a box a little too wide looks fine, one too
 * narrow cuts its text. The Chromium test checks the estimate against the real rendering.
 */

const NARROW = /[ilj.,:;'|!ft()\s]/;
const WIDE = /[A-Zmw@%#&]/;

/** Width in px of `text` in the app's sans-serif font at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const char of text) ems += NARROW.test(char) ? 0.34 : WIDE.test(char) ? 0.78 : 0.6;
  return Math.ceil(ems * fontSize * (bold ? 1.08 : 1));
}

/** Font sizes of the drawing, in px at scale 1 (the SVG never scales below 12/13 of that). */
export const CHART_FONT = {
  state: 14,
  container: 13,
  edge: 13,
  lineHeight: 17,
} as const;
