/**
 * The statechart in real Chromium at 1366×768: every text of the drawing renders at 12 px or
 * more (computed font size × the SVG's scale), and no two arrow labels overlap; "Whole chart"
 * fits every state inside the panel and pressing it again restores the 12 px floor. Set
 * CHART_SHOTS=dir to also save screenshots at 1366×768 and 1920×1080, light and dark.
 */
import { expect, describe, it } from 'vitest';
import { consoleInput, converse, servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();

interface Measured {
  readonly smallest: number;
  readonly labels: readonly { x: number; y: number; width: number; height: number; text: string }[];
}

async function showChart(): Promise<void> {
  const tab = app.page.getByRole('tab', { name: 'Statechart' });
  if ((await tab.count()) > 0) await tab.click();
  await app.page.getByRole('group', { name: 'States of the SMTP session model' }).waitFor();
}

function measure(): Promise<Measured> {
  return app.page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>('svg[aria-label="States of the SMTP session model"]');
    if (svg === null) throw new Error('no statechart');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
    const labels = [...svg.querySelectorAll<SVGTextElement>('.edge .label')].map((label) => {
      const box = label.getBoundingClientRect();
      return { x: box.x, y: box.y, width: box.width, height: box.height, text: label.textContent ?? '' };
    });
    return { smallest: Math.min(...sizes), labels };
  });
}

describe('statechart in Chromium', () => {
  it('draws every text at 12 px or more and no two arrow labels on top of each other (1366×768)', async () => {
    const input = await consoleInput(app.page);
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['MAIL FROM:<a@example.com>', '250'],
    ]);
    await showChart();
    const { smallest, labels } = await measure();
    expect(smallest).toBeGreaterThanOrEqual(12);
    expect(labels.length).toBeGreaterThan(10);
    for (const a of labels) {
      for (const b of labels) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
        expect(apart, `${a.text} / ${b.text}`).toBe(true);
      }
    }
    // The current state is highlighted and in view.
    const here = app.page.locator('[data-state="identified.transaction.hasSender"][aria-current="step"]');
    expect(await here.isVisible()).toBe(true);
    expect(await app.page.locator('.edge.last').getAttribute('data-source')).toBe('identified.idle');
  });

  it('"Whole chart" fits every state in the panel; pressed again, labels are 12 px or more again (1366×768)', async () => {
    const input = await consoleInput(app.page);
    await converse(app.page, input, [['EHLO client.example.com', '250-']]);
    await showChart();
    const toggle = app.page.getByRole('button', { name: 'Whole chart' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const outside = await app.page.evaluate(() => {
      const viewport = document.querySelector('.statechart .viewport');
      if (viewport === null) throw new Error('no statechart viewport');
      const panel = viewport.getBoundingClientRect();
      const boxes = [...viewport.querySelectorAll<SVGGElement>('[data-state] > rect')];
      if (boxes.length < 5) throw new Error(`only ${boxes.length} state boxes`);
      return boxes
        .map((rect) => ({ state: rect.parentElement?.dataset['state'] ?? '', box: rect.getBoundingClientRect() }))
        .filter(({ box }) => box.left < panel.left - 0.5 || box.top < panel.top - 0.5 || box.right > panel.right + 0.5 || box.bottom > panel.bottom + 0.5)
        .map(({ state }) => state);
    });
    expect(outside).toEqual([]);
    expect((await measure()).smallest).toBeLessThan(12);

    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect((await measure()).smallest).toBeGreaterThanOrEqual(12);
  });

  it.runIf(process.env['CHART_SHOTS'])('saves screenshots for a look', async () => {
    const dir = process.env['CHART_SHOTS'] ?? '';
    for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        await app.page.setViewportSize({ width, height });
        await app.page.emulateMedia({ colorScheme: scheme });
        await app.page.reload();
        const input = await consoleInput(app.page);
        await converse(app.page, input, [['EHLO client.example.com', '250-'], ['MAIL FROM:<a@example.com>', '250']]);
        await showChart();
        await app.page.screenshot({ path: `${dir}/statechart-${width}x${height}-${scheme}.png` });
        await app.page.getByRole('button', { name: 'Whole chart' }).click();
        await app.page.screenshot({ path: `${dir}/statechart-${width}x${height}-${scheme}-whole.png` });
      }
    }
  });
});
