// Several processes on one PostgreSQL database: each bus is one process's. What only this
// implementation has: other processes, a connection that can be lost, and strangers on the channel.
import { describe, expect, it } from 'vitest';
import type { ClassEvent } from '../../../server/events/class-event.ts';
import { MAX_EVENT_BYTES } from '../../../server/events/event-payload.ts';
import { APPLICATION_NAME_PREFIX, DEFAULT_CHANNEL, EventBusOfflineError, MAX_WAITING_EVENTS, PostgresEventBus } from '../../../server/events/postgres-event-bus.ts';
import { adminQuery, postgresAdminUrl } from '../../support/sql-engines.ts';
import { BUS_KINDS, mail, postgres, record, useFreshDatabase, waitFor } from './bus-harness.ts';

const kind = BUS_KINDS.find((each) => each.name === 'postgres')!;

function database() {
  if (postgres.db === null) throw new Error('no database for this test');
  return postgres.db;
}

async function listenerPid(processId: string): Promise<number> {
  const row = await database().get<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ?', [`${APPLICATION_NAME_PREFIX}${processId}`]);
  if (row === undefined) throw new Error(`no listening connection for ${processId}`);
  return row.pid;
}

describe.skipIf(postgresAdminUrl() === null)('PostgresEventBus', () => {
  useFreshDatabase(kind);

  it('gives two processes each other’s events and their own, each once and in order', async () => {
    const a = await kind.open({ processId: 'process-a' });
    const b = await kind.open({ processId: 'process-b' });
    const atA = record(a);
    const atB = record(b);
    const fromA = Array.from({ length: 15 }, (_, i) => mail('student:a', i + 1));
    const fromB = Array.from({ length: 15 }, (_, i) => mail('student:b', i + 1));
    // Interleaved publishing from both; each publisher's order must hold at both ends.
    await Promise.all([
      (async () => {
        for (const event of fromA) await a.publish(event);
      })(),
      (async () => {
        for (const event of fromB) await b.publish(event);
      })(),
    ]);
    await waitFor('30 events at both', () => atA.length >= 30 && atB.length >= 30);
    await a.publish({ type: 'lessons.changed' });
    await waitFor('the marker at both', () => atA.length === 31 && atB.length === 31);
    for (const seen of [atA, atB]) {
      const namespaceOf = (event: ClassEvent) => (event.type === 'mail.delivered' ? event.namespace : null);
      expect(seen.filter((event) => namespaceOf(event) === 'student:a')).toEqual(fromA);
      expect(seen.filter((event) => namespaceOf(event) === 'student:b')).toEqual(fromB);
    }
    // Both saw the same interleaving: PostgreSQL delivers in commit order.
    expect(atA).toEqual(atB);
    expect(await a.processes()).toEqual(['process-a', 'process-b']);
  });

  it('sends what is published together in batches, in order, a repeated event included', async () => {
    const a = await kind.open({ processId: 'process-a' });
    const b = await kind.open({ processId: 'process-b' });
    const atB = record(b);
    // PostgreSQL delivers identical payloads of one transaction once: A, B, A must still arrive as three.
    const first = mail('student:a', 1);
    const published = [first, mail('student:a', 2), first, ...Array.from({ length: 450 }, (_, i) => mail('student:b', i + 1))];
    await Promise.all(published.map((event) => a.publish(event)));
    await waitFor('every event at b', () => atB.length >= published.length);
    expect(atB).toEqual(published);
  });

  it('refuses an event beyond MAX_WAITING_EVENTS waiting to be sent, and sends the others', async () => {
    const a = await kind.open({ processId: 'process-a' });
    const atA = record(a);
    const published = Array.from({ length: MAX_WAITING_EVENTS }, (_, i) => mail('student:a', i + 1));
    const sent = Promise.all(published.map((event) => a.publish(event)));
    await expect(a.publish(mail('student:a', MAX_WAITING_EVENTS + 1))).rejects.toThrow(EventBusOfflineError);
    await sent;
    await waitFor('every event sent', () => atA.length >= MAX_WAITING_EVENTS);
    expect(atA).toEqual(published);
  });

  it('does not hear other channels', async () => {
    const a = await kind.open({ processId: 'process-a' });
    const seen = record(a);
    await database().run("SELECT pg_notify('some_other_channel', ?)", [JSON.stringify(mail('student:x', 1))]);
    await a.publish(mail('student:a', 1));
    await waitFor('its own event', () => seen.length === 1);
    expect(seen).toEqual([mail('student:a', 1)]);
  });

  it('ignores and reports what other senders NOTIFY on its channel, and carries on', async () => {
    const errors: Error[] = [];
    const a = await kind.open({ onError: (error) => errors.push(error) });
    const seen = record(a);
    await database().run(`NOTIFY ${DEFAULT_CHANNEL}, 'garbage'`);
    await database().run('SELECT pg_notify(?, ?)', [DEFAULT_CHANNEL, '{"type":"student.changed"}']);
    await database().run(`NOTIFY ${DEFAULT_CHANNEL}`);
    await a.publish({ type: 'behaviours.changed' });
    await waitFor('the real event after the garbage', () => seen.length === 1);
    expect(seen).toEqual([{ type: 'behaviours.changed' }]);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^Ignored a notification on smtp_lab_events: not JSON: "garbage"/),
      expect.stringMatching(/^Ignored a notification on smtp_lab_events: not a class event/),
      expect.stringMatching(/^Ignored a notification on smtp_lab_events: not JSON: ""/),
    ]);
  });

  it('has the limit right: PostgreSQL refuses a payload of 8000 bytes and takes one of MAX_EVENT_BYTES', async () => {
    await expect(database().run('SELECT pg_notify(?, ?)', [DEFAULT_CHANNEL, 'x'.repeat(MAX_EVENT_BYTES + 1)])).rejects.toThrow(/payload string too long/);
    await database().run('SELECT pg_notify(?, ?)', [DEFAULT_CHANNEL, 'x'.repeat(MAX_EVENT_BYTES)]);
  });

  it('after its connection is killed: publish fails clearly, it reconnects, resyncs, and hears events again', async () => {
    const errors: Error[] = [];
    const offline: Promise<unknown>[] = [];
    // Long enough a first delay that the publish below surely falls in the gap.
    let a!: PostgresEventBus;
    a = (await kind.open({
      processId: 'process-a',
      reconnectDelayMs: { first: 300, max: 1000 },
      onError: (error) => {
        errors.push(error);
        // Told in the same turn the connection was dropped: publishing now must fail.
        if (error.message.startsWith('Live updates lost')) offline.push(a.publish(mail('student:a', 99)).catch((failure: unknown) => failure));
      },
    })) as PostgresEventBus;
    const b = await kind.open({ processId: 'process-b' });
    const atA = record(a);
    let resyncs = 0;
    a.onResync(() => void resyncs++);
    await a.publish(mail('student:a', 1));
    await waitFor('the event before', () => atA.length === 1);

    const killed = await listenerPid('process-a');
    await database().get('SELECT pg_terminate_backend(?)', [killed]);
    await waitFor('the resync', () => resyncs === 1);

    expect(errors[0]?.message).toMatch(/^Live updates lost their PostgreSQL connection/);
    expect(offline).toHaveLength(1);
    const failure = await offline[0];
    expect(failure).toBeInstanceOf(EventBusOfflineError);
    expect((failure as Error).message).toMatch(/Live updates are paused/);
    // A new backend listens under the same name.
    expect(await listenerPid('process-a')).not.toBe(killed);

    await b.publish(mail('student:b', 2));
    await a.publish(mail('student:a', 3));
    await waitFor('both events after the reconnect', () => atA.length === 3);
    expect(atA).toEqual([mail('student:a', 1), mail('student:b', 2), mail('student:a', 3)]);
  });

  it('keeps trying, with growing delays, while the database refuses it, then resyncs', async () => {
    const errors: Error[] = [];
    const a = await kind.open({ processId: 'process-a', reconnectDelayMs: { first: 20, max: 80 }, onError: (error) => errors.push(error) });
    let resyncs = 0;
    a.onResync(() => void resyncs++);
    const name = new URL(postgres.url!).pathname.slice(1);
    const pid = await listenerPid('process-a');
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await adminQuery(`SELECT pg_terminate_backend(${pid})`);
    const retries = () => errors.filter((error) => error.message.startsWith('Live updates could not reconnect'));
    await waitFor('four failed reconnects', () => retries().length >= 4);
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await waitFor('the resync', () => resyncs === 1);
    expect(retries().slice(0, 4).map((error) => /trying again in (\d+) ms/.exec(error.message)?.[1])).toEqual(['40', '80', '80', '80']);
    const seen = record(a);
    await a.publish(mail('student:a', 1));
    await waitFor('an event after it', () => seen.length === 1);
  });

  it('forgets a process whose connection is gone', async () => {
    const a = await kind.open({ processId: 'process-a' });
    const b = await kind.open({ processId: 'process-b' });
    expect(await a.processes()).toEqual(['process-a', 'process-b']);
    await b.close();
    // The backend ends just after the client says goodbye.
    let up: readonly string[] = [];
    await waitFor('process-b gone', async () => (up = await a.processes()).length === 1);
    expect(up).toEqual(['process-a']);
  });

  it('refuses a process id or channel it could not name safely', async () => {
    await expect(PostgresEventBus.open({ url: postgres.url!, processId: "a'; DROP TABLE x" })).rejects.toThrow(RangeError);
    await expect(PostgresEventBus.open({ url: postgres.url!, channel: 'Events; x' })).rejects.toThrow(RangeError);
  });

  it('rejects open when the database cannot be reached', async () => {
    const url = new URL(postgres.url!);
    url.pathname = '/no_such_database';
    await expect(PostgresEventBus.open({ url: url.href })).rejects.toThrow(/no_such_database/);
  });
});
