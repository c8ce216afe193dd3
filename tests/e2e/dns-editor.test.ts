/**
 * The DNS editor in Chromium against the real `smtp-lab serve`: open the DNS tab in live mode,
 * apply a Break it preset, save, see the change in GET /api/world/dns, reset to the defaults.
 * DNS_SHOTS=dir also saves screenshots at 1440×900 and 390×844.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { servedAppPerTest, waitForGreeting } from './harness.ts';

const app = servedAppPerTest();
const SHOTS = process.env.DNS_SHOTS;

async function exampleNetMx(): Promise<string[]> {
  const response = await fetch(new URL('/api/world/dns', app.server.httpBase));
  const { records } = (await response.json()) as { records: { name: string; type: string; value: string }[] };
  return records.filter((record) => record.name === 'example.net' && record.type === 'MX').map((record) => record.value);
}

async function openDnsTab(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'Live' }).check();
  await waitForGreeting(page);
  if (await page.getByRole('tab', { name: 'Details' }).isVisible()) await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('tab', { name: 'DNS' }).click();
  await page.getByRole('region', { name: /^example\.net / }).waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS !== undefined) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('DNS editor in Chromium', () => {
  it('applies the null MX preset, saves it to the server, and resets to the defaults', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    await openDnsTab(page);
    expect(await exampleNetMx()).toEqual(['10 mx.example.net.']);
    await shot(page, 'wide-zone');

    await page.getByRole('button', { name: 'Null MX on example.net' }).click();
    const preview = page.getByRole('region', { name: 'Preview: Null MX on example.net' });
    expect(await preview.getByRole('list', { name: 'Records removed and added' }).textContent()).toContain('example.net. 300 MX 0 .');
    await shot(page, 'wide-preview');
    await preview.getByRole('button', { name: 'Apply to draft' }).click();
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    expect(await exampleNetMx()).toEqual(['0 .']);
    await page.getByRole('region', { name: /^example\.net / }).scrollIntoViewIfNeeded();
    await shot(page, 'wide-applied');

    await page.getByRole('button', { name: 'Reset to defaults…' }).click();
    await page.getByRole('group', { name: 'Confirm reset' }).getByRole('button', { name: 'Reset zone' }).click();
    await page.getByText(/Mail for example\.net goes first to mx\.example\.net/).waitFor();
    expect(await exampleNetMx()).toEqual(['10 mx.example.net.']);
  });

  it('works on a phone, by keyboard: the DNS tab, a preset preview and Cancel', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await openDnsTab(page);
    await shot(page, 'phone-zone');
    // Nothing in the zone is wider than the tab's panel, so focus cannot scroll it sideways and cut off Save.
    const panel = page.getByRole('tabpanel', { name: 'DNS' });
    expect(await panel.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    const panelLeft = (await panel.boundingBox())?.x ?? Number.NaN;
    expect((await page.getByRole('button', { name: 'Save', exact: true }).boundingBox())?.x).toBeGreaterThan(panelLeft);
    const preset = page.getByRole('button', { name: 'SPF ~all instead of -all (example.com)' });
    await preset.focus();
    await page.keyboard.press('Enter');
    const preview = page.getByRole('region', { name: 'Preview: SPF ~all instead of -all (example.com)' });
    await preview.waitFor();
    await shot(page, 'phone-preview');
    expect(await panel.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    // Focus moved into the preview: Apply, then Cancel (Chromium also stops on the diff when it scrolls).
    const focused: string[] = [];
    for (let step = 0; step < 3 && focused.at(-1) !== 'Cancel'; step++) {
      await page.keyboard.press('Tab');
      focused.push((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '');
    }
    expect(focused.filter((text) => text === 'Apply to draft' || text === 'Cancel')).toEqual(['Apply to draft', 'Cancel']);
    await page.keyboard.press('Enter');
    expect(await preview.count()).toBe(0);
    // Nothing was applied: the server's zone and the draft are the same.
    await page.getByText('Saved', { exact: true }).waitFor();
  });
});
