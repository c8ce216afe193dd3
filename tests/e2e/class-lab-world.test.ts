/**
 * The class's starting lab world in Chromium against the real `smtp-lab serve --classroom`:
 * the instructor opens the dashboard's Lab world tab, edits the starting zone with the DNS
 * editor and saves; a student who joins afterwards has that zone as their own world.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../protocol/world/dns-record.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { ensureBuilt, launchChromium, setInstructorPassword } from './harness.ts';

const SOFTFAIL_SPF = 'v=spf1 ip4:192.0.2.10 ~all';

let server: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  browser = await launchChromium();
  server = await startServeProcess({ dataDir: freshDataDir(), args: ['--classroom'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A student who joins over the API (their own cookie), and their world's zone. */
async function joinedStudentsZone(code: string): Promise<DnsRecord[]> {
  const base = server.httpBase;
  const joined = await fetch(new URL('/api/class/join', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, displayName: 'Ana' }),
  });
  expect(joined.status).toBe(201);
  const cookie = (joined.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const zone = await fetch(new URL('/api/world/dns', base), { headers: { cookie } });
  return ((await zone.json()) as { records: DnsRecord[] }).records;
}

describe('the class\'s lab world in Chromium', () => {
  it('the instructor edits the starting zone in the dashboard; a student who joins starts from it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await expect.poll(() => /setup secret:\s*\n\s*\S+/.test(server.stdout()), { timeout: 10_000 }).toBe(true);
    await page.goto(`${server.httpBase}instructor`);
    const secret = /setup secret:\s*\n\s*(\S+)/.exec(server.stdout())?.[1] ?? '';
    const code = await setInstructorPassword(page, secret, 'correct horse battery staple');

    await page.getByRole('tab', { name: 'Lab world' }).click();
    const summary = page.getByRole('status', { name: 'Class lab world' });
    await expect.poll(() => summary.textContent()).toContain('Students start from the default lab world.');

    await page.getByRole('button', { name: 'Edit the starting zone' }).click();
    const spf = page.getByRole('region', { name: /^example\.com / }).getByRole('listitem', { name: 'example.com TXT', exact: true });
    await spf.getByRole('textbox', { name: 'Value' }).fill(SOFTFAIL_SPF);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toContain('Students start from your own starting zone');

    const zone = await joinedStudentsZone(code);
    expect(zone.find((record) => record.name === 'example.com' && record.type === 'TXT')?.value).toBe(SOFTFAIL_SPF);
    expect(errors).toEqual([]);
    await page.close();
  });
});
