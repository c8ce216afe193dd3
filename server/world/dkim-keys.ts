/**
 * The lab's DKIM key pairs, one per signing domain, made at first start and kept in the data
 * directory (`dkim/<domain>.<selector>.key.pem`, 0600 in a 0700 directory): the private key
 * signs the domain's outgoing lab mail, the public key goes into the default zone's
 * `<selector>._domainkey.<domain>` TXT record. Keys survive restarts, so a stored zone's keys stay valid.
 */
import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DKIM_SELECTOR, SIGNING_DOMAINS, type SigningDomain } from '../../protocol/world/default-world.ts';
import { ensurePrivateDir, makePrivate } from '../storage/private-files.ts';

/** RFC 8301 §3.2: signers use RSA keys of at least 1024 bits; 2048 is the common choice. */
const RSA_BITS = 2048;
const generateRsa = promisify(generateKeyPair);

export interface DkimKey {
  readonly domain: SigningDomain;
  readonly selector: string;
  /** PKCS#8 PEM, for mailauth's `dkimSign`. */
  readonly privateKeyPem: string;
  /** Base64 DER SubjectPublicKeyInfo, the `p=` of the DNS record. */
  readonly publicKey: string;
}

export type DkimKeys = Readonly<Record<SigningDomain, DkimKey>>;

export function dkimKeyFile(dataDir: string, domain: SigningDomain): string {
  return join(dataDir, 'dkim', `${domain}.${DKIM_SELECTOR}.key.pem`);
}

/** Reads each signing domain's key, generating (and storing 0600) the ones that are missing. */
export async function loadOrCreateDkimKeys(dataDir: string): Promise<DkimKeys> {
  ensurePrivateDir(join(dataDir, 'dkim'));
  const keys = await Promise.all(SIGNING_DOMAINS.map((domain) => loadOrCreate(dataDir, domain)));
  return Object.fromEntries(keys.map((key) => [key.domain, key])) as Record<SigningDomain, DkimKey>;
}

/** The public keys the default world publishes. */
export function dkimPublicKeys(keys: DkimKeys): Record<SigningDomain, string> {
  return Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, keys[domain].publicKey])) as Record<SigningDomain, string>;
}

async function loadOrCreate(dataDir: string, domain: SigningDomain): Promise<DkimKey> {
  const file = dkimKeyFile(dataDir, domain);
  const existing = await readIfPresent(file);
  if (existing !== null) {
    makePrivate(file);
    return keyFrom(domain, existing);
  }
  const { privateKey } = await generateRsa('rsa', { modulusLength: RSA_BITS });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    // 'wx': if another process made the key meanwhile, keep theirs (read below).
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return keyFrom(domain, await readFile(file, 'utf8'));
  }
  makePrivate(file);
  return keyFrom(domain, pem);
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function keyFrom(domain: SigningDomain, privateKeyPem: string): DkimKey {
  let publicKey: string;
  try {
    publicKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch (error) {
    throw new Error(`The DKIM key for ${domain} in the data directory cannot be read (${(error as Error).message}); delete the file to make a new one.`);
  }
  return { domain, selector: DKIM_SELECTOR, privateKeyPem, publicKey };
}
