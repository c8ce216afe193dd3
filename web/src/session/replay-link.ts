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

/** What a page's hash holds: no replay link, a broken one (cut off or changed), or the lines to replay. */
export type ReplayLink = { readonly kind: 'none' } | { readonly kind: 'broken' } | { readonly kind: 'lines'; readonly lines: readonly string[] };

/** Reads a `#replay=` hash. A link with nothing after `=` is broken too: a shared one always carries lines. */
export function readReplayHash(hash: string): ReplayLink {
  if (!hash.startsWith(PREFIX)) return { kind: 'none' };
  const encoded = hash.slice(PREFIX.length);
  const text = encoded === '' ? null : decodeBase64Url(encoded);
  return text === null ? { kind: 'broken' } : { kind: 'lines', lines: text.split('\n') };
}
