/**
 * The learner page's small truths in Chromium against the real `smtp-lab serve`: no failed
 * request on load outside classroom mode, replay links (shared and broken), the public SMTP
 * port in live mode, code blocks that scroll inside their box, the time-travel "Latest"
 * button, and explanations in short paragraphs. SMALL_SHOTS=dir also saves screenshots.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url, replayHash } from '../../web/src/session/replay-link.ts';
import { consoleInput, converse, servedAppPerTest, sessionState, waitForServerLine } from './harness.ts';

const app = servedAppPerTest();
const shots = process.env['SMALL_SHOTS'];

async function shoot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png` });
}

/** Opens the app afresh at `hash` (a hash change alone would not reload the page). */
async function openAt(page: Page, hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${app.server.httpBase}${hash}`);
}

describe('the learner page in Chromium', () => {
  it('loads outside classroom mode without a failed request or a console error', async () => {
    const { page } = app;
    const failed: string[] = [];
    const asked: string[] = [];
    const errors: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.reload();
    await consoleInput(page);
    await expect.poll(() => sessionState(page).textContent()).toContain('Greeted');
    // The page does ask whether a class runs here, and gets a plain answer.
    expect(asked).toContain('/api/classroom');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('opens a replay link with a "Shared conversation" banner, and leaves it for a session of your own', async () => {
    const { page } = app;
    await openAt(page, replayHash(['EHLO shared.example', 'MAIL FROM:<ana@example.com>']));
    const banner = page.getByRole('region', { name: /Shared conversation/ });
    await expect.poll(() => banner.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await banner.textContent()).toContain('replayed on the simulated server');
    await waitForServerLine(page, '250 2.1.0');
    expect(await page.getByRole('log', { name: 'Transcript' }).textContent()).toContain('EHLO shared.example');
    expect(new URL(page.url()).hash).toBe('');
    await shoot(page, 'replay-banner');

    await banner.getByRole('button', { name: 'Start your own session' }).click();
    expect(await banner.count()).toBe(0);
    await expect.poll(() => page.getByRole('log', { name: 'Transcript' }).textContent()).not.toContain('EHLO shared.example');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('SMTP console');
  });

  it('says so in learner words when a replay link is broken, and replays nothing', async () => {
    const { page } = app;
    // Cut inside a character, as a link cut short when pasted can be.
    await openAt(page, `#replay=${encodeBase64Url('EHLO ö').slice(0, -1)}`);
    const banner = page.getByRole('region', { name: /This replay link is broken/ });
    await expect.poll(() => banner.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await banner.textContent()).toContain('Part of it is missing or was changed');
    await expect.poll(() => sessionState(page).textContent()).toContain('Greeted');
    expect(await page.getByRole('log', { name: 'Transcript' }).locator('[data-from="client"]').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('');
    await shoot(page, 'replay-broken');
    await banner.getByRole('button', { name: 'OK' }).click();
    expect(await banner.count()).toBe(0);
  });

  it('shows the sandbox by its public SMTP port in live mode, the one swaks would use', async () => {
    const { page } = app;
    await consoleInput(page);
    await page.getByRole('radio', { name: 'Live' }).check();
    const address = `127.0.0.1:${app.server.smtpPort}`;
    const status = page.getByRole('status', { name: 'Connection' });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`Connected\\s*${address.replace(/\./g, '\\.')}$`));
    const connection = page.getByRole('log', { name: 'Transcript' }).locator('[data-from="connection"]').first();
    await expect.poll(() => connection.textContent(), { timeout: 10_000 }).toContain(`Connected to ${address}`);
    await shoot(page, 'live-port');
  });

  it('calls the time-travel button that returns to the newest line "Latest", apart from the Live mode', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await converse(page, input, [['EHLO client.example.com', '250-']]);
    const group = page.getByRole('group', { name: 'Time travel' });
    const latest = group.getByRole('button', { name: 'Latest' });
    expect(await latest.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Live', exact: true }).count()).toBe(0);
    await group.getByRole('button', { name: 'Step back' }).click();
    expect(await latest.getAttribute('aria-pressed')).toBe('false');
    await latest.click();
    expect(await latest.getAttribute('aria-pressed')).toBe('true');
  });

  it('explains a long reply in short paragraphs and a list, with its RFC links', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await converse(page, input, [['EHLO client.example.com', '250-']]);
    await page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]').last().click();
    const panel = page.getByRole('region', { name: 'Explanation' });
    const items = panel.locator('.main li');
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(6);
    expect(await panel.locator('.main p').first().textContent()).toMatch(/^250: the server accepted your EHLO and supports these \d+ extensions\.$/);
    for (const text of await items.allTextContents()) expect(text.length).toBeLessThan(200);
    expect(await panel.getByRole('link', { name: 'RFC 2920' }).getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc2920');
    await shoot(page, 'explanation-paragraphs');
  });

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
    { width: 390, height: 844 },
  ]) {
    it(`scrolls a course code block inside its box at ${viewport.width}×${viewport.height}`, async () => {
      const { page } = app;
      await page.setViewportSize(viewport);
      if (viewport.width < 800) await page.getByRole('tab', { name: /^Course/ }).click();
      await page.getByRole('button', { name: /All lessons/ }).click();
      await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: /The greeting/ }).click();
      // Lesson 2's greeting line is wider than the course column at every size.
      const pre = page.locator('.lesson pre').first();
      await pre.waitFor();
      const box = await pre.evaluate((element) => {
        const body = element.closest('.body');
        if (body === null) throw new Error('no lesson body');
        element.scrollLeft = 80;
        return {
          overflowing: element.scrollWidth > element.clientWidth,
          scrolled: element.scrollLeft,
          right: element.getBoundingClientRect().right,
          bodyRight: body.getBoundingClientRect().right,
          bodyOverflow: body.scrollWidth - body.clientWidth,
          pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
        };
      });
      expect(box.overflowing).toBe(true);
      expect(box.scrolled).toBeGreaterThan(0);
      expect(box.right).toBeLessThanOrEqual(box.bodyRight + 0.5);
      expect(box.bodyOverflow).toBe(0);
      expect(box.pageOverflow).toBeLessThanOrEqual(0);
      await shoot(page, `code-block-${viewport.width}`);
    });
  }
});
