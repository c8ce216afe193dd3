/**
 * Greylisting holds across processes: two lab networks (as two serve processes have) keep their
 * hosts' greylisting memory in one database, so a sender deferred by one passes the other on its
 * retry, and only after the delay. Real TCP on 127.0.0.1 with nodemailer, real PostgreSQL; the
 * memory itself (bounded, expiring, per sender key) on both engines. The lab clock is injected.
 */
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { GREYLIST_DELAY_MS } from '../../../../protocol/world/greylisting.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase } from '../../../../server/storage/open-database.ts';
import { openPostgres } from '../../../../server/storage/sql/open-postgres.ts';
import { GreylistStore } from '../../../../server/world/greylist-store.ts';
import { startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../../support/sql-engines.ts';

const MINUTE = 60_000;
/** mx1.example.org greylists by default (protocol/world/default-world.ts). */
const TO_MX1 = { fromIp: '192.0.2.10', toHost: 'mx1.example.org', namespace: 'student:1' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let labNow = Date.UTC(2026, 0, 5, 9, 0, 0);
const errors: Error[] = [];

/** A lab network of its own (its own listeners and mailbox), sharing greylisting memory through `memory` when given. */
async function process(memory?: GreylistStore): Promise<LabNetwork> {
  const db = openDatabase(':memory:');
  const network = await startLabNetwork({
    hosts: DEFAULT_HOSTS,
    store: new MessageStore(new SqliteDatabase(db)),
    now: () => labNow,
    outsideNamespace: 'default',
    onError: (error) => errors.push(error),
    ...(memory === undefined ? {} : { greylistMemory: memory }),
  });
  cleanups.push(() => void db.close(), () => network.close());
  return network;
}

async function send(lab: LabNetwork): Promise<void> {
  const socket = await lab.connect(TO_MX1);
  const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 5000 } as never);
  try {
    await transport.sendMail({ from: 'alice@example.com', to: 'carol@example.org', subject: 'Greylist', text: 'Hello.' });
  } finally {
    transport.close();
    socket.destroy();
  }
}

/** Waits (bounded: 100 checks, 5 s) until the first attempt's triplet is written: that write follows the 4xx. */
async function untilStored(store: GreylistStore): Promise<void> {
  for (let i = 0; i < 100 && (await store.size()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.skipIf(postgresAdminUrl() === null)('greylisting across two processes on one PostgreSQL', () => {
  it('lets the retry through on the other process once the delay has passed, not before; without the shared memory it is deferred again', async () => {
    errors.length = 0;
    const fresh = await freshDatabase('postgres');
    cleanups.push(fresh.drop);
    const other = await openPostgres(fresh.url!);
    cleanups.push(() => other.close());
    const memoryA = new GreylistStore(fresh.db);
    const a = await process(memoryA);
    const b = await process(new GreylistStore(other));
    const alone = await process();

    await expect(send(a)).rejects.toMatchObject({ responseCode: 451 });
    await untilStored(memoryA);
    labNow += GREYLIST_DELAY_MS - MINUTE;
    // Too soon, on the other process as on the first.
    await expect(send(b)).rejects.toMatchObject({ responseCode: 451 });
    labNow += MINUTE;
    await send(b);
    // A process that keeps its memory to itself has never seen this sender: a first attempt to it.
    await expect(send(alone)).rejects.toMatchObject({ responseCode: 451 });
    expect(errors).toEqual([]);
  });
});

describeEachEngine('GreylistStore', (current) => {
  const triplet = (sender: string, firstSeen: number, ip = 'student:1 192.0.2.10') => ({ ip, sender, recipient: 'carol@example.org', firstSeen });

  it('answers what a host saw from one sender key within the retry window, oldest first', async () => {
    const store = new GreylistStore(current.db, { retryWindowMs: 60 * MINUTE });
    await store.firstSeen('mx1.example.org', triplet('b@example.com', 20 * MINUTE));
    await store.firstSeen('mx1.example.org', triplet('a@example.com', 10 * MINUTE));
    await store.firstSeen('mx1.example.org', triplet('a@example.com', 5 * MINUTE, 'student:2 192.0.2.10'));
    await store.firstSeen('mx.example.net', triplet('a@example.com', 5 * MINUTE));
    expect(await store.seen('mx1.example.org', 'student:1 192.0.2.10', 30 * MINUTE)).toEqual([triplet('a@example.com', 10 * MINUTE), triplet('b@example.com', 20 * MINUTE)]);
    // A first attempt again (past the window elsewhere) moves the start.
    await store.firstSeen('mx1.example.org', triplet('a@example.com', 25 * MINUTE));
    expect(await store.seen('mx1.example.org', 'student:1 192.0.2.10', 30 * MINUTE)).toEqual([triplet('b@example.com', 20 * MINUTE), triplet('a@example.com', 25 * MINUTE)]);
    expect(await store.seen('mx1.example.org', 'student:1 192.0.2.10', 81 * MINUTE)).toEqual([triplet('a@example.com', 25 * MINUTE)]);
  });

  it('forgets triplets past the retry window and keeps at most maxEntries, the newest', async () => {
    const store = new GreylistStore(current.db, { retryWindowMs: 60 * MINUTE, maxEntries: 3 });
    for (let n = 0; n < 6; n++) await store.firstSeen('mx1.example.org', triplet(`s${n}@example.com`, n * MINUTE));
    expect(await store.size()).toBe(3);
    expect((await store.seen('mx1.example.org', 'student:1 192.0.2.10', 6 * MINUTE)).map((seen) => seen.sender)).toEqual(['s3@example.com', 's4@example.com', 's5@example.com']);
    await store.firstSeen('mx1.example.org', triplet('late@example.com', 70 * MINUTE));
    expect(await store.size()).toBe(1);
  });
});
