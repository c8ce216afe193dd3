/**
 * The dashboard's "Lab world" card in jsdom against a stand-in of the /api/classroom/world
 * routes that checks a PUT with the server's own checkZone (the HTTP test drives the real
 * server: tests/server/classroom/class-starting-world.test.ts).
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ClassWorld } from '../../../protocol/wire/class-world-contract.ts';
import { checkZone, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import LabWorldCard from '../../../web/src/instructor/LabWorldCard.svelte';
import { ownZonesLine } from '../../../web/src/instructor/lab-world-text.ts';
import { WorldApi } from '../../../web/src/world/world-api.ts';
import { defaultZone } from '../world/world-fixtures.ts';

class StandInClassWorld {
  start: DnsRecord[] | null = null;
  studentsWithOwnZone = 2;
  readonly students = 3;
  readonly calls: string[] = [];
  /** Answers every call with this refusal when set. */
  refusal: { status: number; message: string } | null = null;

  readonly fetch = async (path: string, init?: RequestInit): Promise<Response> => {
    const route = `${init?.method ?? 'GET'} ${path}`;
    this.calls.push(route);
    if (this.refusal !== null) return json(this.refusal.status, { error: { code: 'forbidden', message: this.refusal.message } });
    if (route === 'GET /api/classroom/world/dns') return json(200, this.world());
    if (route === 'POST /api/classroom/world/reset') {
      this.start = null;
      return json(200, this.world());
    }
    if (route === 'POST /api/classroom/world/push') {
      const replaced = this.studentsWithOwnZone;
      this.studentsWithOwnZone = 0;
      return json(200, { ...this.world(), replaced });
    }
    if (route === 'PUT /api/classroom/world/dns') {
      const check = checkZone((JSON.parse(String(init?.body)) as { records: unknown[] }).records);
      if (!check.ok) return json(400, { error: { code: 'invalid_zone', message: 'The zone was not changed.', problems: check.problems } });
      this.start = [...check.records];
      return json(200, this.world());
    }
    return json(404, { error: { code: 'not_found', message: 'no route' } });
  };

  world(): ClassWorld {
    return {
      records: this.start ?? defaultZone(),
      custom: this.start !== null,
      changedAt: this.start === null ? null : '2026-11-27T10:00:00.000Z',
      studentsWithOwnZone: this.studentsWithOwnZone,
      students: this.students,
    };
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderCard(world: StandInClassWorld) {
  return render(LabWorldCard, { api: new ClassroomApi(world.fetch), worldApi: new WorldApi(world.fetch, '/api/classroom/world') });
}

const summary = () => screen.getByRole('status', { name: 'Class lab world' });

describe('LabWorldCard', () => {
  it('says the class uses the default world and how many students keep their own edits', async () => {
    const world = new StandInClassWorld();
    renderCard(world);
    await waitFor(() => expect(summary().textContent).toContain('Students start from the default lab world.'));
    expect(summary().textContent).toContain('2 students have edited their own zone and keep it: a new starting zone does not replace their edits');
    expect(screen.queryByRole('heading', { name: 'The class\'s starting zone' })).toBeNull();
  });

  it('edits the starting zone with the DNS editor on /api/classroom/world, then says the class uses it', async () => {
    const world = new StandInClassWorld();
    renderCard(world);
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit the starting zone' }));
    expect(await screen.findByRole('heading', { name: 'The class\'s starting zone' })).toBeTruthy();
    const com = await screen.findByRole('region', { name: /^example\.com / });
    const spf = within(com).getByRole('listitem', { name: 'example.com TXT' });
    await fireEvent.input(within(spf).getByRole('textbox', { name: 'Value' }), { target: { value: 'v=spf1 ip4:192.0.2.10 ~all' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(summary().textContent).toMatch(/Students start from your own starting zone \(\d+ records, set /));
    expect(world.calls).toContain('PUT /api/classroom/world/dns');
    expect(world.start?.find((record) => record.name === 'example.com' && record.type === 'TXT')?.value).toBe('v=spf1 ip4:192.0.2.10 ~all');
    expect(world.calls.some((call) => call.includes('/api/world/'))).toBe(false);
  });

  it('pushes the starting zone to every student only after a confirm', async () => {
    const world = new StandInClassWorld();
    renderCard(world);
    await fireEvent.click(await screen.findByRole('button', { name: 'Push to all students…' }));
    const confirm = screen.getByRole('group', { name: 'Confirm push' });
    expect(confirm.textContent).toContain('Replace the own zones of 2 students with the starting zone? Their edits are lost.');
    expect(world.calls).not.toContain('POST /api/classroom/world/push');
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Push to all students' }));

    await waitFor(() => expect(summary().textContent).toContain('No student has edited their own zone: all 3 use the starting zone.'));
    expect(world.calls).toContain('POST /api/classroom/world/push');
    expect(screen.getByText('Pushed: 2 students\' zones were replaced by the starting zone.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Push to all students…' }).hasAttribute('disabled')).toBe(true);
  });

  it('counts students in plain words: none yet, one who keeps their own', () => {
    const world = new StandInClassWorld().world();
    expect(ownZonesLine({ ...world, students: 0, studentsWithOwnZone: 0 })).toBe('No student has joined yet: everyone who joins starts from this zone.');
    expect(ownZonesLine({ ...world, studentsWithOwnZone: 1 })).toMatch(/^1 student has edited their own zone and keeps it: /);
  });

  it('shows the server\'s refusal', async () => {
    const world = new StandInClassWorld();
    world.refusal = { status: 401, message: 'Sign in as the instructor first.' };
    renderCard(world);
    expect((await screen.findByRole('alert')).textContent).toBe('Sign in as the instructor first.');
  });
});
