/** RFC 3461 §4 xtext: printable ASCII with `+` and `=` written as `+XX` hex escapes. */
import { isControl, isHexDigit } from './characters.ts';
import type { ReasonOf } from './grammar-reasons.ts';

export type XtextVerdict =
  | { readonly kind: 'ok'; readonly decoded: string }
  /** Malformed, but smtp-server decodes what it can and goes on. */
  | { readonly kind: 'tolerated'; readonly decoded: string; readonly reason: ReasonOf<'xtext-plus' | 'xtext-equals' | 'xtext-non-ascii'> }
  /** Decodes to a control character, which smtp-server refuses. */
  | { readonly kind: 'invalid'; readonly reason: ReasonOf<'xtext-control'> };

/** Checks and decodes an xtext value. Upper-case hex only, as RFC 3461 writes it. */
export function checkXtext(value: string): XtextVerdict {
  let decoded = '';
  let problem: ReasonOf<'xtext-plus' | 'xtext-equals' | 'xtext-non-ascii'> | null = null;
  for (let i = 0; i < value.length; i++) {
    const char = value[i] ?? '';
    const code = value.charCodeAt(i);
    if (char === '+') {
      const hex = value.slice(i + 1, i + 3);
      if (hex.length === 2 && isUpperHex(hex)) {
        decoded += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        continue;
      }
      problem ??= { key: 'xtext-plus' };
    } else if (char === '=') {
      problem ??= { key: 'xtext-equals' };
    } else if (code > 0x7e) {
      problem ??= { key: 'xtext-non-ascii' };
    }
    decoded += char;
  }
  for (let i = 0; i < decoded.length; i++) {
    if (isControl(decoded.charCodeAt(i))) {
      return { kind: 'invalid', reason: { key: 'xtext-control' } };
    }
  }
  return problem === null ? { kind: 'ok', decoded } : { kind: 'tolerated', decoded, reason: problem };
}

function isUpperHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isHexDigit(code) || (code >= 0x61 && code <= 0x66)) return false;
  }
  return true;
}
