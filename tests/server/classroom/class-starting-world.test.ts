/**
 * The instructor sets the class's starting lab world over real HTTP: students without edits of
 * their own (and new ones) start from it and reset to it, students who edited keep theirs
 * until the instructor pushes, and only the instructor may change it.
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import type { ClassWorld, ClassWorldPush } from '../../../protocol/wire/class-world-contract.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { Actor, instructorOf, PASSWORD, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let ana: Actor;
let bo: Actor;
let defaults: DnsRecord[];

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
  defaults = (await bo.json<{ records: DnsRecord[] }>('/api/world/dns')).records;
});
afterAll(() => app.close('test finished'));

/** The default world with example.org's MX hosts swapped: a lesson's starting point. */
const classZone = (): DnsRecord[] =>
  defaults.map((record) =>
    record.name === 'example.org' && record.type === 'MX'
      ? { ...record, value: record.value.startsWith('10 ') ? record.value.replace('10 ', '20 ') : record.value.replace('20 ', '10 ') }
      : record,
  );
const anasZone: DnsRecord[] = [{ name: 'example.net', type: 'MX', ttl: 300, value: '10 mx2.example.org.' }];

const classWorld = () => instructor.json<ClassWorld>('/api/classroom/world/dns');
const zoneOf = async (actor: Actor) => (await actor.json<{ records: DnsRecord[] }>('/api/world/dns')).records;

describe('the class\'s starting lab world', () => {
  it('is the default world until the instructor sets one', async () => {
    expect(defaults.length).toBeGreaterThan(10);
    expect(await classWorld()).toEqual({ records: defaults, custom: false, changedAt: null, studentsWithOwnZone: 0, students: 2 });
  });

  it('set by the instructor, reaches students without edits and new students; a student who edited keeps theirs', async () => {
    expect((await ana.put('/api/world/dns', { records: anasZone })).status).toBe(200);
    const wanted = classZone();
    expect(wanted).not.toEqual(defaults);

    const response = await instructor.put('/api/classroom/world/dns', { records: wanted });
    expect(response.status).toBe(200);
    const set = (await response.json()) as ClassWorld;
    expect(set).toMatchObject({ records: wanted, custom: true, studentsWithOwnZone: 1, students: 2 });
    expect(Number.isNaN(Date.parse(set.changedAt ?? ''))).toBe(false);

    expect(await zoneOf(bo)).toEqual(wanted);
    expect(await zoneOf(ana)).toEqual(anasZone);
    const cy = await studentOf(app, instructor, 'Cy');
    expect(await zoneOf(cy)).toEqual(wanted);
  });

  it('is what a student\'s reset restores', async () => {
    const reset = await ana.post('/api/world/reset');
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { records: DnsRecord[] }).records).toEqual(classZone());
    expect((await classWorld()).studentsWithOwnZone).toBe(0);
  });

  it('a bad starting zone is refused with a problem per record, and the old one stays', async () => {
    const bad = [...classZone(), { name: 'example.com', type: 'MX', ttl: 300, value: 'mx.example.com.' }];
    const response = await instructor.put('/api/classroom/world/dns', { records: bad });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; problems: { index: number; message: string }[] } };
    expect(body.error.code).toBe('invalid_zone');
    expect(body.error.problems.map((problem) => problem.index)).toEqual([bad.length - 1]);
    expect((await classWorld()).records).toEqual(classZone());
  });

  it('pushed to all students, replaces their own edits', async () => {
    expect((await ana.put('/api/world/dns', { records: anasZone })).status).toBe(200);
    expect((await bo.put('/api/world/dns', { records: anasZone })).status).toBe(200);
    expect((await classWorld()).studentsWithOwnZone).toBe(2);
    const response = await instructor.post('/api/classroom/world/push');
    expect(response.status).toBe(200);
    expect((await response.json()) as ClassWorldPush).toMatchObject({ replaced: 2, studentsWithOwnZone: 0 });
    expect(await zoneOf(ana)).toEqual(classZone());
    expect(await zoneOf(bo)).toEqual(classZone());
  });

  it('reset by the instructor, the default world is the starting zone again', async () => {
    const response = await instructor.post('/api/classroom/world/reset');
    expect(response.status).toBe(200);
    expect((await response.json()) as ClassWorld).toMatchObject({ records: defaults, custom: false, changedAt: null });
    expect(await zoneOf(ana)).toEqual(defaults);
  });

  it('only the instructor may read or change it: a student gets 403, someone who has not joined 401', async () => {
    const anonymous = new Actor(app.urls.http);
    for (const [actor, status] of [[ana, 403], [anonymous, 401]] as const) {
      expect((await actor.get('/api/classroom/world/dns')).status).toBe(status);
      expect((await actor.put('/api/classroom/world/dns', { records: anasZone })).status).toBe(status);
      expect((await actor.post('/api/classroom/world/reset')).status).toBe(status);
      expect((await actor.post('/api/classroom/world/push')).status).toBe(status);
    }
    expect((await classWorld()).custom).toBe(false);
  });
});

describe('the class\'s starting lab world across a restart', () => {
  it('is kept, and a student who joins after the restart starts from it', async () => {
    const first = await startClassroom();
    let second: RunningApp | null = null;
    try {
      const teacher = await instructorOf(first);
      const zone = (await teacher.json<ClassWorld>('/api/classroom/world/dns')).records.filter((record) => record.name !== 'example.org');
      expect((await teacher.put('/api/classroom/world/dns', { records: zone })).status).toBe(200);
      await first.close('restart');

      second = await startClassroom(dirname(first.databaseFile!));
      const again = new Actor(second.urls.http);
      expect((await again.post('/api/instructor/login', { password: PASSWORD })).status).toBe(200);
      expect(await again.json<ClassWorld>('/api/classroom/world/dns')).toMatchObject({ records: zone, custom: true });
      expect(await zoneOf(await studentOf(second, again, 'Dee'))).toEqual(zone);
    } finally {
      await first.close('test finished');
      await second?.close('test finished');
    }
  });
});
