/**
 * The outbound queue stays bounded, on both engines: finished rows (each with its own raw copy
 * and hops) past the per-namespace cap go at the next enqueue, oldest first, while rows still
 * waiting, rows with a DSN still due, and other namespaces' rows stay.
 */
import { expect, it } from 'vitest';
import { MAX_WAITING_LISTED, OutboundQueue, type OutboundEntry } from '../../../../server/world/outbound/outbound-queue.ts';
import { describeEachEngine } from '../../../support/sql-engines.ts';

const LAB_NOW = Date.parse('2026-03-01T10:00:00Z');

function entry(namespace: string, recipient: string, mailFrom = 'alice@example.com'): OutboundEntry {
  return { namespace, queueId: 'Q1', mailFrom, recipient, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('Subject: hi\r\n\r\nHi.\r\n'), receivedAt: LAB_NOW };
}

const states = (queue: OutboundQueue, ids: readonly number[]) => Promise.all(ids.map(async (id) => (await queue.get(id))?.state ?? 'gone'));

describeEachEngine('outbound queue', (current) => {
  it('keeps at most keepFinished finished rows per namespace, dropping the oldest with their hops', async () => {
    const queue = new OutboundQueue(current.db, { keepFinished: 1 });
    await queue.enqueue([entry('default', 'a@example.net'), entry('default', 'b@example.net'), entry('default', 'c@example.net'), entry('default', 'd@example.net')]);
    const [first, second, third, fourth] = await queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 4);
    await queue.delivered(first!.id, '250 ok', 'mx.example.net');
    await queue.recordHop(first!.id, 1, LAB_NOW, { outcome: 'delivered' });
    await queue.bounced(second!, '550 no', 'mx.example.net');
    expect(await queue.claimDsn(second!.id)).toBe(true);
    await queue.bounced(third!, '550 no', 'mx.example.net');
    await queue.deferred(fourth!, '450 later', 'mx.example.net', LAB_NOW);
    await queue.enqueue([entry('student:x', 'a@example.net')]);
    // Another namespace's enqueue leaves this one alone.
    expect(await states(queue, [1, 2, 3, 4])).toEqual(['delivered', 'bounced', 'bounced', 'queued']);

    await queue.enqueue([entry('default', 'e@example.net')]);
    // Row 3's DSN is still due and row 4 still waits: of the finished rows 1 and 2, the newer stays.
    expect(await states(queue, [1, 2, 3, 4, 5, 6])).toEqual(['gone', 'bounced', 'bounced', 'queued', 'queued', 'queued']);
    expect(await queue.hops(1)).toEqual([]);

    expect(await queue.claimDsn(third!.id)).toBe(true);
    await queue.enqueue([entry('default', 'f@example.net')]);
    expect(await states(queue, [2, 3, 4, 6, 7])).toEqual(['gone', 'bounced', 'queued', 'queued', 'queued']);
  });

  it('leaves a namespace under the cap untouched', async () => {
    const queue = new OutboundQueue(current.db, { keepFinished: 5 });
    await queue.enqueue([entry('default', 'a@example.net'), entry('default', 'b@example.net')]);
    for (const row of await queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 2)) await queue.delivered(row.id, '250 ok', 'mx.example.net');
    await queue.enqueue([entry('default', 'c@example.net')]);
    expect(await states(queue, [1, 2, 3])).toEqual(['delivered', 'delivered', 'queued']);
  });

  it('lists at most MAX_WAITING_LISTED waiting rows and says how many wait in all, per namespace', async () => {
    const queue = new OutboundQueue(current.db);
    const many = Array.from({ length: MAX_WAITING_LISTED + 2 }, (_, index) => entry('default', `r${index}@example.net`));
    await queue.enqueue([...many, entry('student:x', 'a@example.net')]);
    const [settled] = await queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 1);
    await queue.delivered(settled!.id, '250 ok', 'mx.example.net');
    const page = await queue.waiting('default');
    expect(page.messages).toHaveLength(MAX_WAITING_LISTED);
    expect(page.total).toBe(MAX_WAITING_LISTED + 1);
    expect(await queue.waiting('student:x')).toMatchObject({ total: 1, messages: [{ recipient: 'a@example.net' }] });
  });

  it('counts waiting rows (queued and in flight) through the outbound_waiting index, up to a bound', async () => {
    const queue = new OutboundQueue(current.db);
    await queue.enqueue([entry('default', 'a@example.net'), entry('default', 'b@example.net'), entry('default', 'c@example.net')]);
    const [inFlight, done] = await queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 2);
    await queue.bounced(done!, '550 no', 'mx.example.net');
    expect(inFlight?.state).toBe('in-flight');
    expect(await queue.waitingCount('default')).toBe(2);
    expect(await queue.waitingCount('default', 1)).toBe(1);
    expect(await queue.waitingCount('student:x')).toBe(0);
    const waiting = `SELECT 1 FROM outbound_queue WHERE namespace = ? AND state IN ('queued', 'in-flight')`;
    if (current.engine === 'sqlite') {
      const plan = await current.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${waiting}`, ['default']);
      expect(plan.map((step) => step.detail).join('; ')).toMatch(/USING (COVERING )?INDEX outbound_waiting\b/);
    } else {
      // Three rows make a sequential scan cheaper: with it ruled out, the partial index must be the one that answers.
      const plan = await current.db.transaction(async (tx) => {
        await tx.run('SET LOCAL enable_seqscan = off');
        return tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${waiting}`, ['default']);
      });
      expect(plan.map((step) => step['QUERY PLAN']).join('; ')).toMatch(/outbound_waiting/);
    }
  });
});
