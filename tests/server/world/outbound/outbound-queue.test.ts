/**
 * The outbound queue stays bounded in real SQLite: finished rows (each with its own raw copy
 * and hops) past the per-namespace cap go at the next enqueue, oldest first, while rows still
 * waiting, rows with a DSN still due, and other namespaces' rows stay.
 */
import { describe, expect, it } from 'vitest';
import { OutboundQueue, type OutboundEntry } from '../../../../server/world/outbound/outbound-queue.ts';
import { memoryDatabasePerTest } from '../../storage/memory-database.ts';

const current = memoryDatabasePerTest();
const LAB_NOW = Date.parse('2026-03-01T10:00:00Z');

function entry(namespace: string, recipient: string, mailFrom = 'alice@example.com'): OutboundEntry {
  return { namespace, queueId: 'Q1', mailFrom, recipient, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('Subject: hi\r\n\r\nHi.\r\n'), receivedAt: LAB_NOW };
}

const states = (queue: OutboundQueue, ids: readonly number[]) => ids.map((id) => queue.get(id)?.state ?? 'gone');

describe('outbound queue', () => {
  it('keeps at most keepFinished finished rows per namespace, dropping the oldest with their hops', () => {
    const queue = new OutboundQueue(current.db, { keepFinished: 1 });
    queue.enqueue([entry('default', 'a@example.net'), entry('default', 'b@example.net'), entry('default', 'c@example.net'), entry('default', 'd@example.net')]);
    const [first, second, third, fourth] = queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 4);
    queue.delivered(first!.id, '250 ok', 'mx.example.net');
    queue.recordHop(first!.id, 1, LAB_NOW, { outcome: 'delivered' });
    queue.bounced(second!, '550 no', 'mx.example.net');
    queue.dsnSent(second!.id);
    queue.bounced(third!, '550 no', 'mx.example.net');
    queue.deferred(fourth!, '450 later', 'mx.example.net', LAB_NOW);
    queue.enqueue([entry('student:x', 'a@example.net')]);
    // Another namespace's enqueue leaves this one alone.
    expect(states(queue, [1, 2, 3, 4])).toEqual(['delivered', 'bounced', 'bounced', 'queued']);

    queue.enqueue([entry('default', 'e@example.net')]);
    // Row 3's DSN is still due and row 4 still waits: of the finished rows 1 and 2, the newer stays.
    expect(states(queue, [1, 2, 3, 4, 5, 6])).toEqual(['gone', 'bounced', 'bounced', 'queued', 'queued', 'queued']);
    expect(queue.hops(1)).toEqual([]);

    queue.dsnSent(third!.id);
    queue.enqueue([entry('default', 'f@example.net')]);
    expect(states(queue, [2, 3, 4, 6, 7])).toEqual(['gone', 'bounced', 'queued', 'queued', 'queued']);
  });

  it('leaves a namespace under the cap untouched', () => {
    const queue = new OutboundQueue(current.db, { keepFinished: 5 });
    queue.enqueue([entry('default', 'a@example.net'), entry('default', 'b@example.net')]);
    for (const row of queue.claim(LAB_NOW, Date.now() + 60_000, Date.now(), 2)) queue.delivered(row.id, '250 ok', 'mx.example.net');
    queue.enqueue([entry('default', 'c@example.net')]);
    expect(states(queue, [1, 2, 3])).toEqual(['delivered', 'delivered', 'queued']);
  });
});
