import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageStore } from '../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../server/storage/open-database.ts';
import { SessionStore } from '../../server/storage/session-store.ts';
import { jsonOf, startServer, type TestServer } from './test-server.ts';

let db: Database;
let sessions: SessionStore;
let server: TestServer;
let older: string;
let newer: string;

beforeAll(async () => {
  db = openDatabase(':memory:');
  sessions = new SessionStore(db);
  server = await startServer({ messages: new MessageStore(db), sessions });
  older = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.1.1.1' });
  sessions.append(older, { type: 'client.line', line: 'EHLO learner' });
  sessions.append(older, { type: 'server.reply', lines: ['250 lab'] });
  sessions.end(older, 'client closed');
  newer = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '10.1.1.2' });
});
afterAll(async () => {
  await server.close();
  db.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${server.base}${path}`, init);

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
