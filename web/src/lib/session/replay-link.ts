/**
 * The share link: `#replay=<base64url of the client lines>`. Opening it replays the learner's
 * side of the conversation against the simulated server, so the link works on any static host
 * and never depends on a live server being up.
 */
const PREFIX = '#replay=';

/** base64url (RFC 4648 §5) of UTF-8 text, without padding. */
export function encodeBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text of a base64url string, or null when it is not valid base64url of UTF-8. */
export function decodeBase64Url(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The hash fragment that replays these client lines. */
export function replayHash(lines: readonly string[]): string {
  return `${PREFIX}${encodeBase64Url(lines.join('\n'))}`;
}

/** The client lines a `#replay=` hash carries; null when the hash is not a (valid) replay link. */
export function readReplayHash(hash: string): string[] | null {
  if (!hash.startsWith(PREFIX)) return null;
  const text = decodeBase64Url(hash.slice(PREFIX.length));
  return text === null ? null : text.split('\n');
}
