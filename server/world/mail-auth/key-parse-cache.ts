/**
 * mailauth parses the PEM key again for every message it signs (`getPrivateKey` in
 * lib/tools.js) and every DKIM key it fetches (`getPublicKey`), and a freshly parsed RSA key
 * also rebuilds its Montgomery tables at its first use: about 1 ms of the ~1.4 ms an RSA-2048
 * signature costs here. KeyObjects are immutable, so the same PEM text can share one: this
 * wraps `createPrivateKey` and `createPublicKey` on the `node:crypto` module object (which
 * mailauth, CommonJS, reads at call time) with a bounded cache keyed by the exact input.
 * Anything but a PEM string or buffer is passed through untouched, and a key that fails to
 * parse fails as before and is not kept. Installed in the mail-auth worker only.
 */
import crypto, { type KeyObject } from 'node:crypto';

/** Distinct keys kept: the lab's signing keys and the DKIM keys of the zones in use. */
export const MAX_CACHED_KEYS = 64;

type KeyInput = Parameters<typeof crypto.createPrivateKey>[0];

/** The cache key for a PEM input (`{ key, format: 'pem' }` or the PEM itself), else null (not cached). */
function pemOf(input: KeyInput): string | null {
  if (typeof input === 'string') return input;
  if (Buffer.isBuffer(input)) return input.toString('latin1');
  if (typeof input !== 'object' || input === null || !('key' in input)) return null;
  const { key, format, ...rest } = input as { key: unknown; format?: unknown };
  if (format !== 'pem' || Object.keys(rest).length > 0) return null;
  if (typeof key === 'string') return key;
  return Buffer.isBuffer(key) ? key.toString('latin1') : null;
}

function cached(parse: (input: KeyInput) => KeyObject): (input: KeyInput) => KeyObject {
  const keys = new Map<string, KeyObject>();
  return (input) => {
    const pem = pemOf(input);
    if (pem === null) return parse(input);
    const hit = keys.get(pem);
    if (hit !== undefined) return hit;
    const parsed = parse(input);
    // Oldest first out: Map keeps insertion order.
    if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(pem, parsed);
    return parsed;
  };
}

let installed = false;

/** Makes this thread's `node:crypto` reuse parsed PEM keys; once per thread. */
export function cacheKeyParsing(): void {
  if (installed) return;
  installed = true;
  const target = crypto as unknown as Record<'createPrivateKey' | 'createPublicKey', (input: KeyInput) => KeyObject>;
  target.createPrivateKey = cached(crypto.createPrivateKey.bind(crypto));
  target.createPublicKey = cached(crypto.createPublicKey.bind(crypto) as (input: KeyInput) => KeyObject);
}
