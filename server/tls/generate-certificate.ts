/** A self-signed certificate for the sandbox, made with selfsigned (v5: async, WebCrypto). */
import { generate } from 'selfsigned';

/** Two years: long enough for a course, short enough that clients do not complain. */
const VALIDITY_DAYS = 730;

/**
 * Generates an RSA-2048/SHA-256 key and self-signed certificate whose CN is the sandbox's
 * host name, with SANs for that name, localhost and the loopback addresses, so clients that
 * check names (with the certificate trusted by hand) accept it on this machine.
 */
export async function generateSandboxCertificate(hostname: string): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: hostname }, { name: 'organizationName', value: 'SMTP Lab sandbox' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
