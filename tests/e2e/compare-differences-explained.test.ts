/**
 * "Compare servers" in real Chromium: a typed conversation replayed on every personality, the
 * differing step marked and explained with the RFC, readable at 1440×900 and at 390×844 (the
 * table scrolls sideways under a sticky step column). Screenshots go to dist/screenshots/compare.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();
const SHOTS = process.env.COMPARE_SHOTS ?? fileURLToPath(new URL('../../dist/screenshots/compare/', import.meta.url));

describe('Compare servers in Chromium', () => {
  it('replays the conversation on every server, marks DATA without a recipient and explains it with RFC 5321 §3.3', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      await app.page.setViewportSize({ width, height });
      await app.page.goto(app.server.httpBase);
      if (width < 800) await app.page.getByRole('tab', { name: 'Conversation' }).click();
      const input = await consoleInput(app.page);
      await converse(app.page, input, [
        ['EHLO me.example', '250'],
        ['HELP', '214'],
        ['MAIL FROM:<a@example.com>', '250'],
        ['DATA', '503'],
      ]);
      await app.page.getByRole('button', { name: 'Compare servers' }).click();
      const dialog = app.page.getByRole('dialog', { name: 'Compare servers' });
      const dataRow = dialog.locator('tr.differs', { has: app.page.getByRole('rowheader', { name: /DATA/ }) });
      await expect.poll(() => dataRow.count(), { timeout: 10_000 }).toBe(1);
      expect(await dataRow.textContent()).toContain('Servers differ:');
      expect(await dataRow.textContent()).toContain('554 5.5.1 Error: no valid recipients');
      const explanation = dataRow.locator('xpath=following-sibling::tr[1]');
      expect(await explanation.textContent()).toContain('RFC 5321 §3.3');
      expect(await explanation.textContent()).toContain('503 "command out of sequence" or with 554 "no valid recipients"');
      expect(await dialog.textContent()).toContain('modelled on documentation, not verified against the server');

      // The step column stays in view when the table scrolls sideways.
      const scroller = dialog.getByRole('region', { name: 'Replies side by side' });
      const stepCell = dialog.getByRole('rowheader', { name: /DATA/ });
      const before = await stepCell.boundingBox();
      await scroller.evaluate((element) => element.scrollBy({ left: 400 }));
      await expect.poll(async () => (await stepCell.boundingBox())?.x).toBe(before?.x);
      await scroller.evaluate((element) => element.scrollTo({ left: 0 }));
      await app.page.screenshot({ path: `${SHOTS}/compare-${width}x${height}.png` });

      await app.page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
    }
  }, 120_000);
});
