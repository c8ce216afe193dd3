/**
 * A lab world a relayed message can really move through, shared by journey-handlers.test.ts
 * and make-journey-fixtures.ts: real SQLite in memory, the lab network's loopback listeners
 * judging mail with mailauth against `zone`, the HTTP server reading journeys, and the relay
 * worker taking outbound row 1 to the lab network.
 */
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import { JourneyReader } from '../../../server/world/journey/journey-reader.ts';
import { LabClock } from '../../../server/world/lab-clock.ts';
import { startLabNetwork, type LabNetwork } from '../../../server/world/lab-network/start-lab-network.ts';
import { inspectAtMx } from '../../../server/world/mail-auth/inspect-at-mx.ts';
import { OutboundQueue } from '../../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker, type RelayWorker, type SignMessage } from '../../../server/world/outbound/relay-worker.ts';
import { ZoneStore } from '../../../server/world/zone-store.ts';
import { worldUnreachable } from '../world/mail-auth/auth-fixtures.ts';
import { startServer, type TestServer } from './test-server.ts';

/** The lab clock's start: every hop of these journeys happens at this moment. */
export const LAB_START = Date.parse('2026-03-01T10:00:00Z');

export interface JourneyWorld {
  readonly db: Database;
  readonly store: MessageStore;
  readonly queue: OutboundQueue;
  readonly lab: LabNetwork;
  readonly server: TestServer;
}

export async function startJourneyWorld(zone: readonly DnsRecord[]): Promise<JourneyWorld> {
  const db = openDatabase(':memory:');
  const sql = new SqliteDatabase(db);
  const store = new MessageStore(sql);
  const zones = new ZoneStore(sql, zone);
  const lab = await startLabNetwork({
    hosts: DEFAULT_HOSTS,
    store,
    now: () => LAB_START,
    outsideNamespace: 'default',
    inspect: inspectAtMx({ zoneOf: (namespace) => zones.records(namespace), unreachable: worldUnreachable() }),
  });
  const server = await startServer({ messages: store, journeys: new JourneyReader(sql) });
  return { db, store, queue: new OutboundQueue(sql), lab, server };
}

/**
 * What the sandbox captured from the learner's client (queue id Q1, alice@example.com to
 * `recipient`) and the outbound row it made; resolves with the captured message's id.
 */
export async function captureForRelay({ store, queue }: JourneyWorld, raw: Buffer, recipient: string): Promise<number> {
  const { message: captured } = await store.save('default', { queueId: 'Q1', receivedAt: new Date(LAB_START), mailFrom: 'alice@example.com', rcptTo: [recipient], raw, clientHelo: 'laptop', remoteAddress: '127.0.0.1', authenticatedUser: null, secure: false });
  await queue.enqueue([{ namespace: 'default', queueId: 'Q1', mailFrom: 'alice@example.com', recipient, clientHelo: 'laptop', clientAddress: '127.0.0.1', raw, receivedAt: LAB_START }]);
  return captured.id;
}

/** Starts the relay worker on the world's queue, resolving with `zone` and signing with `sign`. */
export function startJourneyRelay({ queue, lab }: JourneyWorld, zone: readonly DnsRecord[], sign: SignMessage): RelayWorker {
  return startRelayWorker({
    queue,
    clock: new LabClock({ startAt: LAB_START }),
    zoneOf: async () => zone,
    // The one row of these worlds is outbound row 1: the relay worker names it when it connects.
    connect: ({ fromIp, toHost, namespace }) => lab.connect({ fromIp, toHost, namespace, outboundId: 1 }),
    sign,
    random: () => 0,
  });
}
