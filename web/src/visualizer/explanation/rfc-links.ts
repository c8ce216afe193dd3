/** Turns "RFC 5321 §4.1.1.2" references into links to the RFC Editor's HTML pages. */

export interface RfcReference {
  /** As written, e.g. "RFC 5321 §4.1.1.2". */
  readonly text: string;
  readonly url: string;
}

const REFERENCE = /RFC\s?(\d{3,5})(?:\s?§\s?(\d+(?:\.\d+)*))?/g;

/** The RFC Editor URL of an RFC, at a section when one is given. */
export function rfcUrl(rfc: string, section?: string): string {
  const base = `https://www.rfc-editor.org/rfc/rfc${rfc}`;
  return section === undefined ? base : `${base}#section-${section}`;
}

/** Every distinct RFC reference in the texts, in order of appearance. */
export function rfcReferences(...texts: readonly string[]): RfcReference[] {
  const found = new Map<string, RfcReference>();
  for (const text of texts) {
    for (const match of text.matchAll(REFERENCE)) {
      const [, rfc, section] = match;
      if (rfc === undefined) continue;
      const label = section === undefined ? `RFC ${rfc}` : `RFC ${rfc} §${section}`;
      if (!found.has(label)) found.set(label, { text: label, url: rfcUrl(rfc, section) });
    }
  }
  // A bare "RFC 5321" adds nothing when a section of it is listed too.
  return [...found.values()].filter(
    (reference) => reference.text.includes('§') || ![...found.keys()].some((other) => other.startsWith(`${reference.text} §`)),
  );
}
