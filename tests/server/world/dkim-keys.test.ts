import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SIGNING_DOMAINS } from '../../../protocol/world/default-world.ts';
import { dkimKeyFile, dkimPublicKeys, loadOrCreateDkimKeys } from '../../../server/world/dkim-keys.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'smtp-lab-dkim-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadOrCreateDkimKeys', () => {
  it('makes a 2048-bit RSA key per signing domain at first start, private (0600 in a 0700 directory)', async () => {
    const keys = await loadOrCreateDkimKeys(dataDir);
    for (const domain of SIGNING_DOMAINS) {
      const file = dkimKeyFile(dataDir, domain);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
      const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
      expect(privateKey.asymmetricKeyType).toBe('rsa');
      expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(keys[domain]).toMatchObject({ domain, selector: 'lab' });
      // The published key is the private key's own public half.
      expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64')).toBe(keys[domain].publicKey);
    }
    expect(new Set(Object.values(dkimPublicKeys(keys))).size).toBe(SIGNING_DOMAINS.length);
  });

  it('reads the same keys on the next start, and makes a loosened file private again', async () => {
    const first = await loadOrCreateDkimKeys(dataDir);
    const file = dkimKeyFile(dataDir, 'example.net');
    chmodSync(file, 0o644);
    const second = await loadOrCreateDkimKeys(dataDir);
    expect(dkimPublicKeys(second)).toEqual(dkimPublicKeys(first));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('says which file is damaged rather than sign with nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-dkim-bad-'));
    try {
      await loadOrCreateDkimKeys(dir);
      writeFileSync(dkimKeyFile(dir, 'example.org'), 'not a key');
      await expect(loadOrCreateDkimKeys(dir)).rejects.toThrow(/DKIM key for example\.org .* cannot be read.*delete the file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
