/**
 * The learner page at five window sizes in real Chromium: the console is at least 300 px wide,
 * the page itself never scrolls, and every control, in every panel and tab, can be brought into
 * the window and is the element found at its own centre (not clipped, not covered). Screenshots
 * of each size (light and dark at 1366 and 390) go to dist/screenshots/layouts for review.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();
const SHOTS = fileURLToPath(new URL('../../dist/screenshots/layouts/', import.meta.url));

const SIZES = [
  [1920, 1080],
  [1366, 768],
  [1024, 768],
  [800, 600],
  [390, 844],
] as const;

/** Controls that cannot be reached: outside the window even after scrolling their panel, or hidden under something else. */
async function unreachableControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const selector = 'button, input, select, textarea, [role="tab"]';
    for (const control of document.querySelectorAll<HTMLElement>(selector)) {
      // Monaco's own input is a 1 px textarea at the caret; the editor host is checked instead.
      if (control.closest('.monaco-editor, dialog:not([open]), .visually-hidden')) continue;
      if (control.getClientRects().length === 0) continue;
      control.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const box = control.getBoundingClientRect();
      const name = `${control.tagName.toLowerCase()} "${(control.getAttribute('aria-label') ?? control.textContent ?? '').trim().slice(0, 40)}"`;
      if (box.left < -0.5 || box.top < -0.5 || box.right > window.innerWidth + 0.5 || box.bottom > window.innerHeight + 0.5) {
        problems.push(`${name} outside the window at ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)}`);
        continue;
      }
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      const label = control.closest('label');
      if (hit === null || !(control.contains(hit) || hit.contains(control) || (label !== null && label.contains(hit)))) {
        problems.push(`${name} covered or clipped (found ${hit?.tagName.toLowerCase()}.${hit?.className} at its centre)`);
      }
    }
    return problems;
  });
}

async function pageScrolls(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth || document.documentElement.scrollHeight > window.innerHeight);
}

async function consoleWidth(page: Page): Promise<number> {
  return (await page.locator('.editor-host').boundingBox())?.width ?? 0;
}

/** Clicks each tab of a tab list in turn, calling `check` with the tab's name. */
async function eachTab(page: Page, list: string, check: (tab: string) => Promise<void>): Promise<void> {
  const tabs = page.getByRole('tablist', { name: list }).getByRole('tab');
  for (let i = 0; i < (await tabs.count()); i++) {
    const tab = tabs.nth(i);
    await tab.click();
    await check((await tab.textContent())?.trim() ?? `tab ${i}`);
  }
}

describe('layouts in Chromium', () => {
  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}: console ≥ 300 px, no page scroll, every control reachable`, async () => {
      const { page } = app;
      mkdirSync(SHOTS, { recursive: true });
      await page.setViewportSize({ width, height });
      const input = await consoleInput(page);
      await converse(page, input, [
        ['EHLO client.example.com', '250-'],
        ['MAIL FROM:<ana@example.com>', '250 2.1.0'],
        ['RCPT TO:<bo@example.org>', '250 2.1.5'],
        ['DATA', '354'],
      ]);
      const problems: string[] = [];
      const check = async (where: string): Promise<void> => {
        expect(await consoleWidth(page), where).toBeGreaterThanOrEqual(300);
        expect(await pageScrolls(page), where).toBe(false);
        problems.push(...(await unreachableControls(page)).map((problem) => `${where}: ${problem}`));
      };
      await check('writing the message');
      await page.screenshot({ path: `${SHOTS}${width}x${height}.png` });

      if (width < 800) {
        await eachTab(page, 'Panels', async (view) => {
          await check(`${view} view`);
          if (view === 'Details') await eachTab(page, 'Details', (tab) => check(`Details › ${tab}`));
        });
      } else {
        await eachTab(page, 'Details', (tab) => check(`course open, ${tab}`));
        await page.getByRole('button', { name: /^Course/ }).click();
        await eachTab(page, 'Details', (tab) => check(`course closed, ${tab}`));
        expect(await consoleWidth(page)).toBeGreaterThanOrEqual(300);
      }
      expect(problems).toEqual([]);
    });
  }

  for (const [width, height] of [
    [1366, 768],
    [390, 844],
  ] as const) {
    it(`takes light and dark screenshots at ${width}×${height}`, async () => {
      const { page } = app;
      mkdirSync(SHOTS, { recursive: true });
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const input = await consoleInput(page);
        await converse(page, input, [
          ['EHLO client.example.com', '250-'],
          ['MAIL FROM: bob@x', '501'],
          ['QUIT', '221'],
        ]);
        await page.getByRole('group', { name: 'Connection closed' }).waitFor();
        await page.screenshot({ path: `${SHOTS}${width}x${height}-${scheme}.png` });
        await page.getByRole('group', { name: 'Connection closed' }).getByRole('button', { name: 'New session' }).click();
      }
    });
  }
});
