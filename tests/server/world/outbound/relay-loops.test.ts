/**
 * Mail loops from the sending side, over real TCP to real simulator listeners with the queue in
 * real SQLite: a domain whose MX is the sandbox itself bounces at once with 5.4.6 "loops back
 * to myself" (not retried for days), the sandbox's own MX record and those it outranks are
 * dropped from a longer list (RFC 5321 §5.1), and a message already carrying 100 Received
 * fields is bounced as a loop (RFC 5321 §6.3) while one with 99 still moves.
 */
import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import { OutboundQueue, type OutboundEntry } from '../../../../server/world/outbound/outbound-queue.ts';
import { MAX_RECEIVED_FIELDS, SANDBOX_HOSTNAME, SANDBOX_IP, startRelayWorker, type DsnRequest } from '../../../../server/world/outbound/relay-worker.ts';
import { memoryDatabasePerTest } from '../../storage/memory-database.ts';
import { record, startLabHosts, stoppedAfterEach } from './lab-world-fixture.ts';

const current = memoryDatabasePerTest();
const started = stoppedAfterEach();

const ZONE: DnsRecord[] = [
  record(SANDBOX_HOSTNAME, 'A', SANDBOX_IP),
  record('mx.example.net', 'A', '198.51.100.20'),
  // A learner's domain whose MX is the sandbox by name, one whose MX host has the sandbox's address.
  record('loop.example', 'MX', `10 ${SANDBOX_HOSTNAME}.`),
  record('alias.example', 'MX', '10 mx.alias.example.'),
  record('mx.alias.example', 'A', SANDBOX_IP),
  // The sandbox below a real MX (a backup): only the better host is tried.
  record('backup.example', 'MX', '10 mx.example.net.'),
  record('backup.example', 'MX', `20 ${SANDBOX_HOSTNAME}.`),
  // The sandbox above a real MX: everything it outranks goes too.
  record('primary.example', 'MX', `10 ${SANDBOX_HOSTNAME}.`),
  record('primary.example', 'MX', '20 mx.example.net.'),
  record('example.net', 'MX', '10 mx.example.net.'),
];

function entry(recipient: string, raw = Buffer.from('From: alice@example.com\r\nSubject: hi\r\n\r\nHi.\r\n')): OutboundEntry {
  return { namespace: 'default', queueId: 'Q1', mailFrom: 'alice@example.com', recipient, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw, receivedAt: Date.parse('2026-03-01T10:00:00Z') };
}

async function setUp(entries: readonly OutboundEntry[]) {
  const queue = new OutboundQueue(new SqliteDatabase(current.db));
  await queue.enqueue(entries);
  const world = await startLabHosts([{ name: 'mx.example.net', domains: ['example.net', 'backup.example', 'primary.example'], personality: 'smtp-server' }]);
  const dsns: DsnRequest[] = [];
  started.world = world;
  started.worker = startRelayWorker({
    queue,
    clock: new LabClock({ startAt: Date.parse('2026-03-01T10:00:00Z') }),
    zoneOf: async () => ZONE,
    connect: world.connect,
    random: () => 0,
    bounces: { build: (request) => (dsns.push(request), Buffer.from('DSN')), deliver: async () => undefined },
  });
  return { queue, world, dsns };
}

/** Waits (bounded: 200 checks, 10 s) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const settled = async (queue: OutboundQueue, id: number) => ['delivered', 'bounced', 'expired'].includes((await queue.get(id))?.state ?? '');

describe('relay worker and mail loops', () => {
  it('bounces at once with 5.4.6 when a domain\'s best MX is the sandbox, by name or by address', async () => {
    const { queue, world, dsns } = await setUp([entry('bob@loop.example'), entry('bob@alias.example')]);
    await until(async () => (await settled(queue, 1)) && (await settled(queue, 2)) && dsns.length === 2, 'both loops to bounce');
    expect(await queue.get(1)).toMatchObject({ state: 'bounced', attempts: 1 });
    expect((await queue.get(1))?.lastReply).toMatch(/^554 5\.4\.6 mail for loop\.example loops back to myself/);
    expect((await queue.get(2))?.lastReply).toMatch(/^554 5\.4\.6 mail for alias\.example loops back to myself/);
    expect(dsns.map((dsn) => dsn.status)).toEqual(['5.4.6', '5.4.6']);
    expect(dsns.map((dsn) => dsn.diagnosticCode?.split(';')[0])).toEqual(['X-SMTP-Lab', 'X-SMTP-Lab']);
    expect(world.connections).toEqual([]);
  });

  it('tries only the MX hosts better than the sandbox (RFC 5321 §5.1)', async () => {
    const { queue, world } = await setUp([entry('bob@backup.example'), entry('bob@primary.example')]);
    await until(async () => (await settled(queue, 1)) && (await settled(queue, 2)), 'both rows to settle');
    expect((await queue.get(1))?.state).toBe('delivered');
    expect((await queue.get(2))?.lastReply).toMatch(/^554 5\.4\.6 mail for primary\.example loops back to myself/);
    expect(world.connections).toEqual(['mx.example.net']);
  });

  it(`bounces a message carrying ${MAX_RECEIVED_FIELDS} Received fields as a loop (RFC 5321 §6.3), and moves one with fewer`, async () => {
    const trail = (count: number) =>
      Array.from({ length: count }, (_, i) => `Received: from a${i}.example.net\r\n\tby b${i}.example.net; Sun, 01 Mar 2026 09:00:00 +0000\r\n`).join('');
    const raw = (count: number) => Buffer.from(`${trail(count)}From: alice@example.com\r\nSubject: round and round\r\n\r\nHi.\r\n`);
    const { queue, world, dsns } = await setUp([entry('bob@example.net', raw(MAX_RECEIVED_FIELDS)), entry('carol@example.net', raw(MAX_RECEIVED_FIELDS - 1))]);
    await until(async () => (await settled(queue, 1)) && (await settled(queue, 2)) && dsns.length === 1, 'both rows to settle');
    expect((await queue.get(1))?.state).toBe('bounced');
    expect((await queue.get(1))?.lastReply).toBe(`554 5.4.6 Too many hops: the message has ${MAX_RECEIVED_FIELDS} Received header fields, a mail loop (RFC 5321 §6.3)`);
    expect(dsns[0]?.finalRecipient).toBe('bob@example.net');
    expect((await queue.get(2))?.state).toBe('delivered');
    expect(world.received.get('mx.example.net')?.map((message) => message.rcptTo)).toEqual([['carol@example.net']]);
  });
});
