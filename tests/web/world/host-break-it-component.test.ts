/**
 * The hosts' Break it in jsdom against a stand-in world API that keeps one list of switches
 * and checks a PUT with the server's own checkHostSettings (the HTTP route is tested in
 * tests/server/http/api-world-hosts.test.ts).
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { checkHostSettings, defaultHostSettings, switchesOf, type HostSwitches } from '../../../protocol/world/host-settings.ts';
import HostBreakIt from '../../../web/src/world/HostBreakIt.svelte';
import { PageWorld } from '../../../web/src/world/page-world.svelte.ts';
import { WorldApi } from '../../../web/src/world/world-api.ts';

class StandInHosts {
  hosts: readonly HostSwitches[] = defaultHostSettings();
  readonly puts: unknown[] = [];
  readonly api = new WorldApi(async (path, init) => {
    const route = `${init?.method ?? 'GET'} ${path}`;
    if (route === 'GET /api/world/hosts') return json(200, { hosts: this.hosts });
    if (route === 'PUT /api/world/hosts') {
      const { hosts } = JSON.parse(String(init?.body)) as { hosts: unknown[] };
      this.puts.push(hosts);
      const check = checkHostSettings(hosts);
      if (!check.ok) return json(400, { error: { code: 'invalid_hosts', message: 'The host switches were not changed.', problems: check.problems } });
      return json(200, { hosts: (this.hosts = check.hosts) });
    }
    return json(404, { error: { code: 'not_found', message: 'no route' } });
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('HostBreakIt', () => {
  it('previews "primary MX down", applies and saves it, then Undo saves the switches as they were', async () => {
    const world = new StandInHosts();
    render(HostBreakIt, { api: world.api });
    await fireEvent.click(await screen.findByRole('button', { name: 'example.org\'s primary MX is down' }));
    const preview = screen.getByRole('region', { name: 'Preview: example.org\'s primary MX is down' });
    expect(preview.textContent).toContain('mx1.example.org (MX 10) refuses every connection');
    expect(preview.textContent).toContain('going on to mx2.example.org');
    expect(world.puts).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: 'Apply and save' }));
    await waitFor(() => expect(screen.getByText(/Applied and saved: example\.org's primary MX is down/)).toBeTruthy());
    expect(switchesOf(world.hosts, 'mx1.example.org')?.down).toBe(true);
    expect(screen.queryByRole('region', { name: /^Preview/ })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull());
    expect(world.hosts).toEqual(defaultHostSettings());
    expect(world.puts).toHaveLength(2);
  });

  it('says where the forwarder already breaks SPF and not DKIM, with no switch to flip', async () => {
    const world = new StandInHosts();
    render(HostBreakIt, { api: world.api });
    const note = await screen.findByText(/A forwarder \(already in the world\)/);
    expect(note.parentElement?.textContent).toContain('carol@forwarder.example');
    expect(screen.queryByRole('button', { name: /forwarder \(already/ })).toBeNull();
  });

  it('says so when the server refuses the switches, and keeps no Undo', async () => {
    const world = new StandInHosts();
    // A server with another host list: the stand-in refuses what it does not know.
    world.hosts = defaultHostSettings().map((entry) => (entry.name === 'mx.example.net' ? { ...entry, name: 'mx.other.example' } : entry));
    render(HostBreakIt, { api: world.api });
    await fireEvent.click(await screen.findByRole('button', { name: 'Greylisting on example.net' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply and save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The host switches were not changed.'));
    expect(screen.getByRole('alert').textContent).toContain('"mx.other.example" is not a lab MX host');
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it("in simulated mode switches the page's own hosts, and marks the DMARC preset as needing npm start", async () => {
    const page = new PageWorld(Promise.resolve({ dkimPublicKeys: { 'example.com': 'MIIBcom', 'example.net': 'MIIBnet', 'example.org': 'MIIBorg' } }));
    render(HostBreakIt, { api: page.api, simulated: true });
    await fireEvent.click(await screen.findByRole('button', { name: 'example.net stops enforcing DMARC (needs npm start)' }));
    expect(screen.getByRole('note').textContent).toMatch(/checked only by the lab's real mail servers: run npm start/);
    await fireEvent.click(screen.getByRole('button', { name: "example.org's primary MX is down" }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply and save' }));
    await waitFor(async () => {
      const stored = await page.api.hosts();
      expect(stored.ok && switchesOf(stored.hosts, 'mx1.example.org')?.down).toBe(true);
    });
  });
});
