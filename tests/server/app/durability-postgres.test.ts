/**
 * A 250 means committed on PostgreSQL too: the capture path in a process of its own, killed
 * with SIGKILL in the middle of a burst; every message it acknowledged is in the database.
 * (durability.test.ts does the same to the whole `smtp-lab serve` on SQLite.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from '../../bench/smtp-load.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { sendUntilCut, untilAcknowledged } from './burst-until-cut.ts';

const CONNECTIONS = 6;
/** SIGKILL once this many messages have been acknowledged, so it lands in the middle of the burst. */
const KILL_AFTER = 120;
const SCRIPT = new URL('./capture-process.ts', import.meta.url).href;
/** The helper is TypeScript: it registers tsx first, as bin/smtp-lab.js does. */
const BOOTSTRAP = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(SCRIPT)}); });`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts the capture process on `database`; resolves with it and its SMTP port. */
function startCaptureProcess(database: string): Promise<{ child: ChildProcessWithoutNullStreams; port: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BOOTSTRAP], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    env: { ...process.env, CAPTURE_DATABASE: database },
  });
  const exited = new Promise((done) => child.on('close', done));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the capture process did not start:\n${stderr}`)), 15_000);
    void exited.then(() => reject(new Error(`the capture process ended:\n${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const port = /SMTP (\d+)/.exec(stdout)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ child, port: Number(port), exited });
    });
  });
}

describe.skipIf(postgresAdminUrl() === null)('acknowledged mail survives SIGKILL [postgres]', () => {
  it('has every queue id that got a 250 in the database after the process is killed', async () => {
    const fresh = await freshDatabase('postgres');
    cleanups.push(() => fresh.drop());
    const capture = await startCaptureProcess(fresh.url!);
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => openClient(capture.port)));
    cleanups.push(() => clients.forEach((client) => client.destroy()));
    const acknowledged: string[] = [];
    let next = 0;
    const burst = Promise.all(clients.map((client) => sendUntilCut(client, () => next++, acknowledged)));
    await untilAcknowledged(acknowledged, KILL_AFTER);
    capture.child.kill('SIGKILL');
    await burst;
    await capture.exited;

    const stored = new Set((await fresh.db.all<{ queue_id: string }>('SELECT queue_id FROM messages')).map((row) => row.queue_id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});
