/**
 * The learner's core loop in real Chromium: type, read the reply. The newest line stays in view
 * through sends, replies and layout changes until the learner scrolls up; refused commands
 * explain themselves; a closed connection has one notice; the credentials helper gives the
 * console its focus back.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, sendLine, servedAppPerTest, sessionState, waitForServerLine } from './harness.ts';

const app = servedAppPerTest();

/** Where the newest transcript line is, relative to the transcript's visible box. */
async function newestLine(page: Page): Promise<{ index: number; visible: boolean; scrollTop: number }> {
  return page.evaluate(() => {
    const log = document.querySelector<HTMLElement>('[role="log"][aria-label="Transcript"]');
    const scroller = log?.parentElement;
    if (!log || !scroller) throw new Error('no transcript');
    const lines = [...log.querySelectorAll<HTMLElement>('[data-index]')].filter((line) => line.getClientRects().length > 0);
    const newest = lines.reduce<HTMLElement | null>((best, line) => (best === null || Number(line.dataset['index']) > Number(best.dataset['index']) ? line : best), null);
    // None drawn: the conversation is behind another tab (a phone's course view).
    if (newest === null) return { index: -1, visible: false, scrollTop: scroller.scrollTop };
    const box = scroller.getBoundingClientRect();
    const line = newest.getBoundingClientRect();
    return { index: Number(newest.dataset['index']), visible: line.top >= box.top - 1 && line.bottom <= box.bottom + 1, scrollTop: scroller.scrollTop };
  });
}

/** Waits for the transcript to hold `count` entries, then says whether the newest is in view. */
async function expectNewestInView(page: Page, count: number, when: string): Promise<void> {
  await expect.poll(async () => (await newestLine(page)).index, { timeout: 10_000 }).toBeGreaterThanOrEqual(count - 1);
  await expect.poll(async () => (await newestLine(page)).visible, { timeout: 2000, message: `newest line out of view ${when}` }).toBe(true);
}

async function entryCount(page: Page): Promise<number> {
  return (await newestLine(page)).index + 1;
}

/** 25 commands with a message in the middle and the layout changing on the way. */
async function playTwentyFive(page: Page, input: Locator): Promise<void> {
  const commands: [string, string | null][] = [
    ['EHLO client.example.com', '250-'],
    ['MAIL FROM:<ana@example.com>', '250 2.1.0'],
    ['RCPT TO:<bo@example.org>', '250 2.1.5'],
    ['DATA', '354'],
    ['Subject: follow the newest line', null],
    ['', null],
    ...[1, 2, 3, 4, 5, 6].map((n): [string, null] => [`Body line ${n}`, null]),
    ['.', '250 2.6.0'],
    ...Array.from({ length: 12 }, (): [string, string] => ['NOOP', '250 2.0.0']),
  ];
  expect(commands).toHaveLength(25);
  let noops = 0;
  for (const [position, [line, reply]] of commands.entries()) {
    const before = await entryCount(page);
    await sendLine(input, line);
    if (reply !== null) {
      const count = reply === '250 2.0.0' ? ++noops : 1;
      await waitForServerLine(page, reply, count);
    }
    await expectNewestInView(page, before + (reply === null ? 1 : 2), `after "${line}"`);
    // Layout changes below and inside the transcript: a click on a line, the replay link panel.
    if (position === 8) {
      await page.getByRole('log', { name: 'Transcript' }).locator('[data-index="2"]').click();
      await expectNewestInView(page, before + 1, 'after a click on a line');
      await input.focus();
    }
    if (position === 15) {
      await page.getByRole('button', { name: 'Copy replay link' }).click();
      await page.getByRole('group', { name: 'Replay link' }).waitFor();
      await expectNewestInView(page, before + 2, 'after the replay link panel opened');
    }
    if (position === 18) {
      await page.getByRole('group', { name: 'Replay link' }).getByRole('button', { name: 'Done' }).click();
      await expectNewestInView(page, before + 2, 'after the replay link panel closed');
    }
  }
}

describe('the core loop in Chromium', () => {
  for (const [width, height] of [
    [1366, 768],
    [1024, 768],
    [390, 844],
  ] as const) {
    it(`keeps the newest line in view at ${width}×${height} until the learner scrolls up, and again once back at the bottom`, async () => {
      const { page } = app;
      await page.setViewportSize({ width, height });
      const input = await consoleInput(page);
      // On a phone the course is in front; the first send brings the conversation forward.
      await expect.poll(() => sessionState(page).textContent()).toContain('Greeted');
      await playTwentyFive(page, input);

      const scroller = page.getByRole('log', { name: 'Transcript' }).locator('xpath=..');
      await scroller.hover();
      await page.mouse.wheel(0, -400);
      const jump = page.getByRole('button', { name: /Jump to the newest line/ });
      await jump.waitFor();
      const readingAt = (await newestLine(page)).scrollTop;
      expect((await newestLine(page)).visible).toBe(false);

      await sendLine(input, 'NOOP');
      await waitForServerLine(page, '250 2.0.0', 13);
      await expect.poll(async () => (await newestLine(page)).visible).toBe(false);
      expect(Math.abs((await newestLine(page)).scrollTop - readingAt)).toBeLessThan(4);

      await scroller.hover();
      await page.mouse.wheel(0, 100_000);
      await expect.poll(() => jump.count()).toBe(0);
      const before = await entryCount(page);
      await sendLine(input, 'NOOP');
      await waitForServerLine(page, '250 2.0.0', 14);
      await expectNewestInView(page, before + 2, 'after returning to the bottom');
    });
  }

  it('shows the grammar diagnosis of a refused command under the line and in the Explanation panel, without a click', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await converse(page, input, [['EHOL client.example.com', '500']]);
    const log = page.getByRole('log', { name: 'Transcript' });
    const note = log.getByRole('note', { name: 'Why it was refused' });
    await expect.poll(() => note.textContent()).toContain('Did you mean EHLO?');
    expect(await note.textContent()).toContain('EHLO client.example.com');
    const explanation = page.getByRole('region', { name: 'Explanation' });
    expect(await page.getByRole('tab', { name: 'Explanation' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => explanation.textContent()).toContain('is not an SMTP command');

    await converse(page, input, [
      ['EHLO client.example.com', '250-'],
      ['MAIL FROM: bob@x', '501'],
    ]);
    await expect.poll(() => note.count()).toBe(2);
    expect(await note.last().textContent()).toContain('angle brackets');
    await expect.poll(() => explanation.textContent()).toContain('angle brackets');
    // A line the grammar finds fine gets no note, whatever the reply.
    await converse(page, input, [['RCPT TO:<bo@example.org>', '503']]);
    expect(await note.count()).toBe(2);
  });

  it('completes a lesson with QUIT: one closed notice, no "try again", and the layout above stays put', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await waitForServerLine(page, '220');
    const workspaceTop = async (): Promise<number> => (await page.locator('main.workspace').boundingBox())?.y ?? -1;
    const top = await workspaceTop();
    await converse(page, input, [
      ['NOOP', '250 2.0.0'],
      ['QUIT', '221'],
    ]);
    const notice = page.getByRole('group', { name: 'Connection closed' });
    await notice.waitFor();
    await page.getByRole('group', { name: 'Lesson complete' }).waitFor();
    expect(await notice.count()).toBe(1);
    expect(await notice.getByRole('button', { name: 'New session' }).isVisible()).toBe(true);
    expect(await page.locator('body').innerText()).not.toMatch(/try again/i);
    // The console's old banner and the page-wide notice are gone: this group is the only one.
    expect(await page.getByRole('note', { name: 'Connection closed' }).count()).toBe(0);
    expect(await page.locator('.notices').count()).toBe(0);
    expect(await workspaceTop()).toBe(top);
    const lastLine = await newestLine(page);
    expect(lastLine.visible).toBe(true);
  });

  it('offers to send a line typed after the close in a new session', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await converse(page, input, [['QUIT', '221']]);
    const notice = page.getByRole('group', { name: 'Connection closed' });
    await notice.waitFor();
    await sendLine(input, 'EHLO again.example.com');
    await expect.poll(() => notice.textContent()).toContain('EHLO again.example.com');
    await notice.getByRole('button', { name: 'New session and send' }).click();
    await waitForServerLine(page, '250-');
    const clientLines = await page.getByRole('log', { name: 'Transcript' }).locator('[data-from="client"]').allTextContents();
    expect(clientLines).toEqual(['EHLO again.example.com']);
    expect(await notice.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null)).toBe(true);

    // The notice's own New session button starts a session and gives the console the focus.
    await converse(page, input, [['QUIT', '221']]);
    await notice.getByRole('button', { name: 'New session' }).click();
    await waitForServerLine(page, '220');
    expect(await notice.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null)).toBe(true);
  });

  it('gives the console the focus after Insert in the credentials helper, so Enter sends the line', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    await converse(page, input, [['EHLO client.example.com', '250-']]);
    await page.getByRole('button', { name: 'Encode credentials…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Encode credentials for AUTH' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Insert' }).first().click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null)).toBe(true);
    await page.keyboard.press('Enter');
    await waitForServerLine(page, '235');
    expect(await dialog.isVisible()).toBe(false);
  });

  it('says in the empty console what to type while writing the message', async () => {
    const { page } = app;
    const input = await consoleInput(page);
    const placeholder = page.locator('.console .monaco-editor').getByText(/Type an SMTP command|Message lines/);
    await expect.poll(() => placeholder.textContent()).toContain('Type an SMTP command');
    await converse(page, input, [
      ['EHLO client.example.com', '250-'],
      ['MAIL FROM:<ana@example.com>', '250 2.1.0'],
      ['RCPT TO:<bo@example.org>', '250 2.1.5'],
      ['DATA', '354'],
    ]);
    await expect.poll(() => placeholder.textContent()).toBe('Message lines — a line with just . ends the message');
  });
});
