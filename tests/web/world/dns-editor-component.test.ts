/**
 * The DNS editor in jsdom against a stand-in world API that keeps one zone and checks a PUT
 * with the server's own checkZone (the e2e test drives the real server).
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { checkZone, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { defaultHostSettings } from '../../../protocol/world/host-settings.ts';
import DnsEditor from '../../../web/src/world/DnsEditor.svelte';
import { PageWorld } from '../../../web/src/world/page-world.svelte.ts';
import { WorldApi } from '../../../web/src/world/world-api.ts';
import { defaultZone } from './world-fixtures.ts';

class StandInWorld {
  zone: DnsRecord[] = defaultZone();
  /** Set to refuse the next PUT as a server with other rules would, naming this record. */
  refuse: { index: number; message: string } | null = null;
  readonly api = new WorldApi(async (path, init) => {
    const route = `${init?.method ?? 'GET'} ${path}`;
    if (route === 'GET /api/world/dns') return json(200, { records: this.zone });
    if (route === 'GET /api/world/hosts') return json(200, { hosts: defaultHostSettings() });
    if (route === 'POST /api/world/reset') return json(200, { records: (this.zone = defaultZone()) });
    if (route === 'PUT /api/world/dns') {
      const { records } = JSON.parse(String(init?.body)) as { records: unknown[] };
      if (this.refuse !== null) return json(400, { error: { code: 'invalid_zone', message: 'The zone was not changed: 1 record has a problem.', problems: [this.refuse] } });
      const check = checkZone(records);
      if (!check.ok) return json(400, { error: { code: 'invalid_zone', message: 'The zone was not changed.', problems: check.problems } });
      return json(200, { records: (this.zone = [...check.records]) });
    }
    return json(404, { error: { code: 'not_found', message: 'no route' } });
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const section = (domain: string) => screen.getByRole('region', { name: new RegExp(`^${domain.replace('.', '\\.')} `) });
const saveButton = () => screen.getByRole('button', { name: 'Save' });

describe('DnsEditor', () => {
  it('in simulated mode edits the page\'s own zone (checked with checkZone), and marks the presets that need npm start', async () => {
    const page = new PageWorld(Promise.resolve({ dkimPublicKeys: { 'example.com': 'MIIBcom', 'example.net': 'MIIBnet', 'example.org': 'MIIBorg' } }));
    render(DnsEditor, { live: false, api: page.api });
    expect(screen.getByText(/this zone lives in this page only/).textContent?.replace(/\s+/g, ' ')).toMatch(/SPF, DKIM and DMARC are checked only by the lab's real mail servers: run npm start/);
    const net = await waitFor(() => section('example.net'));
    const mx = within(net).getByRole('listitem', { name: 'example.net MX' });
    await fireEvent.input(within(mx).getByRole('textbox', { name: 'Value' }), { target: { value: '0 .' } });
    await fireEvent.click(saveButton());
    await waitFor(async () => {
      const stored = await page.api.zone();
      expect(stored.ok && stored.records.find((record) => record.name === 'example.net' && record.type === 'MX')?.value).toBe('0 .');
    });
    // A bad value is refused by the same check the server runs; nothing is stored.
    // The saved zone's records are drawn again: find the MX row anew.
    const saved = within(section('example.net')).getByRole('listitem', { name: 'example.net MX' });
    await fireEvent.input(within(saved).getByRole('textbox', { name: 'Value' }), { target: { value: '0 nowhere' } });
    expect(saveButton().hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'SPF over 10 lookups (example.com) (needs npm start)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Null MX on example.net' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'SPF over 10 lookups (example.com) (needs npm start)' }));
    expect(screen.getByRole('note').textContent?.replace(/\s+/g, ' ')).toMatch(/checked only by the lab's real mail servers: run npm start/);
  });

  it('groups records by domain, explains each, flags a bad edit as typed, and saves a good one', async () => {
    const world = new StandInWorld();
    render(DnsEditor, { live: true, api: world.api });
    const com = await waitFor(() => section('example.com'));
    expect(within(com).getByText(/SPF — only 192\.0\.2\.10 may send mail with MAIL FROM @example\.com/)).toBeTruthy();
    expect(saveButton().hasAttribute('disabled')).toBe(true);

    const spf = within(com).getByRole('listitem', { name: 'example.com TXT' });
    const value = within(spf).getByRole('textbox', { name: 'Value' });
    await fireEvent.input(value, { target: { value: 'v=spf1 ip4:192.0.2.10 ~all' } });
    expect(within(spf).getByText(/anything else soft-fails/)).toBeTruthy();
    expect(screen.getByText(/Unsaved changes/)).toBeTruthy();

    const ttl = within(spf).getByRole('textbox', { name: 'TTL (s)' });
    await fireEvent.input(ttl, { target: { value: '3oo' } });
    expect(within(spf).getByText(/ttl must be a number of seconds/)).toBeTruthy();
    expect(ttl.getAttribute('aria-invalid')).toBe(null);
    expect(within(spf).getByRole('textbox', { name: 'Value' }).getAttribute('aria-invalid')).toBe('true');
    expect(saveButton().hasAttribute('disabled')).toBe(true);

    await fireEvent.input(ttl, { target: { value: '600' } });
    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.getByText(/^\s*Saved\s*$/)).toBeTruthy());
    expect(world.zone.find((record) => record.name === 'example.com' && record.type === 'TXT')).toEqual({ name: 'example.com', type: 'TXT', ttl: 600, value: 'v=spf1 ip4:192.0.2.10 ~all' });
  });

  it('applies a Break it preset after a diff preview, undoes it, and resets after a confirm', async () => {
    const world = new StandInWorld();
    render(DnsEditor, { live: true, api: world.api });
    await waitFor(() => section('example.net'));
    await fireEvent.click(screen.getByRole('button', { name: 'Null MX on example.net' }));
    const preview = screen.getByRole('region', { name: 'Preview: Null MX on example.net' });
    const diff = within(preview).getByRole('list', { name: 'Records removed and added' });
    expect(diff.textContent).toContain('Removed: − example.net. 300 MX 10 mx.example.net.');
    expect(diff.textContent).toContain('Added: + example.net. 300 MX 0 .');
    expect(preview.textContent).toContain('556 5.1.10');
    await fireEvent.click(within(preview).getByRole('button', { name: 'Apply to draft' }));
    expect(within(section('example.net')).getByText(/Null MX \(RFC 7505\): example.net takes no mail at all/)).toBeTruthy();
    expect(screen.getByText(/Unsaved changes/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(within(section('example.net')).queryByText(/Null MX/)).toBeNull();
    expect(screen.getByText(/^\s*Saved\s*$/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Null MX on example.net' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply to draft' }));
    await fireEvent.click(saveButton());
    await waitFor(() => expect(world.zone.some((record) => record.name === 'example.net' && record.value === '0 .')).toBe(true));

    await fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults…' }));
    const confirm = screen.getByRole('group', { name: 'Confirm reset' });
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Reset zone' }));
    await waitFor(() => expect(within(section('example.net')).getByText(/Mail for example.net goes first to mx.example.net/)).toBeTruthy());
    expect(world.zone).toEqual(defaultZone());
  });

  it('flags a duplicate as typed, and shows the server\'s problem next to the record it names when a Save is refused', async () => {
    const world = new StandInWorld();
    world.zone = [{ name: 'example.com', type: 'MX', ttl: 300, value: '10 mail.example.com.' }];
    render(DnsEditor, { live: true, api: world.api });
    await waitFor(() => section('example.com'));
    await fireEvent.click(screen.getByRole('button', { name: 'Add a record to example.com' }));
    const added = screen.getByRole('listitem', { name: 'example.com TXT' });
    expect(document.activeElement).toBe(within(added).getByRole('textbox', { name: 'Name' }));
    await fireEvent.change(within(added).getByRole('combobox', { name: 'Type' }), { target: { value: 'MX' } });
    await fireEvent.input(within(added).getByRole('textbox', { name: 'Value' }), { target: { value: '10 mail.example.com.' } });
    expect(within(added).getByText(/repeats record 0/)).toBeTruthy();
    expect(saveButton().hasAttribute('disabled')).toBe(true);

    await fireEvent.input(within(added).getByRole('textbox', { name: 'Value' }), { target: { value: '20 backup.example.com.' } });
    world.refuse = { index: 1, message: 'backup.example.com has no address in this lab.' };
    await fireEvent.click(saveButton());
    await waitFor(() => expect(within(added).getByText(/backup.example.com has no address in this lab/)).toBeTruthy());
    expect(screen.getByRole('alert').textContent).toContain('The zone was not changed: 1 record has a problem.');
    expect(screen.getByText(/Unsaved changes/)).toBeTruthy();
    // Editing the record clears what the server said about its old text.
    await fireEvent.input(within(added).getByRole('textbox', { name: 'Value' }), { target: { value: '20 mail2.example.com.' } });
    expect(within(added).queryByText(/has no address in this lab/)).toBeNull();
  });
});
