/**
 * The statechart in real Chromium at 1366×768: every text of the drawing renders at 12 px or
 * more (computed font size × the SVG's scale), and no two arrow labels overlap. Set
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
      }
    }
  });
});
