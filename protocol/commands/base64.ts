/** The base64 checks RFC 4954 §4 asks of AUTH responses. */
import type { ReasonOf } from './grammar-reasons.ts';

export type Base64Verdict =
  | { readonly kind: 'ok' }
  /** Decodable, but the `=` padding RFC 4648 requires is missing. */
  | { readonly kind: 'unpadded' }
  /** `index` is the offending character, or null when only the length is wrong. */
  | {
      readonly kind: 'invalid';
      readonly index: number | null;
      readonly reason: ReasonOf<'base64-padding-inside' | 'base64-character' | 'base64-length'>;
    };

function isBase64Char(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2f
  );
}

/**
 * Checks base64 text. RFC 4954 §4: any character outside the alphabet, and `=` anywhere but
 * at the end, must be rejected.
 */
export function checkBase64(text: string): Base64Verdict {
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d) {
      padding++;
      continue;
    }
    if (padding > 0) {
      return { kind: 'invalid', index: i - padding, reason: { key: 'base64-padding-inside' } };
    }
    if (!isBase64Char(code)) {
      return { kind: 'invalid', index: i, reason: { key: 'base64-character', params: { char: text[i] ?? '' } } };
    }
  }
  const dataLength = text.length - padding;
  if (padding > 2 || (padding > 0 && text.length % 4 !== 0) || dataLength % 4 === 1) {
    return { kind: 'invalid', index: null, reason: { key: 'base64-length' } };
  }
  return padding === 0 && dataLength % 4 !== 0 ? { kind: 'unpadded' } : { kind: 'ok' };
}

/** Base64 of the UTF-8 bytes of the text (btoa alone throws beyond Latin-1). */
export function encodeBase64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decodes base64 to text, reading the bytes as UTF-8 (invalid sequences become U+FFFD, a NUL
 * stays a NUL). Null when the text is not base64.
 */
export function decodeBase64Utf8(text: string): string | null {
  if (checkBase64(text).kind === 'invalid') return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // a leading BOM is part of the text, as for the server
}
