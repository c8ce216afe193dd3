/**
 * The little markdown the model's labels and descriptions use: `code` and **bold**. Read into
 * plain segments that the InlineMarkdown component renders as elements, so no text is ever
 * parsed as HTML (and markdown-it stays out of the first load, where the badge is).
 */

export interface InlineSegment {
  readonly kind: 'text' | 'code' | 'strong';
  readonly text: string;
}

const MARKUP = /`([^`]+)`|\*\*([^*]+)\*\*/g;

/** Splits `text` into text, code and bold segments; unmatched marks stay as text. */
export function inlineSegments(text: string): InlineSegment[] {
  const segments: InlineSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKUP)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push(match[1] !== undefined ? { kind: 'code', text: match[1] } : { kind: 'strong', text: match[2] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** The text without its marks, for accessible names and tooltips. */
export function plainText(text: string): string {
  return inlineSegments(text)
    .map((segment) => segment.text)
    .join('');
}
