/**
 * DKIM public keys for the page's simulated zone, made in the browser (Web Crypto, RSA 2048,
 * the size the server makes): the zone shows real `p=` values, as the live one does. Nothing
 * in the page signs with them; DKIM signing and checking need the lab server (`npm start`).
 */
import { SIGNING_DOMAINS, type DefaultWorldKeys, type SigningDomain } from '../../../protocol/world/default-world.ts';

async function publicKeyBase64(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  const der = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function makePageDkimKeys(): Promise<DefaultWorldKeys> {
  const keys = await Promise.all(SIGNING_DOMAINS.map(async (domain) => [domain, await publicKeyBase64()] as const));
  return { dkimPublicKeys: Object.fromEntries(keys) as Record<SigningDomain, string> };
}
