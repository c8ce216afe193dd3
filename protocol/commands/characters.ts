/** Character classes of the RFC 5321 / RFC 6531 grammar, tested one UTF-16 code unit at a time. */

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function isLetDig(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code);
}

/** C0 controls, DEL and C1 controls: smtp-server refuses all of them in commands. */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** RFC 6531 lets UTF-8 (anything beyond ASCII) appear in addresses. */
export function isNonAscii(code: number): boolean {
  return code >= 0x80;
}

/** The symbols atext allows besides letters and digits (RFC 5322 §3.2.3). */
export const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

/** RFC 5321 atext (from RFC 5322), extended by RFC 6531 with UTF-8. */
export function isAtext(code: number): boolean {
  return isLetDig(code) || isNonAscii(code) || ATEXT_SPECIALS.includes(String.fromCharCode(code));
}

/**
 * Invisible characters that smtp-server refuses in addresses: they usually arrive by
 * copy-and-paste and make two addresses look alike.
 */
export function isInvisible(code: number): boolean {
  return code === 0x200b || code === 0x2060 || code === 0xfeff;
}

export function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** UTF-8 octets of the code point at `index`, and how many UTF-16 code units it spans. */
function codePointOctets(text: string, index: number): { readonly octets: number; readonly units: number } {
  const code = text.charCodeAt(index);
  if (code < 0x80) return { octets: 1, units: 1 };
  if (code < 0x800) return { octets: 2, units: 1 };
  if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) return { octets: 4, units: 2 };
  return { octets: 3, units: 1 }; // a lone surrogate counts as the 3 octets of U+FFFD
}

/** Octets the text takes in UTF-8. */
export function utf8Length(text: string): number {
  let octets = 0;
  for (let i = 0; i < text.length; ) {
    const point = codePointOctets(text, i);
    octets += point.octets;
    i += point.units;
  }
  return octets;
}

/** The index of the first code unit beyond the first `limit` UTF-8 octets, or -1. */
export function indexBeyondOctets(text: string, limit: number): number {
  let octets = 0;
  for (let i = 0; i < text.length; ) {
    const point = codePointOctets(text, i);
    octets += point.octets;
    if (octets > limit) return i;
    i += point.units;
  }
  return -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The first control character or lone surrogate in the text, or null. */
export function findForbiddenCharacter(
  text: string,
): { readonly index: number; readonly kind: 'control' | 'lone-surrogate' } | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isControl(code)) return { index: i, kind: 'control' };
    if (code >= 0xd800 && code <= 0xdbff) {
      if (!isLowSurrogate(text.charCodeAt(i + 1))) return { index: i, kind: 'lone-surrogate' };
      i++;
    } else if (isLowSurrogate(code)) {
      return { index: i, kind: 'lone-surrogate' };
    }
  }
  return null;
}

/** The end of the run of spaces starting at `from`. */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === 0x20) i++;
  return i;
}

/** The index of the next space at or after `from`, or the text's length. */
export function nextSpace(text: string, from: number): number {
  const index = text.indexOf(' ', from);
  return index === -1 ? text.length : index;
}

/** The text without any leading `leading` characters or trailing `trailing` characters. */
export function trimCharacters(text: string, leading: string, trailing: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.includes(text[start] ?? '')) start++;
  while (end > start && trailing.includes(text[end - 1] ?? '')) end--;
  return text.slice(start, end);
}
