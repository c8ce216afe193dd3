/**
 * The sandbox's greylisting memory in the database, on both engines: the in-memory answer
 * (greylisted at the first sighting, let through from the second), bounded and expiring, and
 * shared by two sandboxes on one database as two processes share it; a database that cannot
 * be read makes RCPT a 451, and the sandbox stays up.
 */
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox } from '../../../server/sandbox/create-sandbox.ts';
import { SandboxGreylistStore, type SandboxGreylist } from '../../../server/sandbox/sandbox-greylist-store.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** A greylisting sandbox on loopback with `greylist` as its memory. */
async function greylistingSandbox(greylist: SandboxGreylist, captured: CapturedMessage[] = []): Promise<number> {
  const config = { ...DEFAULT_SANDBOX_CONFIG, behaviours: { ...DEFAULT_SANDBOX_CONFIG.behaviours, greylist: true } };
  const sandbox = createSandbox({ config, greylist, onMessage: (message) => captured.push(message) });
  const { port } = await sandbox.listen(0, '127.0.0.1');
  stops.push(() => sandbox.close());
  return port;
}

function send(port: number, subject: string): Promise<unknown> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return transport.sendMail({ from: 'Alice@Example.com', to: 'bob@example.org', subject, text: 'Hello' });
}

describeEachEngine('SandboxGreylistStore', (current) => {
  it('greylists a pair at its first sighting and lets it through from the second, whatever the case', async () => {
    const store = new SandboxGreylistStore(current.db);
    expect(await store.seenBefore('Alice@Example.com', 'bob@example.org')).toBe(false);
    expect(await store.seenBefore('alice@example.com', 'BOB@example.org')).toBe(true);
    expect(await store.seenBefore('alice@example.com', 'bob@example.org')).toBe(true);
    expect(await store.seenBefore('', 'bob@example.org')).toBe(false);
    expect(await store.size()).toBe(2);
  });

  it('forgets a pair after the window, so it is greylisted again, and keeps no more than the cap', async () => {
    let now = 1_000_000;
    const store = new SandboxGreylistStore(current.db, { windowMs: 1_000, maxEntries: 3, now: () => now });
    expect(await store.seenBefore('a@example.com', 'b@example.org')).toBe(false);
    now += 1_001;
    expect(await store.seenBefore('a@example.com', 'b@example.org')).toBe(false);
    expect(await store.seenBefore('a@example.com', 'b@example.org')).toBe(true);
    for (let i = 0; i < 5; i++) {
      now += 1;
      expect(await store.seenBefore(`s${i}@example.com`, 'b@example.org')).toBe(false);
    }
    expect(await store.size()).toBe(3);
    // The newest three stay; the oldest (a@, s0, s1) went.
    expect(await store.seenBefore('s4@example.com', 'b@example.org')).toBe(true);
    expect(await store.seenBefore('a@example.com', 'b@example.org')).toBe(false);
  });

  it('answers 451 when the memory cannot be read, and the sandbox stays up', async () => {
    const { db: closed } = await freshDatabase(current.engine);
    await closed.close();
    const port = await greylistingSandbox(new SandboxGreylistStore(closed));
    for (let i = 0; i < 2; i++) {
      await expect(send(port, 'no memory')).rejects.toMatchObject({ responseCode: 451, response: expect.stringMatching(/Recipient not checked: /) });
    }
  });
});

describe.skipIf(postgresAdminUrl() === null)('SandboxGreylistStore shared by processes', () => {
  it('is shared by two sandboxes on one PostgreSQL database, each with its own pool: greylisted by one, the retry to the other is accepted', async () => {
    const fresh = await freshDatabase('postgres');
    const other = await openPostgres(fresh.url!);
    stops.push(async () => {
      await other.close();
      await fresh.drop();
    });
    const captured: CapturedMessage[] = [];
    const first = await greylistingSandbox(new SandboxGreylistStore(fresh.db));
    const second = await greylistingSandbox(new SandboxGreylistStore(other), captured);
    await expect(send(first, 'first try')).rejects.toMatchObject({ responseCode: 451, response: expect.stringMatching(/Greylisted/) });
    await send(second, 'retry');
    expect(captured.map((message) => message.rcptTo)).toEqual([['bob@example.org']]);
  });
});
