/**
 * A 250 means stored, tried as an operator would on the real `smtp-lab serve`: killed with
 * SIGKILL in the middle of a burst, every message it acknowledged is there after a restart;
 * a damaged database file stops the start with exit status 2, the file named, and the fix.
 */
import { openSync, closeSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { runCli } from '../cli/run-cli.ts';
import { openClient } from '../../bench/smtp-load.ts';
import { captured, simpleRaw } from '../storage/captured.ts';
import { sendUntilCut, untilAcknowledged } from './burst-until-cut.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from './serve-process.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

const CONNECTIONS = 6;
/** SIGKILL once this many messages have been acknowledged, so it lands in the middle of the burst. */
const KILL_AFTER = 120;

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const serve of running.splice(0)) await serve.stop();
});

async function serve(dataDir: string): Promise<ServeProcess> {
  const started = await startServeProcess({ dataDir });
  running.push(started);
  return started;
}

async function allQueueIds(httpBase: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 500) {
    const response = await fetch(`${httpBase}api/messages?limit=500&offset=${offset}`);
    const page = (await response.json()) as { messages: { queueId: string }[] };
    for (const message of page.messages) ids.add(message.queueId);
    if (page.messages.length < 500) return ids;
  }
}

describe('acknowledged mail survives SIGKILL', () => {
  it('lists every queue id that got a 250 after a restart on the same data directory', async () => {
    const dataDir = freshDataDir();
    const first = await serve(dataDir);
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => openClient(first.smtpPort)));
    const acknowledged: string[] = [];
    let next = 0;
    const burst = Promise.all(clients.map((client) => sendUntilCut(client, () => next++, acknowledged)));
    await untilAcknowledged(acknowledged, KILL_AFTER);
    first.child.kill('SIGKILL');
    await burst;
    await first.exited();
    for (const client of clients) client.destroy();

    const second = await serve(dataDir);
    const stored = await allQueueIds(second.httpBase);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});

describe('a damaged database stops the start', () => {
  const serveArgs = (dataDir: string) => ['serve', '--http-port', '0', '--smtp-port', '0', '--data-dir', dataDir];

  it('exits 2 for a file that is not a database, naming it and the fix', async () => {
    const dataDir = freshDataDir();
    const file = join(dataDir, 'smtp-lab.sqlite');
    writeFileSync(file, Buffer.alloc(64 * 1024, 'garbage!'));
    const run = await runCli(serveArgs(dataDir));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the database ${file} is damaged`);
    expect(run.stderr).toContain(`mv ${file} ${file}.damaged`);
    expect(run.stderr).toContain('a new empty database is created');
  });

  it('exits 2 for a database with pages overwritten in the middle (PRAGMA quick_check)', async () => {
    const dataDir = freshDataDir();
    const file = join(dataDir, 'smtp-lab.sqlite');
    const db = openDatabase(file);
    const store = new MessageStore(new SqliteDatabase(db));
    for (let i = 0; i < 50; i += 1) await store.storeRaw([{ namespace: 'default', message: captured(simpleRaw(`kept ${i}`.padEnd(3000, '.'))) }]);
    db.close();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);

    const run = await runCli(serveArgs(dataDir));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`the database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(\\*\\*\\* in database main`));
    expect(run.stderr).toContain(`mv ${file} ${file}.damaged`);
  });
});
