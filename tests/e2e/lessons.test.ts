/**
 * The guided course in real Chromium: a learner completes the first three lessons by typing
 * into the console, uses a hint, reloads the page, finds the progress kept and lands on the
 * next unfinished lesson.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { consoleInput, ensureBuilt, launchChromium, typeLine, waitForGreeting, waitForServerLine } from './harness.ts';

let server: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  server = await startServeProcess();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The objective bar beside the console. */
function objective(page: Page): Locator {
  return page.getByRole('region', { name: 'Lesson objective' });
}

async function expectComplete(page: Page, learned: string): Promise<void> {
  const success = page.getByRole('group', { name: 'Lesson complete' });
  await expect.poll(() => success.isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await success.textContent()).toContain(learned);
}

describe('the guided course in Chromium', () => {
  it('completes three lessons by typing, uses a hint, and keeps the progress across a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.httpBase);
    const input = await consoleInput(page);
    const course = page.getByRole('region', { name: 'Course' });

    // Lesson 1: a newcomer lands on the first lesson, its objective beside the console.
    await expect.poll(() => course.textContent()).toContain('Lesson 1 of 33');
    expect(await objective(page).textContent()).toContain('Ask the server to do nothing with NOOP');
    await waitForGreeting(page);
    await typeLine(page, input, 'NOOP');
    await waitForServerLine(page, '250');
    await expect.poll(() => objective(page).textContent()).toContain('Not yet: the server has not answered QUIT with 221');
    await typeLine(page, input, 'QUIT');
    await waitForServerLine(page, '221');
    await expectComplete(page, 'SMTP is a conversation in lines.');
    await page.getByRole('button', { name: /Next lesson/ }).click();

    // Lesson 2, with a hint.
    await expect.poll(() => course.textContent()).toContain('Lesson 2 of 33');
    await page.getByRole('button', { name: /Show a hint/ }).click();
    const hints = page.getByRole('list', { name: 'Hints' });
    expect(await hints.textContent()).toContain('The server spoke first.');
    await waitForGreeting(page);
    await typeLine(page, input, 'MAIL FROM:<you@example.com>');
    await waitForServerLine(page, '503');
    await typeLine(page, input, 'EHLO laptop.example');
    await waitForServerLine(page, '250-');
    await expectComplete(page, 'The server speaks first with a 220 greeting.');
    await page.getByRole('button', { name: /Next lesson/ }).click();

    // Lesson 3.
    await expect.poll(() => course.textContent()).toContain('Lesson 3 of 33');
    await waitForGreeting(page);
    await typeLine(page, input, 'HELO laptop.example');
    await waitForServerLine(page, '250 ');
    await typeLine(page, input, 'EHLO laptop.example');
    await waitForServerLine(page, '250-');
    await expectComplete(page, 'HELO is the original greeting');
    expect(await course.textContent()).toContain('3 of 33 done');

    // Reload: the progress and the hint used are kept; lesson 3 is done, so lesson 4 opens.
    await page.reload();
    await consoleInput(page);
    await expect.poll(() => course.textContent()).toContain('3 of 33 done');
    expect(await course.textContent()).toContain('Lesson 4 of 33');
    await page.getByRole('button', { name: /All lessons/ }).click();
    const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('button');
    expect(await lessons.count()).toBe(33);
    const statuses = await lessons.evaluateAll((buttons) => buttons.slice(0, 4).map((button) => button.getAttribute('data-status')));
    expect(statuses).toEqual(['done', 'done', 'done', 'in-progress']);
    await lessons.nth(1).click();
    await expect.poll(() => course.textContent()).toContain('Lesson 2 of 33');
    expect(await page.getByRole('list', { name: 'Hints' }).textContent()).toContain('Hint 1 of 3');

    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("keeps a lesson with its own server setup in Simulated mode, and says so", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.httpBase);
    await consoleInput(page);
    await page.getByRole('button', { name: /All lessons/ }).click();
    await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: /SIZE and 552/ }).click();
    await page.getByRole('radio', { name: 'Live' }).click();
    await expect.poll(() => page.getByText("This lesson's server setup runs in Simulated mode").count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'Simulated' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Live' }).isChecked()).toBe(false);
    const input = await consoleInput(page);
    await waitForGreeting(page);
    await typeLine(page, input, 'EHLO laptop.example');
    await waitForServerLine(page, '250-');
    expect(await page.getByRole('log', { name: 'Transcript' }).textContent()).toContain('SIZE 1000');
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
