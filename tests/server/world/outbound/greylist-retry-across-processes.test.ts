/**
 * The lab MX hosts' greylisting memory is shared by serve processes on one PostgreSQL database:
 * a relay that mx1.example.org (greylisting by default) deferred when process A tried it is
 * taken at the first retry made by process B (mx2.example.org, the fallback, switched down), as it would be by A itself. With a memory of its
 * own, B's host would see a new triplet and defer it once more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, postgresAdminUrl } from '../../../support/sql-engines.ts';
import { RawSmtpClient } from '../../app/raw-smtp.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from '../../app/serve-process.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface QueueItem {
  readonly to: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastReply: string | null;
}

/** alice@example.com's message to bob@example.org (a lab mailbox), on a new connection: the reply to its end. */
async function aliceToBob(port: number, subject: string): Promise<string> {
  const client = await RawSmtpClient.connect(port);
  try {
    await client.reply();
    for (const line of ['EHLO client.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>', 'DATA']) await client.command(line);
    return (await client.command(`From: <alice@example.com>\r\nTo: <bob@example.org>\r\nSubject: ${subject}\r\n\r\nHello\r\n.`)).text;
  } finally {
    client.destroy();
  }
}

async function queueOf(serve: ServeProcess): Promise<QueueItem[]> {
  const response = await fetch(new URL('api/world/queue', serve.httpBase));
  if (!response.ok) throw new Error(`GET /api/world/queue: ${response.status}`);
  return ((await response.json()) as { messages: QueueItem[] }).messages;
}

describe.skipIf(postgresAdminUrl() === null)('greylisting by a lab MX across serve processes', { timeout: 90_000 }, () => {
  it('defers a relay tried by A and takes the retry made by B', async () => {
    const database = await freshDatabase('postgres');
    cleanups.push(() => database.drop());
    const dataDir = freshDataDir();
    const args = ['--database', database.url!, '--lab-clock-speed', '20'];
    const a = await startServeProcess({ dataDir, args });
    cleanups.push(() => a.stop());

    // mx2.example.org, the fallback that does not greylist, is down: the relay waits for mx1.
    const mx2Down = { name: 'mx2.example.org', down: true, greylisting: false, rateLimitPerLabMinute: null, allowList: null, enforceDmarc: true };
    const switched = await fetch(new URL('api/world/hosts', a.httpBase), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hosts: [mx2Down] }) });
    expect(switched.status).toBe(200);
    expect(await aliceToBob(a.smtpPort, 'greylisted once')).toMatch(/^250 /);
    await expect
      .poll(async () => (await queueOf(a)).map(({ to, state, attempts, lastReply }) => [to, state, attempts, /mx2\.example\.org is down/.test(lastReply ?? '')]), { timeout: 10_000, interval: 100 })
      .toEqual([['bob@example.org', 'queued', 1, true]]);
    // A stops, so the retry (5 lab minutes later, 15 s at this speed) is B's.
    expect(await a.stop()).toBe(0);
    // mx1.example.org (tried first) greylisted it: the triplet it counts from is in the shared memory.
    expect(await database.db.all('SELECT host, sender, recipient FROM greylist_triplets')).toEqual([
      { host: 'mx1.example.org', sender: 'alice@example.com', recipient: 'bob@example.org' },
    ]);

    const b = await startServeProcess({ dataDir, args });
    cleanups.push(() => b.stop());
    await expect
      .poll(async () => (await database.db.all<{ state: string; attempts: number }>('SELECT state, attempts FROM outbound_queue')), { timeout: 40_000, interval: 250 })
      .toEqual([{ state: 'delivered', attempts: 2 }]);
    // The MX's copy is stored before its 250 and parsed a moment later: its subject shows once parsed.
    const subjects = async () => {
      const mailbox = await fetch(new URL('api/messages?mailbox=bob@example.org', b.httpBase));
      return ((await mailbox.json()) as { messages: { subject: string | null }[] }).messages.map((message) => message.subject);
    };
    await expect.poll(subjects, { timeout: 10_000, interval: 100 }).toEqual(['greylisted once']);
  });
});
