/**
 * The key-parse cache the mail-auth worker installs (on this test file's own `node:crypto`):
 * the same PEM gives the same KeyObject, another PEM another, the cache is bounded, inputs
 * that are not plain PEM pass through, a bad key fails as before, and mailauth still signs
 * and verifies through it.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKeyParsing, MAX_CACHED_KEYS } from '../../../../server/world/mail-auth/key-parse-cache.ts';
import { signOutbound } from '../../../../server/world/mail-auth/sign-outbound.ts';
import { verifyWithZone } from '../../../../server/world/mail-auth/verify-with-zone.ts';
import { keysPerFile, message, worldUnreachable, worldZone } from './auth-fixtures.ts';

const signing = keysPerFile();
cacheKeyParsing();

describe('key-parse cache', () => {
  it('gives the same KeyObject for the same PEM (string or buffer, as mailauth passes it) and another for another key', () => {
    const pem = signing.keys['example.com'].privateKeyPem;
    const first = crypto.createPrivateKey({ key: Buffer.from(pem), format: 'pem' });
    expect(crypto.createPrivateKey({ key: Buffer.from(pem), format: 'pem' })).toBe(first);
    expect(crypto.createPrivateKey(pem)).toBe(crypto.createPrivateKey(pem));
    const other = crypto.createPrivateKey({ key: Buffer.from(signing.keys['example.net'].privateKeyPem), format: 'pem' });
    expect(other).not.toBe(first);
    expect(other.equals(first)).toBe(false);
    const publicPem = crypto.createPublicKey(first).export({ type: 'spki', format: 'pem' }).toString();
    expect(crypto.createPublicKey({ key: Buffer.from(publicPem), format: 'pem' })).toBe(crypto.createPublicKey({ key: Buffer.from(publicPem), format: 'pem' }));
  });

  it('passes other inputs through (a KeyObject, DER, options besides the format) and keeps no failed parse', () => {
    const pem = signing.keys['example.org'].privateKeyPem;
    const der = crypto.createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
    expect(crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).not.toBe(crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    const publicKey = crypto.createPublicKey(crypto.createPrivateKey(pem));
    expect(publicKey.type).toBe('public');
    const bad = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
    expect(() => crypto.createPrivateKey(bad)).toThrow();
    expect(() => crypto.createPrivateKey(bad)).toThrow();
  });

  it('keeps at most MAX_CACHED_KEYS keys, dropping the oldest', () => {
    const pems = Array.from({ length: MAX_CACHED_KEYS + 1 }, () => crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const first = crypto.createPublicKey(pems[0] ?? '');
    for (const pem of pems.slice(1)) crypto.createPublicKey(pem);
    expect(crypto.createPublicKey(pems[MAX_CACHED_KEYS] ?? '')).toBe(crypto.createPublicKey(pems[MAX_CACHED_KEYS] ?? ''));
    expect(crypto.createPublicKey(pems[0] ?? '')).not.toBe(first);
  });

  it('still lets mailauth sign and verify, message after message', async () => {
    for (const subject of ['One', 'Two', 'Three']) {
      const outcome = await signOutbound(message('Alice <alice@example.com>', { subject }), 'example.com', signing.keys);
      if (!outcome.signed) throw new Error(outcome.reason);
      const { authentication } = await verifyWithZone(outcome.raw, {
        connection: { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net' },
        zone: worldZone(signing.keys),
        unreachable: worldUnreachable(),
      });
      expect(`${authentication.spf.result} ${authentication.dkim.result} ${authentication.dmarc.result}`).toBe('pass pass pass');
    }
  });
});
