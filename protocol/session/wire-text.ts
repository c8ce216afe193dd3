/** Small pure helpers for reading client lines and reply texts; none of them throws. */
import type { Reply } from '../replies/types.ts';

/** Any UTF-16 unit outside ASCII. One regex scan of a whole message chunk beats a charCodeAt loop. */
const NON_ASCII = /[^\x00-\x7f]/;

/** Octets of the text in UTF-8, as the server counts message bytes. */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  if (!NON_ASCII.test(text)) return bytes;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is 2 UTF-16 units and 4 UTF-8 octets.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * The reply class digit (2–5), or 0 for a code outside RFC 5321 §4.2.1. Unlike the reply
 * grammar's `replyClass`, this accepts any number, because hosts may pass us garbage.
 */
export function classDigit(code: number): 0 | 2 | 3 | 4 | 5 {
  if (!Number.isInteger(code) || code < 200 || code > 599) return 0;
  return Math.floor(code / 100) as 2 | 3 | 4 | 5;
}

/** The text of a reply as one string, lines joined by CRLF. */
export function replyText(reply: Reply): string {
  if (!Array.isArray(reply.lines)) return String(reply.code);
  const only: unknown = reply.lines.length === 1 ? reply.lines[0] : undefined;
  return typeof only === 'string' ? only : reply.lines.join('\r\n');
}

/** The queue id a server names after accepting a message ("queued as 4F2A9C01B3"), if any. */
export function queueIdFrom(reply: Reply): string | null {
  const text = Array.isArray(reply.texts) ? reply.texts.join(' ') : '';
  const match = /queued as ([A-Za-z0-9._\-]+)/i.exec(text) ?? /\bid[=: ]+([A-Za-z0-9._\-]+)/i.exec(text);
  return match?.[1] ?? null;
}

/**
 * The address inside the first `<…>` of a line, for lines the grammar refused but the server
 * accepted anyway (the model follows the server), or null when there are no brackets.
 */
export function bracketedAddress(text: string): string | null {
  const open = text.indexOf('<');
  const close = text.indexOf('>', open + 1);
  return open >= 0 && close > open ? text.slice(open + 1, close) : null;
}

/** Decodes base64 to text, or null when it is not base64. */
export function decodeBase64(value: string): string | null {
  try {
    const binary = atob(value);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // a leading BOM is part of the text, as for the server
  } catch {
    return null;
  }
}

/** The authentication identity in an RFC 4616 PLAIN response (authzid NUL authcid NUL passwd). */
export function plainUser(base64: string): string | null {
  const decoded = decodeBase64(base64);
  if (decoded === null) return null;
  const parts = decoded.split('\u0000');
  if (parts.length !== 3) return null;
  // smtp-server (and many clients) fall back to the authzid when the authcid is empty.
  return parts[1] || parts[0] || null;
}

/** The SIZE parameter of an EHLO reply in octets, or null when not advertised with a value. */
export function advertisedSize(extensions: Readonly<Record<string, readonly string[]>> | null): number | null {
  const value = extensions?.['SIZE']?.[0];
  if (value === undefined) return null;
  const size = Number(value);
  return Number.isFinite(size) && size > 0 ? size : null;
}
