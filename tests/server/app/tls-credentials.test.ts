import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTlsCredentials, TlsSetupError } from '../../../server/tls/load-tls-credentials.ts';

const hostname = 'sandbox.smtp-lab.test';
const freshDir = () => mkdtempSync(join(tmpdir(), 'smtp-lab-tls-'));

describe('loadTlsCredentials', () => {
  it('generates a self-signed pair at first start and reuses it later', async () => {
    const dataDir = freshDir();
    const first = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    expect(first.origin).toBe('generated');
    expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(first.cert);
    expect(cert.subject).toContain(`CN=${hostname}`);
    expect(cert.subjectAltName).toBe(`DNS:${hostname}, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);

    const second = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    expect(second.origin).toBe('reused');
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it('keeps the key and the certificate 0600, and makes a pair kept by an older version private', async () => {
    const dataDir = freshDir();
    const first = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    expect([statSync(first.keyFile).mode & 0o777, statSync(first.certFile).mode & 0o777]).toEqual([0o600, 0o600]);
    chmodSync(first.certFile, 0o644);
    const reused = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    expect(reused.origin).toBe('reused');
    expect(statSync(reused.certFile).mode & 0o777).toBe(0o600);
  });

  it('gives processes starting together on one data directory the same pair', async () => {
    const dataDir = freshDir();
    const pairs = await Promise.all([0, 1, 2, 3].map(() => loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null })));
    expect(new Set(pairs.map((pair) => pair.fingerprint)).size).toBe(1);
    expect(pairs.filter((pair) => pair.origin === 'generated')).toHaveLength(1);
    const again = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    expect(again).toMatchObject({ origin: 'reused', fingerprint: pairs[0]!.fingerprint });
  });

  it('replaces a kept certificate made for another host name', async () => {
    const dataDir = freshDir();
    const first = await loadTlsCredentials({ dataDir, hostname, keyFile: null, certFile: null });
    const renamed = await loadTlsCredentials({ dataDir, hostname: 'lab.school.lan', keyFile: null, certFile: null });
    expect(renamed.origin).toBe('generated');
    expect(renamed.fingerprint).not.toBe(first.fingerprint);
  });

  it("uses the operator's files, and refuses a key that does not match", async () => {
    const a = await loadTlsCredentials({ dataDir: freshDir(), hostname, keyFile: null, certFile: null });
    const b = await loadTlsCredentials({ dataDir: freshDir(), hostname, keyFile: null, certFile: null });
    const operator = await loadTlsCredentials({ dataDir: freshDir(), hostname, keyFile: a.keyFile, certFile: a.certFile });
    expect(operator.origin).toBe('operator');
    expect(operator.fingerprint).toBe(a.fingerprint);

    await expect(loadTlsCredentials({ dataDir: freshDir(), hostname, keyFile: a.keyFile, certFile: b.certFile })).rejects.toThrow(
      /^cannot use --tls-key .* with --tls-cert .*: the key does not belong to the certificate$/,
    );
    const missing = loadTlsCredentials({ dataDir: freshDir(), hostname, keyFile: a.keyFile, certFile: '/nonexistent/cert.pem' });
    await expect(missing).rejects.toBeInstanceOf(TlsSetupError);
    await expect(missing).rejects.toThrow('cannot read --tls-cert /nonexistent/cert.pem: no such file');
  });
});
