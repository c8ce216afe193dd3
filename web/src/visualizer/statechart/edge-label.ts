/**
 * The words on one drawn arrow. An arrow carries every transition between its two states;
 * their labels are merged where they share an ending ("EHLO accepted", "HELO accepted" →
 * "EHLO, HELO accepted") and wrapped into short lines, so no label runs across the drawing.
 */

const MAX_LINE = 24;

/** Merges labels that end in the same word, keeping their first-seen order. */
export function mergeLabels(labels: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const label of labels) {
    const space = label.lastIndexOf(' ');
    const tail = space < 0 ? label : label.slice(space + 1);
    const head = space < 0 ? '' : label.slice(0, space);
    const heads = groups.get(tail) ?? [];
    if (!heads.includes(head)) heads.push(head);
    groups.set(tail, heads);
  }
  return [...groups].map(([tail, heads]) => {
    const named = heads.filter((head) => head !== '');
    return named.length === 0 ? tail : `${named.join(', ')} ${tail}`;
  });
}

/** Splits text into lines of at most MAX_LINE characters at spaces (a longer word keeps its own line). */
export function wrapWords(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > MAX_LINE) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The lines drawn on an arrow for its transitions' labels. */
export function edgeLabelLines(labels: readonly string[]): string[] {
  return wrapWords(mergeLabels(labels).join(', '));
}
