/**
 * The relay worker over real TCP to real simulator listeners, with the queue on both engines:
 * delivery, a greylisting 4xx retried after the lab clock moves on, a 5xx bounced with the
 * DSN's fields (and the null sender never bounced), fallback to the second MX when the first
 * is down, and a null MX that is never tried.
 */
import { expect, it } from 'vitest';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import type { SqlDatabase } from '../../../../server/storage/sql/sql-database.ts';
import { OutboundQueue, type OutboundEntry } from '../../../../server/world/outbound/outbound-queue.ts';
import { FIRST_RETRY_MS } from '../../../../protocol/world/retry-schedule.ts';
import { startRelayWorker, type DsnRequest, type HopRecord, type RelayWorker, type SignMessage } from '../../../../server/world/outbound/relay-worker.ts';
import { describeEachEngine } from '../../../support/sql-engines.ts';
import { record, startLabHosts, stoppedAfterEach, type LabHostUnderTest, type LabWorldUnderTest } from './lab-world-fixture.ts';

/** Stopped before the engine's database is dropped: registered inside each engine's block. */
let started: ReturnType<typeof stoppedAfterEach>;

const ZONE: DnsRecord[] = [
  record('example.net', 'MX', '10 mx.example.net.'),
  record('mx.example.net', 'A', '198.51.100.20'),
  record('example.org', 'MX', '10 mx1.example.org.'),
  record('example.org', 'MX', '20 mx2.example.org.'),
  record('mx1.example.org', 'A', '203.0.113.21'),
  record('mx2.example.org', 'A', '203.0.113.22'),
  record('null-mx.example', 'MX', '0 .'),
];

const RAW = Buffer.from('From: alice@example.com\r\nTo: bob@example.net\r\nSubject: hello\r\n\r\nHi Bob.\r\n.leading dot\r\n');

function entry(recipient: string, mailFrom = 'alice@example.com'): OutboundEntry {
  return { namespace: 'default', queueId: 'Q1', mailFrom, recipient, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: RAW, receivedAt: Date.parse('2026-03-01T10:00:00Z') };
}

interface Setup {
  readonly queue: OutboundQueue;
  readonly clock: LabClock;
  readonly world: LabWorldUnderTest;
  readonly worker: RelayWorker;
  readonly dsns: DsnRequest[];
}

async function setUp(db: SqlDatabase, hosts: readonly LabHostUnderTest[], entries: readonly OutboundEntry[], sign?: SignMessage): Promise<Setup> {
  const queue = new OutboundQueue(db);
  const clock = new LabClock({ startAt: Date.parse('2026-03-01T10:00:00Z') });
  await queue.enqueue(entries);
  const world = await startLabHosts(hosts);
  const dsns: DsnRequest[] = [];
  const worker = startRelayWorker({
    queue,
    clock,
    zoneOf: async () => ZONE,
    connect: world.connect,
    random: () => 0,
    ...(sign === undefined ? {} : { sign }),
    bounces: {
      build: (request) => {
        dsns.push(request);
        return Buffer.from(`DSN for ${request.finalRecipient}`);
      },
      deliver: async () => undefined,
    },
  });
  started.worker = worker;
  started.world = world;
  return { queue, clock, world, worker, dsns };
}

/** Waits (bounded: 200 checks, 10 s) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string | (() => Promise<string>)): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${typeof what === 'string' ? what : await what()}`);
}

describeEachEngine('relay worker', (current) => {
  started = stoppedAfterEach();
  it('delivers on the first try, with the sandbox Received line, and records the hop', async () => {
    const { queue, world } = await setUp(current.db, [{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' }], [entry('bob@example.net')]);
    await until(async () => (await queue.get(1))?.state === 'delivered', 'delivery');
    const [message] = world.received.get('mx.example.net') ?? [];
    expect(message?.mailFrom).toBe('alice@example.com');
    expect(message?.rcptTo).toEqual(['bob@example.net']);
    const text = message?.raw.toString('utf8') ?? '';
    expect(text).toMatch(/^Received: from laptop \(\[127\.0\.0\.1\]\)\r\n\tby mail\.example\.com .* id Q1\r\n\tfor <bob@example\.net>; Sun, 01 Mar 2026 10:00:00 \+0000\r\n/);
    // Dot-stuffed on the wire, unstuffed by the receiver: the line arrives as sent.
    expect(text).toContain('\r\n.leading dot\r\n');
    const [hop] = (await queue.hops(1)) as { hop: HopRecord }[];
    expect(hop?.hop.outcome).toBe('delivered');
    expect(hop?.hop.lookups.map((lookup) => `${lookup.type} ${lookup.name}`)).toEqual(['MX example.net', 'A mx.example.net', 'AAAA mx.example.net']);
    const lines = hop?.hop.tries[0]?.transcript.map((line) => `${line.direction} ${line.text.split(' ')[0]}`) ?? [];
    expect(lines.slice(0, 5)).toEqual(['server 220', 'client EHLO', 'server 250-mx.example.net', 'client MAIL', 'server 250']);
    expect((await queue.get(1))?.lastReply).toMatch(/^250 /);
  });

  it('sends a forwarder\'s row from the forwarder\'s IP and name, as it was queued: no sandbox Received line, no new signature', async () => {
    const signed: string[] = [];
    const sign: SignMessage = async (raw, domain) => {
      signed.push(domain);
      return raw;
    };
    const forwarded: OutboundEntry = { ...entry('bob@example.net'), sendingHost: { name: 'mx.forwarder.example', ip: '203.0.113.50', forwardedFrom: 7 } };
    const { queue, world } = await setUp(current.db, [{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' }], [forwarded, entry('carol@example.net')], sign);
    await until(async () => (await queue.get(1))?.state === 'delivered' && (await queue.get(2))?.state === 'delivered', 'both deliveries');
    // Read back from the database by a new queue, as after a restart: the row still knows who sends it.
    expect((await new OutboundQueue(current.db).get(1))?.sendingHost).toEqual({ name: 'mx.forwarder.example', ip: '203.0.113.50', forwardedFrom: 7 });
    expect((await new OutboundQueue(current.db).get(2))?.sendingHost).toBeNull();
    const byRecipient = new Map((world.received.get('mx.example.net') ?? []).map((message) => [message.rcptTo[0], message]));
    expect(byRecipient.get('bob@example.net')?.clientHelo).toBe('mx.forwarder.example');
    expect(byRecipient.get('bob@example.net')?.raw.equals(RAW)).toBe(true);
    expect(byRecipient.get('carol@example.net')?.clientHelo).toBe('mail.example.com');
    expect([...world.fromIps].sort()).toEqual(['192.0.2.10', '203.0.113.50']);
    // Only the sandbox's own row was signed.
    expect(signed).toEqual(['example.com']);
  });

  it('names the forwarder as the reporting MTA when a forwarder\'s row bounces', async () => {
    const forwarded: OutboundEntry = { ...entry('dave@example.net'), sendingHost: { name: 'mx.forwarder.example', ip: '203.0.113.50', forwardedFrom: null } };
    const { queue, dsns } = await setUp(current.db, [{ name: 'mx.example.net', domains: ['example.net'], personality: 'postfix' }], [forwarded]);
    await until(async () => dsns.length === 1, async () => JSON.stringify({ ...(await queue.get(1)), raw: null }));
    expect(dsns[0]).toMatchObject({ reportingMta: 'mx.forwarder.example', finalRecipient: 'dave@example.net', remoteMta: 'mx.example.net' });
  });

  it('retries a greylisting 4xx after the lab clock passes the first retry, then delivers', async () => {
    const { queue, clock, world } = await setUp(current.db, [{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server', behaviours: { greylist: true } }], [entry('bob@example.net')]);
    await until(async () => (await queue.get(1))?.attempts === 1 && (await queue.get(1))?.state === 'queued', async () => JSON.stringify({ ...(await queue.get(1)), raw: null }));
    expect((await queue.get(1))?.lastReply).toMatch(/^45\d /);
    expect(await queue.waiting('default')).toMatchObject({ messages: [{ recipient: 'bob@example.net', attempts: 1, lastReply: (await queue.get(1))?.lastReply }], total: 1 });
    expect(world.received.get('mx.example.net')).toEqual([]);
    clock.advance(FIRST_RETRY_MS);
    await until(async () => (await queue.get(1))?.state === 'delivered', 'the retry');
    expect((await queue.get(1))?.attempts).toBe(2);
    expect(world.received.get('mx.example.net')).toHaveLength(1);
    expect(await queue.waiting('default')).toEqual({ messages: [], total: 0 });
  });

  it('defers a row whose signing fails (the mail-auth worker busy or stopped): nothing sent, a 451, then delivered on the retry', async () => {
    let failures = 1;
    const sign: SignMessage = async (raw) => {
      if (failures-- > 0) throw new Error('mail authentication did not run: 256 messages are waiting for it already');
      return raw;
    };
    const { queue, clock, world } = await setUp(current.db, [{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server' }], [entry('bob@example.net')], sign);
    await until(async () => (await queue.get(1))?.attempts === 1 && (await queue.get(1))?.state === 'queued', async () => JSON.stringify({ ...(await queue.get(1)), raw: null }));
    expect((await queue.get(1))?.lastReply).toBe('451 4.3.0 not sent: mail authentication did not run: 256 messages are waiting for it already');
    expect(world.connections).toEqual([]);
    clock.advance(FIRST_RETRY_MS);
    await until(async () => (await queue.get(1))?.state === 'delivered', 'the retry');
    expect(world.received.get('mx.example.net')).toHaveLength(1);
  });

  it('bounces a 5xx with the DSN fields, and never bounces the null sender', async () => {
    const { queue, dsns } = await setUp(current.db, 
      [{ name: 'mx.example.net', domains: ['example.net'], personality: 'smtp-server', behaviours: { unknownMailboxes: ['nobody@example.net'] } }],
      [entry('nobody@example.net'), entry('nobody@example.net', '')],
    );
    await until(async () => (await queue.get(1))?.state === 'bounced' && (await queue.get(2))?.state === 'bounced' && dsns.length === 1, 'both bounces');
    expect(dsns).toHaveLength(1);
    expect(dsns[0]).toMatchObject({
      reportingMta: 'mail.example.com',
      originalSender: 'alice@example.com',
      finalRecipient: 'nobody@example.net',
      action: 'failed',
      status: '5.1.1',
      remoteMta: 'mx.example.net',
    });
    expect(dsns[0]?.diagnosticCode).toMatch(/^smtp; 550 5\.1\.1 /);
    expect(dsns[0]?.original.equals(RAW)).toBe(true);
  });

  it('falls back to the second MX when the first refuses connections (RFC 5321 §5.1)', async () => {
    const { queue, world } = await setUp(current.db, 
      [{ name: 'mx1.example.org', domains: ['example.org'], personality: 'smtp-server', down: true }, { name: 'mx2.example.org', domains: ['example.org'], personality: 'smtp-server' }],
      [entry('carol@example.org')],
    );
    await until(async () => (await queue.get(1))?.state === 'delivered', 'delivery by mx2');
    expect(world.connections).toEqual(['mx1.example.org', 'mx2.example.org']);
    expect(world.received.get('mx2.example.org')).toHaveLength(1);
    const [hop] = (await queue.hops(1)) as { hop: HopRecord }[];
    expect(hop?.hop.tries.map((attempt) => attempt.outcome.kind)).toEqual(['no-connection', 'delivered']);
  });

  it('makes no attempt for a null MX and bounces with 556 5.1.10 (RFC 7505)', async () => {
    const { queue, world, dsns } = await setUp(current.db, [], [entry('anyone@null-mx.example')]);
    await until(async () => (await queue.get(1))?.state === 'bounced' && dsns.length === 1, 'the bounce');
    expect(world.connections).toEqual([]);
    expect((await queue.get(1))?.lastReply).toMatch(/^556 5\.1\.10 /);
    expect(dsns[0]?.status).toBe('5.1.10');
    // No server said it: the relay's own words, typed as the lab's, with no Remote-MTA (RFC 3464 §2.3.5, §2.3.6).
    expect(dsns[0]).toMatchObject({ remoteMta: null, diagnosticCode: expect.stringMatching(/^X-SMTP-Lab; 556 5\.1\.10 /) });
  });
});
