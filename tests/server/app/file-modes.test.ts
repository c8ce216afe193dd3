/**
 * Captured mail, the password hash, the TLS key and the lab's DKIM keys are for the server's
 * user alone: with the common umask 022 and a data directory someone made 0755, the database,
 * its -wal and -shm files, the keys and the certificate are 0600, and the log says the
 * directory is open.
 */
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../../server/app/start-app.ts';
import { SIGNING_DOMAINS } from '../../../protocol/world/default-world.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { dkimKeyFile } from '../../../server/world/dkim-keys.ts';
import { testConfig } from './app-config.ts';
import { deliverOne } from './raw-smtp.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

let umaskBefore = 0;
beforeEach(() => {
  umaskBefore = process.umask(0o022);
});
afterEach(() => {
  process.umask(umaskBefore);
});

describe('file modes', () => {
  it('keeps the database, its WAL files, the key and the certificate 0600 in a 0755 data directory, and warns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smtp-lab-modes-'));
    chmodSync(dataDir, 0o755);
    const log: string[] = [];
    const app = await startApp(testConfig({ 'data-dir': dataDir }), { log: (line) => log.push(line) });
    try {
      // One message, so the capture worker has written to the log files.
      expect((await deliverOne(app.ports.smtp, 'modes.example', 'modes')).code).toBe(250);

      const dkimKeys = SIGNING_DOMAINS.map((domain) => dkimKeyFile(dataDir, domain));
      const files = [app.databaseFile!, `${app.databaseFile!}-wal`, `${app.databaseFile!}-shm`, join(dataDir, 'tls', 'sandbox-key.pem'), app.tls.certFile, ...dkimKeys];
      expect(Object.fromEntries(files.map((file) => [file, modeOf(file).toString(8)]))).toEqual(
        Object.fromEntries(files.map((file) => [file, '600'])),
      );
      expect(modeOf(join(dataDir, 'tls'))).toBe(0o700);
      expect(modeOf(join(dataDir, 'dkim'))).toBe(0o700);
      expect(log).toContain(`warning: the data directory ${dataDir} is open to other users (mode 0755); its files are private, but consider: chmod 700 ${dataDir}`);
    } finally {
      await app.close('test finished');
    }
  });

  it('creates a missing data directory 0700 and has nothing to warn about', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'smtp-lab-modes-')), 'new', 'data');
    const log: string[] = [];
    const app = await startApp(testConfig({ 'data-dir': dataDir }), { log: (line) => log.push(line) });
    await app.close('test finished');
    expect(modeOf(dataDir)).toBe(0o700);
    expect(log.filter((line) => line.includes('warning'))).toEqual([]);
  });

  it('makes an existing 0644 database and WAL file private when it opens them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-modes-'));
    const file = join(dir, 'smtp-lab.sqlite');
    openDatabase(file).close();
    writeFileSync(`${file}-wal`, '');
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o644);
    const db = openDatabase(file);
    try {
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    } finally {
      db.close();
    }
  });
});
