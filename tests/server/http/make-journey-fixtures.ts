/**
 * Writes tests/web/journey/journeys.generated.json: real journeys from GET /api/messages/:id/journey, made the
 * way tests/server/http/journey-handlers.test.ts makes them (real SQLite, the relay worker,
 * the lab network's loopback listeners, mailauth), for the Journey view's component tests.
 * Run again whenever the journey schema or the world changes:
 *   node --import tsx tests/server/http/make-journey-fixtures.ts
 * (Kept out of tests/web: that folder is type-checked as browser code.)
 */
import { writeFileSync } from 'node:fs';
import { journeySchema, type Journey } from '../../../protocol/world/journey.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';
import type { DkimKeys } from '../../../server/world/dkim-keys.ts';
import { JourneyReader } from '../../../server/world/journey/journey-reader.ts';
import { signOutbound } from '../../../server/world/mail-auth/sign-outbound.ts';
import type { SignMessage } from '../../../server/world/outbound/relay-worker.ts';
import { makeKeys, message, worldZone, type ZoneChange } from '../world/mail-auth/auth-fixtures.ts';
import { captureForRelay, LAB_START, startJourneyRelay, startJourneyWorld } from './journey-world.ts';
import { startServer } from './test-server.ts';

const OUT = new URL('../../web/journey/journeys.generated.json', import.meta.url);

interface Scenario {
  readonly name: string;
  readonly from: string;
  readonly recipient: string;
  readonly zone?: ZoneChange;
  /** What happens to the signed message on its way (a mailing list adding a footer). */
  readonly afterSigning?: (signed: Buffer) => Buffer;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'delivered', from: 'Alice <alice@example.com>', recipient: 'bob@example.net' },
  { name: 'greylisted', from: 'Alice <alice@example.com>', recipient: 'carol@example.org' },
  {
    name: 'footer',
    from: 'Alice <alice@example.com>',
    recipient: 'bob@example.net',
    afterSigning: (signed) => Buffer.concat([signed, Buffer.from('-- \r\nThe lab list: unsubscribe at lists.example.com\r\n')]),
  },
  {
    name: 'refused',
    from: 'Alice <alice@example.com>',
    recipient: 'bob@example.net',
    zone: { drop: ['example.com TXT'], add: [{ name: 'example.com', type: 'TXT', ttl: 300, value: 'v=spf1 ip4:192.0.2.99 -all' }] },
    afterSigning: (signed) => Buffer.concat([signed, Buffer.from('A footer the signature did not cover.\r\n')]),
  },
];

async function run(scenario: Scenario, keys: DkimKeys): Promise<Record<string, Journey>> {
  const zone = worldZone(keys, scenario.zone);
  const world = await startJourneyWorld(zone);
  const { db, store, queue, lab, server } = world;
  const capturedId = await captureForRelay(world, Buffer.from(message(scenario.from)), scenario.recipient);
  const sign: SignMessage = async (body, domain) => {
    const signed = (await signOutbound(body, domain, keys)).raw;
    return scenario.afterSigning?.(signed) ?? signed;
  };
  const worker = startJourneyRelay(world, zone, sign);
  try {
    // Bounded: 200 checks, 10 s.
    for (let i = 0; i < 200 && !['delivered', 'bounced'].includes((await queue.get(1))?.state ?? ''); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const journey = async (id: number): Promise<Journey> => journeySchema.parse(await (await fetch(`${server.base}/api/messages/${id}/journey`, { headers: { 'x-namespace': 'default' } })).json());
    const found: Record<string, Journey> = { [`${scenario.name}-sent`]: await journey(capturedId) };
    const [copy] = (await store.list('default', { mailbox: scenario.recipient })).messages;
    if (copy !== undefined) found[scenario.name] = await journey(copy.id);
    return found;
  } finally {
    await worker.stop();
    await server.close();
    await lab.close();
    db.close();
  }
}

async function captureOnly(): Promise<Journey> {
  const db = openDatabase(':memory:');
  const store = new MessageStore(new SqliteDatabase(db));
  const server = await startServer({ messages: store, journeys: new JourneyReader(new SqliteDatabase(db)) });
  try {
    const { message: captured } = await store.save('default', { queueId: 'Q9', receivedAt: new Date(LAB_START), mailFrom: 'alice@example.com', rcptTo: ['someone@elsewhere.invalid'], raw: Buffer.from(message('Alice <alice@example.com>')), clientHelo: 'laptop', remoteAddress: '127.0.0.1', authenticatedUser: null, secure: false });
    return journeySchema.parse(await (await fetch(`${server.base}/api/messages/${captured.id}/journey`, { headers: { 'x-namespace': 'default' } })).json());
  } finally {
    await server.close();
    db.close();
  }
}

const { keys, cleanup } = await makeKeys();
try {
  const journeys: Record<string, Journey> = { captured: await captureOnly() };
  for (const scenario of SCENARIOS) Object.assign(journeys, await run(scenario, keys));
  writeFileSync(OUT, `${JSON.stringify(journeys, null, 2)}\n`);
  console.log(`wrote ${Object.keys(journeys).join(', ')} to ${OUT.pathname}`);
} finally {
  cleanup();
}
