import { beforeAll, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { jsonOf, serveMemoryDatabase } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

let sessions: SessionStore;
let older: string;
let newer: string;

const served = serveMemoryDatabase((db) => {
  const sql = new SqliteDatabase(db);
  sessions = new SessionStore(sql);
  return { messages: new MessageStore(sql), sessions };
});
beforeAll(() => {
  older = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.1.1.1' });
  sessions.append(older, { type: 'client.line', line: 'EHLO learner' });
  sessions.append(older, { type: 'server.reply', lines: ['250 lab'] });
  sessions.end(older, 'client closed');
  newer = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.1.1.2' });
});

const get = (path: string, init: RequestInit = {}) => fetch(`${served.server.base}${path}`, init);

describe('GET /api/sessions', () => {
  it('lists the namespace\'s sessions newest first', async () => {
    const res = await get('/api/sessions');
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(body.sessions.map((s: { id: string }) => s.id)).toEqual([newer, older]);
    expect(body.sessions[1]).toMatchObject({ clientAddress: '10.1.1.1', endReason: 'client closed', eventCount: 2 });
  });

  it('pages, and refuses a bad limit', async () => {
    const body = await jsonOf(get('/api/sessions?limit=1&offset=1'));
    expect(body.sessions.map((s: { id: string }) => s.id)).toEqual([older]);
    expect((await get('/api/sessions?limit=nope')).status).toBe(400);
  });

  it('shows nothing to another namespace', async () => {
    const body = await jsonOf(get('/api/sessions', { headers: { 'x-namespace': 'other' } }));
    expect(body).toMatchObject({ sessions: [], total: 0 });
  });
});

describe('GET /api/sessions/:id', () => {
  it('gives the session and its transcript events in order', async () => {
    const res = await get(`/api/sessions/${older}`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.session).toMatchObject({ id: older, target: '127.0.0.1:2525', endReason: 'client closed' });
    expect(body.events.map((e: { event: unknown }) => e.event)).toEqual([
      { type: 'client.line', line: 'EHLO learner' },
      { type: 'server.reply', lines: ['250 lab'] },
    ]);
  });

  it('answers 404 for another namespace\'s session and for an unknown one', async () => {
    expect((await get(`/api/sessions/${older}`, { headers: { 'x-namespace': 'other' } })).status).toBe(404);
    expect((await get('/api/sessions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('answers 400 for something that is not a session id', async () => {
    const res = await get('/api/sessions/not-a-uuid');
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.message).toContain('is not a session id');
  });

  it('answers 405 to DELETE, which sessions do not support', async () => {
    const res = await get(`/api/sessions/${older}`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /api/sessions/:id?after=SEQ&limit=N', () => {
  let long: string;
  beforeAll(() => {
    long = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.1.1.3' });
    for (let n = 0; n < 1203; n++) sessions.append(long, { n });
  });

  it('pages through a transcript, 500 events at most a page, following nextAfter', async () => {
    const first = await jsonOf(get(`/api/sessions/${long}`));
    expect(first.events).toHaveLength(500);
    expect(first).toMatchObject({ hasMore: true, nextAfter: first.events[499].seq });
    const seen: number[] = [];
    let after = 0;
    for (let page = 0; page < 10; page++) {
      const body = await jsonOf(get(`/api/sessions/${long}?after=${after}&limit=400`));
      seen.push(...body.events.map((e: { event: { n: number } }) => e.event.n));
      if (!body.hasMore) {
        expect(body.nextAfter).toBeNull();
        break;
      }
      after = body.nextAfter;
    }
    expect(seen).toEqual(Array.from({ length: 1203 }, (_, n) => n));
  });

  it('gives an empty last page after the last event, and one event with limit=1', async () => {
    const all = await jsonOf(get(`/api/sessions/${older}`));
    const last = all.events.at(-1).seq;
    expect(await jsonOf(get(`/api/sessions/${older}?after=${last}`))).toMatchObject({ events: [], hasMore: false, nextAfter: null });
    const one = await jsonOf(get(`/api/sessions/${older}?limit=1`));
    expect(one.events.map((e: { event: unknown }) => e.event)).toEqual([{ type: 'client.line', line: 'EHLO learner' }]);
    expect(one).toMatchObject({ hasMore: true, nextAfter: one.events[0].seq });
  });

  it.each(['limit=0', 'limit=501', 'limit=-1', 'limit=1.5', 'after=-1', 'after=x', 'after=01', 'after=9999999999999999'])('answers 400 to %s', async (query) => {
    const res = await get(`/api/sessions/${older}?${query}`);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.message).toMatch(/^(after|limit) must be/);
  });
});
