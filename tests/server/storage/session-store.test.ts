import { beforeEach, expect, it } from 'vitest';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { describeEachEngine } from '../../support/sql-engines.ts';

describeEachEngine('SessionStore', (current) => {
  let sessions: SessionStore;

  beforeEach(() => {
    sessions = new SessionStore(current.db);
  });

  it('records a transcript in order and ends it with a reason', async () => {
    const id = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.0.0.5' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    sessions.append(id, { type: 'client.line', line: 'EHLO me' });
    sessions.append(id, { type: 'server.reply', lines: ['250-lab', '250 SIZE 1000'] });
    sessions.append(id, 'plain string event');
    sessions.end(id, 'client closed');
    sessions.end(id, 'a later end does not overwrite the first');

    const events = (await sessions.events('default', id))!;
    expect(events.map((e) => e.event)).toEqual([
      { type: 'client.line', line: 'EHLO me' },
      { type: 'server.reply', lines: ['250-lab', '250 SIZE 1000'] },
      'plain string event',
    ]);
    expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
    expect(Number.isNaN(Date.parse(events[0]!.at))).toBe(false);

    const summary = (await sessions.get('default', id))!;
    expect(summary).toMatchObject({
      id,
      target: '127.0.0.1:2525',
      clientAddress: '10.0.0.5',
      endReason: 'client closed',
      eventCount: 3,
    });
    expect(summary.endedAt).not.toBeNull();
  });

  it('lists sessions newest first, open ones with no end', async () => {
    const first = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    const second = sessions.create('default', { target: 'b:25', clientAddress: '2.2.2.2' });
    sessions.end(first, 'done');
    const page = await sessions.list('default');
    expect(page.total).toBe(2);
    expect(page.sessions.map((s) => s.id)).toEqual([second, first]);
    expect(page.sessions[0]).toMatchObject({ endedAt: null, endReason: null, eventCount: 0 });
    expect((await sessions.list('default', { limit: 1, offset: 1 })).sessions.map((s) => s.id)).toEqual([first]);
  });

  it('keeps sessions apart by namespace', async () => {
    const id = sessions.create('alice', { target: 'a:25', clientAddress: '1.1.1.1' });
    sessions.append(id, { line: 'secret' });
    expect(await sessions.list('bob')).toEqual({ sessions: [], total: 0 });
    expect(await sessions.get('bob', id)).toBeNull();
    expect(await sessions.events('bob', id)).toBeNull();
    expect(await sessions.events('alice', id)).toHaveLength(1);
  });

  it('refuses to append to a session that does not exist, or a value JSON cannot hold', async () => {
    expect(() => sessions.append('no-such-session', { x: 1 })).toThrow(/No session no-such-session/);
    const id = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    expect(() => sessions.append(id, undefined)).toThrow(TypeError);
  });

  it('keeps at most maxSessions per namespace, deleting the oldest with their events', async () => {
    const small = new SessionStore(current.db, { maxSessions: 2 });
    const ids = ['s1', 's2', 's3'].map((target) => {
      const id = small.create('default', { target, clientAddress: '1.1.1.1' });
      small.append(id, { target });
      return id;
    });
    expect((await small.list('default')).sessions.map((s) => s.target)).toEqual(['s3', 's2']);
    expect(await small.events('default', ids[0]!)).toBeNull();
    expect(await current.db.get('SELECT COUNT(*) AS n FROM session_events')).toEqual({ n: 2 });
  });

  it('queues creates, appends and ends until a read or flush writes them in one transaction', async () => {
    const id = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    const written = async () => (await current.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM session_events'))!.n;
    expect(await current.db.get('SELECT id FROM sessions')).toBeUndefined();
    sessions.append(id, { line: 'one' });
    sessions.append(id, { line: 'two' });
    expect(await written()).toBe(0);
    await sessions.flush();
    expect(await written()).toBe(2);
    sessions.append(id, { line: 'three' });
    expect((await sessions.get('default', id))?.eventCount).toBe(3);
  });

  it('drops the queued events of a session another store deleted, and keeps the others', async () => {
    const evicting = new SessionStore(current.db, { maxSessions: 1 });
    const gone = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    sessions.append(gone, { line: 'lost with its session' });
    const kept = sessions.create('other', { target: 'b:25', clientAddress: '2.2.2.2' });
    await sessions.flush();
    evicting.create('default', { target: 'c:25', clientAddress: '3.3.3.3' });
    await evicting.flush();
    sessions.append(gone, { line: 'queued after the eviction' });
    sessions.append(kept, { line: 'kept' });
    await expect(sessions.flush()).resolves.toBeUndefined();
    expect(await sessions.events('default', gone)).toBeNull();
    expect((await sessions.events('other', kept))?.map((e) => e.event)).toEqual([{ line: 'kept' }]);
  });

  it('refuses appends to a session it evicted or ended itself', async () => {
    const small = new SessionStore(current.db, { maxSessions: 1 });
    const first = small.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    small.create('default', { target: 'b:25', clientAddress: '1.1.1.1' });
    await small.flush();
    expect(() => small.append(first, { line: 'too late' })).toThrow(/No session/);
    const ended = small.create('default', { target: 'c:25', clientAddress: '1.1.1.1' });
    small.end(ended, 'done');
    expect(() => small.append(ended, { line: 'after the end' })).toThrow(/No session/);
  });

  it('reports a write that fails in the background, and goes on', async () => {
    const errors: Error[] = [];
    const reporting = new SessionStore(current.db, { flushDelayMs: 1, onError: (error) => errors.push(error) });
    const id = reporting.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    await reporting.flush();
    await current.db.run('DROP TABLE session_events');
    reporting.append(id, { line: 'nowhere to go' });
    for (let tries = 0; tries < 200 && errors.length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(errors).toHaveLength(1);
    // The failed write does not hold up the next one.
    await expect(reporting.flush()).resolves.toBeUndefined();
  });

  it('stops a page of events at about 4 MiB, always giving at least one event', async () => {
    const id = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    const big = 'x'.repeat(1024 * 1024);
    for (let n = 0; n < 6; n++) sessions.append(id, { n, big });
    const first = (await sessions.eventPage('default', id))!;
    expect(first.events).toHaveLength(3);
    expect(first).toMatchObject({ hasMore: true, nextAfter: first.events[2]!.seq });
    const second = (await sessions.eventPage('default', id, { after: first.nextAfter!, limit: 2 }))!;
    expect(second.events.map((e) => (e.event as { n: number }).n)).toEqual([3, 4]);
    const huge = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    sessions.append(huge, { big: big.repeat(5) });
    expect((await sessions.eventPage('default', huge))!.events).toHaveLength(1);
    expect(await sessions.eventPage('other', id)).toBeNull();
  });

  it('reads the last events of a session within a count and a byte bound, saying how many it left out', async () => {
    const id = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    for (let n = 0; n < 50; n++) sessions.append(id, { n });
    const tail = (await sessions.lastEvents('default', id, 10, 1024 * 1024))!;
    expect(tail.events.map((e) => (e.event as { n: number }).n)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(tail.omitted).toBe(40);
    const small = (await sessions.lastEvents('default', id, 10, 20))!;
    expect(small.events.map((e) => (e.event as { n: number }).n)).toEqual([48, 49]);
    expect(small.omitted).toBe(48);
    expect(await sessions.lastEvents('other', id, 10, 100)).toBeNull();
  });

  it('writes hundreds of queued events of several sessions in the order they were appended', async () => {
    const ids = ['ana', 'bo', 'cy'].map((name) => sessions.create(`student:${name}`, { target: 'a:25', clientAddress: '1.1.1.1' }));
    const appended: { id: string; n: number }[] = [];
    // More than one statement's worth (and than the queue's flush threshold), interleaved.
    for (let n = 0; n < 260; n += 1) {
      const id = ids[n % 3]!;
      sessions.append(id, { n });
      appended.push({ id, n });
    }
    await sessions.flush();
    const written: { id: string; n: number; seq: number }[] = [];
    for (const [index, id] of ids.entries()) {
      const events = (await sessions.events(`student:${['ana', 'bo', 'cy'][index]}`, id))!;
      written.push(...events.map((event) => ({ id, n: (event.event as { n: number }).n, seq: event.seq })));
    }
    expect(written.sort((a, b) => a.seq - b.seq).map(({ id, n }) => ({ id, n }))).toEqual(appended);
  });

  it('writes large queued events in order, a few to a statement', async () => {
    const id = sessions.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    const big = (n: number) => ({ n, text: String(n).repeat(300 * 1024) });
    for (let n = 0; n < 8; n += 1) sessions.append(id, big(n));
    const events = (await sessions.events('default', id))!;
    expect(events.map((event) => event.event)).toEqual(Array.from({ length: 8 }, (_, n) => big(n)));
  });

  it('says after each commit which sessions got events and the last seq written, per namespace', async () => {
    const calls: { namespace: string; sessionId: string; seq: number }[][] = [];
    const announcing = new SessionStore(current.db, { onRecorded: (recorded) => calls.push([...recorded]) });
    const ana = announcing.create('student:ana', { target: 'a:25', clientAddress: '1.1.1.1' });
    const bo = announcing.create('student:bo', { target: 'b:25', clientAddress: '2.2.2.2' });
    announcing.append(ana, { line: 'one' });
    announcing.append(bo, { line: 'two' });
    announcing.append(ana, { line: 'three' });
    // Nothing is announced before the write commits.
    expect(calls).toEqual([]);
    await announcing.flush();
    const anaEvents = (await announcing.events('student:ana', ana))!;
    const boEvents = (await announcing.events('student:bo', bo))!;
    expect(calls).toEqual([
      [
        { namespace: 'student:ana', sessionId: ana, seq: anaEvents.at(-1)!.seq },
        { namespace: 'student:bo', sessionId: bo, seq: boEvents.at(-1)!.seq },
      ],
    ]);

    // A write with no events (an end) announces nothing; the next events do.
    announcing.end(bo, 'client closed');
    await announcing.flush();
    expect(calls).toHaveLength(1);
    announcing.append(ana, { line: 'four' });
    await announcing.flush();
    expect(calls[1]).toEqual([{ namespace: 'student:ana', sessionId: ana, seq: (await announcing.events('student:ana', ana))!.at(-1)!.seq }]);
  });

  it('announces nothing for events dropped with their session, and reports a listener that throws', async () => {
    const calls: string[][] = [];
    const errors: Error[] = [];
    const announcing = new SessionStore(current.db, {
      onRecorded: (recorded) => {
        calls.push(recorded.map((r) => r.sessionId));
        throw new Error('listener failed');
      },
      onError: (error) => errors.push(error),
    });
    const evicting = new SessionStore(current.db, { maxSessions: 1 });
    const gone = announcing.create('default', { target: 'a:25', clientAddress: '1.1.1.1' });
    await announcing.flush();
    evicting.create('default', { target: 'c:25', clientAddress: '3.3.3.3' });
    await evicting.flush();
    announcing.append(gone, { line: 'dropped' });
    await announcing.flush();
    expect(calls).toEqual([]);

    const kept = announcing.create('other', { target: 'b:25', clientAddress: '2.2.2.2' });
    announcing.append(kept, { line: 'kept' });
    // The write committed; the listener's failure is reported, not thrown at the writer.
    await expect(announcing.flush()).resolves.toBeUndefined();
    expect(calls).toEqual([[kept]]);
    expect(errors.map((e) => e.message)).toEqual(['listener failed']);
  });
});
