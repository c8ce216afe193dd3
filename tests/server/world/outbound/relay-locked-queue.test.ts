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
import { openDatabase } from '../../../../server/storage/open-database.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import { OutboundQueue } from '../../../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker, type RelayWorker } from '../../../../server/world/outbound/relay-worker.ts';
import { record, startLabHosts, type LabWorldUnderTest } from './lab-world-fixture.ts';

const open: { worker?: RelayWorker; world?: LabWorldUnderTest; close: (() => void)[] } = { close: [] };
afterEach(async () => {
  await open.worker?.stop();
  await open.world?.close();
  for (const close of open.close.splice(0)) close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('relay worker on a locked database', () => {
  it('survives the lock, says why it waits, and delivers once the lock is released', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-relay-lock-')), 'lab.sqlite');
    const db = openDatabase(file, { busyTimeoutMs: 50 });
    const other = openDatabase(file);
    open.close.push(() => other.close(), () => db.close());
    const queue = new OutboundQueue(db);
    const clock = new LabClock();
    queue.enqueue([{ namespace: 'default', queueId: 'L1', mailFrom: 'alice@example.com', recipient: 'bob@example.net', clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('Subject: locked\r\n\r\nHi.\r\n'), receivedAt: clock.now() }]);
    open.world = await startLabHosts([{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' }]);

    const lines: string[] = [];
    open.worker = startRelayWorker({
      queue,
      clock,
      zoneOf: () => [record('example.net', 'MX', '10 mx.example.net.'), record('mx.example.net', 'A', '198.51.100.20')],
      connect: open.world.connect,
      log: (line) => lines.push(line),
    });
    // Taken before the worker's first look at the queue (on the next turn of the event loop).
    other.exec('BEGIN IMMEDIATE');
    await until(() => lines.some((line) => line.includes('could not be read')), 'the worker to meet the lock');
    expect(lines[0]).toMatch(/^relay: the queue could not be read \(database is locked\); trying again in 100 ms$/);
    expect(queue.get(1)?.state).toBe('queued');

    other.exec('COMMIT');
    await until(() => queue.get(1)?.state === 'delivered', 'delivery after the lock');
    expect(open.world.received.get('mx.example.net')?.length).toBe(1);
  });

  it('writes the outcome once the lock is gone, so a delivered message is not left in flight to be sent again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-relay-lock-')), 'lab.sqlite');
    const db = openDatabase(file, { busyTimeoutMs: 50 });
    const other = openDatabase(file);
    open.close.push(() => other.close(), () => db.close());
    const queue = new OutboundQueue(db);
    const clock = new LabClock();
    queue.enqueue([{ namespace: 'default', queueId: 'L2', mailFrom: 'alice@example.com', recipient: 'bob@example.net', clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('Subject: locked later\r\n\r\nHi.\r\n'), receivedAt: clock.now() }]);
    const world = await startLabHosts([{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' }]);
    open.world = world;

    const lines: string[] = [];
    let released = false;
    open.worker = startRelayWorker({
      queue,
      clock,
      zoneOf: () => [record('example.net', 'MX', '10 mx.example.net.'), record('mx.example.net', 'A', '198.51.100.20')],
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
    await until(() => released && queue.get(1)?.state === 'delivered', 'the outcome written after the lock');
    expect(world.received.get('mx.example.net')?.length).toBe(1);
    expect(lines.filter((line) => line.includes('row 1'))).toEqual([]);
  });
});
