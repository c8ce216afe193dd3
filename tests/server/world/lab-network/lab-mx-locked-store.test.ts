/**
 * A lab MX whose mailbox database is locked by another connection past its busy timeout (a
 * capture burst's commit, a `sqlite3` shell left in a transaction) cannot keep the message,
 * so it must not say 250 (a 250 means stored): it answers 451 4.3.0 in words that say why, the
 * sending relay keeps the row and tries again on the lab clock, and once the lock is gone the
 * message is delivered, once. Real SQLite in a file, real TCP through the lab network.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import { startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { OutboundQueue } from '../../../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker, type HopRecord, type RelayWorker } from '../../../../server/world/outbound/relay-worker.ts';
import { record } from '../outbound/lab-world-fixture.ts';

const LAB_START = Date.parse('2026-03-01T10:00:00Z');
const open: { worker?: RelayWorker; lab?: LabNetwork; dbs: Database[] } = { dbs: [] };
afterEach(async () => {
  await open.worker?.stop();
  await open.lab?.close();
  for (const db of open.dbs.splice(0)) db.close();
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** One message relayed to mx.example.net while `other` holds the write lock for `lockMs` from the first connection. */
async function relayUnderLock(lockMs: number): Promise<{ store: MessageStore; hops: HopRecord[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'smtp-lab-mx-lock-')), 'lab.sqlite');
  // The app's event-loop connection waits 250 ms; a shorter wait keeps the test quick.
  const db = openDatabase(file, { busyTimeoutMs: 50 });
  const other = openDatabase(file);
  open.dbs.push(other, db);
  const store = new MessageStore(new SqliteDatabase(db));
  const queue = new OutboundQueue(new SqliteDatabase(db));
  await queue.enqueue([{ namespace: 'default', queueId: 'Q1', mailFrom: 'alice@example.com', recipient: 'bob@example.net', clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('Subject: locked mailbox\r\n\r\nHi.\r\n'), receivedAt: LAB_START }]);
  // 6000×: the first retry, 5 lab minutes on, comes 50 real ms later.
  const clock = new LabClock({ startAt: LAB_START, speed: 6000 });
  const lab = await startLabNetwork({ hosts: DEFAULT_HOSTS, store, now: () => clock.now(), outsideNamespace: 'default' });
  open.lab = lab;

  let connections = 0;
  open.worker = startRelayWorker({
    queue,
    clock,
    zoneOf: async () => [record('example.net', 'MX', '10 mx.example.net.'), record('mx.example.net', 'A', '198.51.100.20')],
    connect: ({ fromIp, toHost, namespace }) => {
      // The first conversation meets the lock.
      if (++connections === 1) {
        other.exec('BEGIN IMMEDIATE');
        setTimeout(() => other.exec('COMMIT'), lockMs);
      }
      return lab.connect({ fromIp, toHost, namespace, outboundId: 1 });
    },
  });
  await until(async () => (await queue.get(1))?.state === 'delivered', 'delivery after the lock');
  return { store, hops: (await queue.hops(1)).map(({ hop }) => hop as HopRecord) };
}

describe('a lab MX on a locked mailbox database', () => {
  it('waits out a short lock and takes the message at the first attempt', async () => {
    // Longer than one busy timeout (50 ms here): a single try would have answered 451.
    const { store, hops } = await relayUnderLock(400);
    expect(hops.map((hop) => hop.outcome)).toEqual(['delivered']);
    expect((await store.list('default', { mailbox: 'bob@example.net' })).messages).toHaveLength(1);
  });

  it('answers 451 4.3.0 saying why when the lock stays, and the relay delivers the message once it is gone', async () => {
    // Longer than all the tries (8 × (50 ms busy timeout + 100 ms)).
    const { store, hops } = await relayUnderLock(2500);
    const [first] = hops;
    expect(first?.outcome).toBe('retry');
    expect(first?.tries[0]?.outcome).toEqual({
      kind: 'temporary',
      reply: '451 4.3.0 mx.example.net: the message could not be stored in the lab mailbox just now (its database is busy); try again later',
    });
    expect(hops.at(-1)?.outcome).toBe('delivered');
    expect((await store.list('default', { mailbox: 'bob@example.net' })).messages).toHaveLength(1);
  });
});
