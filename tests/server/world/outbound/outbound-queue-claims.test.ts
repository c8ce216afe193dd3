/**
 * The outbound queue's claims hold across processes: two queues on one PostgreSQL database (two
 * connection pools, as two serve processes have) claiming at once never take the same row,
 * lose none, and a row whose lease ran out (its process died) is claimed again. On SQLite one
 * process owns the data directory: its rows left in flight go back at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../../server/storage/sql/open-postgres.ts';
import type { SqlDatabase } from '../../../../server/storage/sql/sql-database.ts';
import { OutboundQueue, type OutboundEntry, type OutboundRow } from '../../../../server/world/outbound/outbound-queue.ts';
import { freshDatabase, postgresAdminUrl } from '../../../support/sql-engines.ts';

const LAB_NOW = Date.parse('2026-03-01T10:00:00Z');
const REAL_NOW = Date.parse('2026-03-01T09:00:00Z');
const LEASE_MS = 60_000;
const ROWS = 300;

function entry(index: number): OutboundEntry {
  return { namespace: `student:${index % 7}`, queueId: `Q${index}`, mailFrom: 'alice@example.com', recipient: `r${index}@example.net`, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from(`Subject: ${index}\r\n\r\nHi.\r\n`), receivedAt: LAB_NOW };
}

/** Claims until a round finds nothing, several claims of this queue at once (a pool has several connections). */
async function claimAll(queue: OutboundQueue, taken: OutboundRow[]): Promise<void> {
  for (let round = 0; round < ROWS; round++) {
    const batches = await Promise.all([0, 1, 2].map(() => queue.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW, 5)));
    const rows = batches.flat();
    if (rows.length === 0) return;
    taken.push(...rows);
  }
  throw new Error('the claims never ran dry');
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One database and two processes' views of it. */
async function twoProcesses(): Promise<{ a: OutboundQueue; b: OutboundQueue; db: SqlDatabase }> {
  const fresh = await freshDatabase('postgres');
  cleanups.push(fresh.drop);
  const other = await openPostgres(fresh.url!);
  cleanups.push(() => other.close());
  return { a: new OutboundQueue(fresh.db), b: new OutboundQueue(other), db: fresh.db };
}

describe.skipIf(postgresAdminUrl() === null)('outbound queue claims across processes [postgres]', () => {
  it('gives two processes claiming at once disjoint rows, and every row to one of them', async () => {
    const { a, b } = await twoProcesses();
    await a.enqueue(Array.from({ length: ROWS }, (_, index) => entry(index)));
    const byA: OutboundRow[] = [];
    const byB: OutboundRow[] = [];
    await Promise.all([claimAll(a, byA), claimAll(b, byB)]);

    const idsA = byA.map((row) => row.id);
    const idsB = new Set(byB.map((row) => row.id));
    expect(idsA.filter((id) => idsB.has(id))).toEqual([]);
    const all = [...idsA, ...idsB].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: ROWS }, (_, index) => index + 1));
    // Both took part: the claims ran side by side rather than one after the other.
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect([...byA, ...byB].every((row) => row.state === 'in-flight' && row.attempts === 1)).toBe(true);
    expect(await a.waitingCount('student:0')).toBe(Math.ceil(ROWS / 7));
  });

  it('gives each due bounce report to one process only, and makes it due again when its delivery failed', async () => {
    const { a, b } = await twoProcesses();
    await a.enqueue(Array.from({ length: 20 }, (_, index) => entry(index)));
    for (const row of await a.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW, 20)) await a.bounced(row, '550 5.1.1 no such user', 'mx.example.net');
    // Both processes see the same due reports and try to take each one at once.
    const [dueA, dueB] = await Promise.all([a.dsnsDue(), b.dsnsDue()]);
    expect(dueA.map((row) => row.id)).toEqual(dueB.map((row) => row.id));
    const won = await Promise.all(dueA.flatMap((row) => [a.claimDsn(row.id), b.claimDsn(row.id)]));
    for (let index = 0; index < dueA.length; index++) expect([won[2 * index], won[2 * index + 1]].filter(Boolean)).toHaveLength(1);
    expect(await a.dsnsDue()).toEqual([]);
    // A delivery that failed hands the report back.
    await b.dsnUnsent(dueA[0]!.id);
    expect((await a.dsnsDue()).map((row) => row.id)).toEqual([dueA[0]!.id]);
  });

  it('claims again a row whose lease ran out, and not before', async () => {
    const { a, b } = await twoProcesses();
    await a.enqueue([entry(1), entry(2)]);
    const first = await a.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW);
    expect(first.map((row) => row.id)).toEqual([1, 2]);
    await a.delivered(2, '250 ok', 'mx.example.net');

    // A's lease still runs: B finds nothing, and B's start leaves A's row in flight.
    expect(await b.claim(LAB_NOW, REAL_NOW + 2 * LEASE_MS, REAL_NOW + LEASE_MS - 1)).toEqual([]);
    expect(await b.releaseAbandoned()).toBe(0);
    expect((await b.get(1))?.state).toBe('in-flight');

    // A died holding row 1: once its lease ends, B takes it (a second attempt); the delivered row stays delivered.
    const again = await b.claim(LAB_NOW, REAL_NOW + 3 * LEASE_MS, REAL_NOW + LEASE_MS + 1);
    expect(again.map((row) => [row.id, row.attempts])).toEqual([[1, 2]]);
    expect((await a.get(2))?.state).toBe('delivered');
  });

  it('commits an attempt\'s hop and outcome together, on either process', async () => {
    const { a, b } = await twoProcesses();
    await a.enqueue([entry(1)]);
    const [row] = await a.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW);
    await expect(
      b.atomically(async (writes) => {
        await writes.recordHop(row!.id, row!.attempts, LAB_NOW, { outcome: 'delivered' });
        await writes.delivered(row!.id, '250 ok', 'mx.example.net');
        throw new Error('the process died before the commit');
      }),
    ).rejects.toThrow('died');
    expect(await a.hops(row!.id)).toEqual([]);
    expect((await a.get(row!.id))?.state).toBe('in-flight');
    await b.atomically(async (writes) => {
      await writes.recordHop(row!.id, row!.attempts, LAB_NOW, { outcome: 'delivered' });
      await writes.delivered(row!.id, '250 ok', 'mx.example.net');
    });
    expect(await a.hops(row!.id)).toEqual([{ attempt: 1, startedAt: LAB_NOW, hop: { outcome: 'delivered' } }]);
    expect((await a.get(row!.id))?.state).toBe('delivered');
  });
});

describe('outbound queue claims [sqlite]', () => {
  it('puts the rows the previous process left in flight back at start', async () => {
    const fresh = await freshDatabase('sqlite');
    cleanups.push(fresh.drop);
    const queue = new OutboundQueue(fresh.db);
    await queue.enqueue([entry(1), entry(2)]);
    await queue.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW);
    expect(await queue.releaseAbandoned()).toBe(2);
    expect((await queue.claim(LAB_NOW, REAL_NOW + LEASE_MS, REAL_NOW)).map((row) => [row.id, row.attempts])).toEqual([[1, 2], [2, 2]]);
  });
});
