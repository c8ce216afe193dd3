/**
 * The header section of a message as text, read synchronously, even an unfinished one (a draft
 * still being typed in DATA): what the lesson checks and the page's mailbox both read.
 */

export interface HeaderField {
  /** The field name as written. */
  readonly name: string;
  /** The unfolded value, trimmed. */
  readonly value: string;
}

/**
 * The fields before the first empty line, with folded continuation lines (starting with a space
 * or tab) joined to their field (RFC 5322 §2.2.3); lines without a name and colon are skipped.
 */
export function readHeaderFields(text: string): HeaderField[] {
  const fields: { name: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    const last = fields.at(-1);
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (last !== undefined) last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}
