/** RFC 3461 §4 xtext: printable ASCII with `+` and `=` written as `+XX` hex escapes. */
import { isControl, isHexDigit } from './characters.ts';

export type XtextVerdict =
  | { readonly kind: 'ok'; readonly decoded: string }
  /** Malformed, but smtp-server decodes what it can and goes on. */
  | { readonly kind: 'tolerated'; readonly decoded: string; readonly reason: string }
  /** Decodes to a control character, which smtp-server refuses. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** Checks and decodes an xtext value. Upper-case hex only, as RFC 3461 writes it. */
export function checkXtext(value: string): XtextVerdict {
  let decoded = '';
  let problem: string | null = null;
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
      problem ??= 'In xtext a "+" must be followed by two upper-case hex digits, like +2B for "+" itself.';
    } else if (char === '=') {
      problem ??= 'In xtext "=" must be written as +3D.';
    } else if (code > 0x7e) {
      problem ??= 'xtext allows only printable ASCII; other characters must be written as +XX hex escapes.';
    }
    decoded += char;
  }
  for (let i = 0; i < decoded.length; i++) {
    if (isControl(decoded.charCodeAt(i))) {
      return { kind: 'invalid', reason: 'The value decodes to a control character, which servers refuse.' };
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
