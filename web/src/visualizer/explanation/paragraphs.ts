/**
 * Long explanations read better in short pieces: a paragraph of a sentence or two, and a list
 * where the text is one ("…7 extensions. PIPELINING: …; 8BITMIME: …"). The words are kept
 * exactly; only where they break changes, so RFC references stay in the text (and their links
 * are collected from it as before).
 */

export type ExplanationBlock = { readonly kind: 'paragraph'; readonly text: string } | { readonly kind: 'list'; readonly items: readonly string[] };

/** Text up to this long stays one paragraph. */
const SHORT = 160;
/** A paragraph takes another sentence while it is shorter than this. */
const PARAGRAPH_TARGET = 120;

/**
 * A sentence ends at `.`, `!` or `?` (after a closing quote or bracket too) followed by a space
 * and a capital, a quote or a bracket; not after "e.g." or "i.e.", which run on into examples.
 */
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|cf|vs)\.)(?<=[.!?]["')\]]?)\s+(?=["'(<A-Z0-9])/;

/**
 * A list item starts after "; " with a keyword in capitals and a colon, as the EHLO reply's
 * extensions are explained ("; SIZE 10485760: the number is…").
 */
const LIST_ITEM = /;\s+(?=[A-Z0-9][A-Z0-9-]*(?: [A-Z0-9 =-]+)?: )/;

/** Splits an explanation into short paragraphs and lists; the list's "; " separators become its items. */
export function explanationBlocks(text: string): ExplanationBlock[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.length <= SHORT) return [{ kind: 'paragraph', text: trimmed }];
  const blocks: ExplanationBlock[] = [];
  let paragraph = '';
  const flush = (): void => {
    if (paragraph !== '') blocks.push({ kind: 'paragraph', text: paragraph });
    paragraph = '';
  };
  for (const sentence of trimmed.split(SENTENCE_END)) {
    const items = sentence.split(LIST_ITEM);
    if (items.length >= 3) {
      flush();
      // The first piece leads into the list ("…7 extensions. PIPELINING: …" has none).
      blocks.push({ kind: 'list', items });
      continue;
    }
    if (paragraph !== '' && paragraph.length >= PARAGRAPH_TARGET) flush();
    paragraph = paragraph === '' ? sentence : `${paragraph} ${sentence}`;
  }
  flush();
  return blocks;
}
