/**
 * In a classroom each student edits their own lab world and reads only their own lab mail and
 * journeys; nobody without a mailbox has one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { Actor, instructorOf, mailBobAsStudent, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let ana: Actor;
let bo: Actor;

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
});
afterAll(() => app.close('test finished'));

const anasZone = [{ name: 'example.net', type: 'MX', ttl: 300, value: '10 mx2.example.org.' }];

describe('the lab world in a classroom', () => {
  it('a student\'s zone edit and reset are theirs alone', async () => {
    const start = await bo.json<{ records: unknown[] }>('/api/world/dns');
    expect(start.records.length).toBeGreaterThan(10);
    expect((await ana.put('/api/world/dns', { records: anasZone })).status).toBe(200);
    expect(await ana.json('/api/world/dns')).toEqual({ records: anasZone });
    expect(await bo.json('/api/world/dns')).toEqual(start);
    expect((await bo.post('/api/world/reset')).status).toBe(200);
    expect(await ana.json('/api/world/dns')).toEqual({ records: anasZone });
  });

  it('someone who has not joined has no world: 401', async () => {
    const anonymous = new Actor(app.urls.http);
    expect((await anonymous.get('/api/world/dns')).status).toBe(401);
    expect((await anonymous.put('/api/world/dns', { records: [] })).status).toBe(401);
    expect((await anonymous.post('/api/world/reset')).status).toBe(401);
  });

  it('a student\'s lab mail and its journey are theirs alone: a classmate and the instructor get 404 and empty mailboxes', async () => {
    await mailBobAsStudent(ana, 'ana.example.com', 'Subject: for the lab\r\n\r\nHi Bob!');

    const anas = await ana.json<{ messages: { id: number }[] }>('/api/messages');
    const id = anas.messages[0]?.id;
    expect(id).toBeTypeOf('number');
    const journey = await ana.json<{ hops: unknown[] }>(`/api/messages/${id}/journey`);
    expect(journey.hops.length).toBeGreaterThan(0);
    for (const other of [bo, instructor]) {
      expect((await other.get(`/api/messages/${id}/journey`)).status).toBe(404);
      expect((await other.get(`/api/messages/${id}/raw`)).status).toBe(404);
      expect(await other.json('/api/messages?mailbox=bob@example.net')).toMatchObject({ messages: [] });
    }
  });
});
