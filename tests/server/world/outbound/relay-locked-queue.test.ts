/**
 * The relay worker reads the queue on the event loop's database connection; while another
 * connection holds the write lock past the busy timeout (a capture burst, a `sqlite3` shell
 * left in a transaction) the worker says so and looks again, and the process stays up. Once
 * the lock is gone the message is delivered.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import { OutboundQueue } from '../../../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker, type RelayWorker } from '../../../../server/world/outbound/relay-worker.ts';
import { record, startLabHosts, type LabHostUnderTest, type LabWorldUnderTest } from './lab-world-fixture.ts';

const open: { worker?: RelayWorker; world?: LabWorldUnderTest; close: (() => void)[] } = { close: [] };
afterEach(async () => {
  await open.worker?.stop();
  await open.world?.close();
  for (const close of open.close.splice(0)) close();
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const MX_EXAMPLE_NET: LabHostUnderTest = { name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' };
const ZONE = [record('example.net', 'MX', '10 mx.example.net.'), record('mx.example.net', 'A', '198.51.100.20')];

/**
 * An outbound queue on a fresh database file (busy timeout 50 ms) holding one message for
 * bob@example.net, and a second connection to that file to take the write lock with.
 */
async function queueOnFile(queueId: string, subject: string): Promise<{ queue: OutboundQueue; clock: LabClock; other: Database }> {
  const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-relay-lock-')), 'lab.sqlite');
  const db = openDatabase(file, { busyTimeoutMs: 50 });
  const other = openDatabase(file);
  open.close.push(() => other.close(), () => db.close());
  const queue = new OutboundQueue(new SqliteDatabase(db));
  const clock = new LabClock();
  const raw = Buffer.from(`Subject: ${subject}\r\n\r\nHi.\r\n`);
  await queue.enqueue([{ namespace: 'default', queueId, mailFrom: 'alice@example.com', recipient: 'bob@example.net', clientHelo: 'laptop', clientAddress: '127.0.0.1', raw, receivedAt: clock.now() }]);
  return { queue, clock, other };
}

describe('relay worker on a locked database', () => {
  it('survives the lock, says why it waits, and delivers once the lock is released', async () => {
    const { queue, clock, other } = await queueOnFile('L1', 'locked');
    open.world = await startLabHosts([MX_EXAMPLE_NET]);

    const lines: string[] = [];
    open.worker = startRelayWorker({
      queue,
      clock,
      zoneOf: async () => ZONE,
      connect: open.world.connect,
      log: (line) => lines.push(line),
    });
    // Taken before the worker's first look at the queue (on the next turn of the event loop).
    other.exec('BEGIN IMMEDIATE');
    await until(() => lines.some((line) => line.includes('could not be read')), 'the worker to meet the lock');
    expect(lines[0]).toMatch(/^relay: the queue could not be read \(database is locked\); trying again in 100 ms$/);
    expect((await queue.get(1))?.state).toBe('queued');

    other.exec('COMMIT');
    await until(async () => (await queue.get(1))?.state === 'delivered', 'delivery after the lock');
    expect(open.world.received.get('mx.example.net')?.length).toBe(1);
  });

  it('writes the outcome once the lock is gone, so a delivered message is not left in flight to be sent again', async () => {
    const { queue, clock, other } = await queueOnFile('L2', 'locked later');
    const world = await startLabHosts([MX_EXAMPLE_NET]);
    open.world = world;

    const lines: string[] = [];
    let released = false;
    open.worker = startRelayWorker({
      queue,
      clock,
      zoneOf: async () => ZONE,
      // The row is claimed by now: lock the database for the whole conversation and a second after it.
      connect: async (target) => {
        other.exec('BEGIN IMMEDIATE');
        setTimeout(() => {
          other.exec('COMMIT');
          released = true;
        }, 1500);
        return world.connect(target);
      },
      log: (line) => lines.push(line),
    });
    await until(async () => released && (await queue.get(1))?.state === 'delivered', 'the outcome written after the lock');
    expect(world.received.get('mx.example.net')?.length).toBe(1);
    expect(lines.filter((line) => line.includes('row 1'))).toEqual([]);
  });
});
