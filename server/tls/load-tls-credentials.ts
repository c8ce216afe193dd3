/**
 * The key and certificate for STARTTLS and SMTPS: the operator's files if given, otherwise a
 * self-signed pair generated at first start and kept in the data directory, so clients that
 * pin it (or a learner who inspected its fingerprint) see the same certificate after a restart.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { generateSandboxCertificate } from './generate-certificate.ts';

export interface TlsCredentials {
  readonly key: string;
  readonly cert: string;
  /** Where the pair came from, for the startup message. */
  readonly origin: 'operator' | 'generated' | 'reused';
  readonly keyFile: string;
  readonly certFile: string;
  /** SHA-256 fingerprint of the certificate, as browsers and openssl print it. */
  readonly fingerprint: string;
}

export interface TlsSource {
  readonly dataDir: string;
  /** CN of a generated certificate; a kept certificate for another name is replaced. */
  readonly hostname: string;
  readonly keyFile: string | null;
  readonly certFile: string | null;
}

/** A key or certificate that cannot be used; the message says which file and why. */
export class TlsSetupError extends Error {}

/** Loads the operator's pair, or reuses or generates the sandbox's own. */
export async function loadTlsCredentials(source: TlsSource): Promise<TlsCredentials> {
  if (source.keyFile !== null && source.certFile !== null) return loadOperatorPair(source.keyFile, source.certFile);
  const dir = join(source.dataDir, 'tls');
  const keyFile = join(dir, 'sandbox-key.pem');
  const certFile = join(dir, 'sandbox-cert.pem');
  const kept = await readKeptPair(keyFile, certFile, source.hostname);
  if (kept) {
    // Kept by a run that wrote the certificate 0644: both are ours, both private now.
    await Promise.all([chmod(keyFile, 0o600), chmod(certFile, 0o600)]);
    return { ...kept, origin: 'reused', keyFile, certFile };
  }

  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Processes sharing a data directory (several on one PostgreSQL) may start together: one
  // makes the pair while the others wait for it, so all of them serve the same certificate.
  const lock = join(dir, '.generating');
  for (const deadline = Date.now() + GENERATE_WAIT_MS; ; ) {
    if (await takeLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const made = await readKeptPair(keyFile, certFile, source.hostname);
    if (made) return { ...made, origin: 'reused', keyFile, certFile };
    if (Date.now() > deadline) {
      // Left by a process that died while generating: take it over.
      await rm(lock, { recursive: true, force: true });
    }
  }
  try {
    const fresh = await generateSandboxCertificate(source.hostname);
    // Write to a temporary name and rename, so a crash never leaves half a key behind. Both
    // 0600 whatever the umask: the certificate is public by nature, but nobody else needs the file.
    for (const [file, pem] of [[keyFile, fresh.key], [certFile, fresh.cert]] as const) {
      await writeFile(`${file}.tmp`, pem, { mode: 0o600 });
      await chmod(`${file}.tmp`, 0o600);
      await rename(`${file}.tmp`, file);
    }
    return { ...fresh, fingerprint: new X509Certificate(fresh.cert).fingerprint256, origin: 'generated', keyFile, certFile };
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** How long a start waits for another process to finish making the pair (it takes about a second). */
const GENERATE_WAIT_MS = 15_000;

/** mkdir is atomic: exactly one process creates the lock directory. */
async function takeLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock, { mode: 0o700 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function loadOperatorPair(keyFile: string, certFile: string): Promise<TlsCredentials> {
  const key = await readPem(keyFile, '--tls-key');
  const cert = await readPem(certFile, '--tls-cert');
  try {
    return { key, cert, origin: 'operator', keyFile, certFile, fingerprint: checkPair(key, cert).fingerprint256 };
  } catch (error) {
    throw new TlsSetupError(`cannot use --tls-key ${keyFile} with --tls-cert ${certFile}: ${describe(error)}`);
  }
}

/** The kept pair if it is readable, for this host name and valid for at least another day. */
async function readKeptPair(keyFile: string, certFile: string, hostname: string) {
  let key: string;
  let cert: string;
  try {
    [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  } catch {
    return null;
  }
  try {
    const x509 = checkPair(key, cert);
    const stillValid = Date.parse(x509.validTo) > Date.now() + 24 * 3600 * 1000;
    const sameName = x509.subject.split('\n').includes(`CN=${hostname}`);
    return stillValid && sameName ? { key, cert, fingerprint: x509.fingerprint256 } : null;
  } catch {
    // A damaged pair is replaced rather than refused: it is ours, nobody else relies on it.
    return null;
  }
}

/** Parses the pair; throws when either is not PEM or the key does not belong to the certificate. */
function checkPair(key: string, cert: string): X509Certificate {
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not belong to the certificate');
  createSecureContext({ key, cert });
  return x509;
}

async function readPem(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TlsSetupError(`cannot read ${flag} ${file}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
