/**
 * "Show solution" in real Chromium: it asks first (Cancel plays nothing), a completion with it
 * is kept apart from one of the learner's own in the course list and in the instructor's
 * grid, the played solution leaves the connection open (NOOP gets 250, in simulated and live
 * mode), and a reload lands on the next unfinished lesson unless `?lesson=` names one.
 * SOLUTION_SHOTS=dir also saves screenshots of the course list and the grid with both marks.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startServeProcess } from '../server/app/serve-process.ts';
import { browserPerFile, consoleInput, sessionState, setInstructorPassword, setupSecretOf, typeLine, waitForGreeting, waitForServerLine } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };
const PASSWORD = 'correct horse battery staple';
const SHOTS = process.env['SOLUTION_SHOTS'] ?? null;

const suite = browserPerFile();
const pageErrors: string[] = [];


async function newPage(): Promise<Page> {
  const page = await suite.browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

function clientLines(page: Page): Locator {
  return page.getByRole('log', { name: 'Transcript' }).locator('[data-from="client"]');
}

function courseOf(page: Page): Locator {
  return page.getByRole('region', { name: 'Course' });
}

/** Lesson 1 typed by the learner: NOOP, QUIT, complete; then on to lesson 2. */
async function finishLessonOneAlone(page: Page): Promise<void> {
  const input = await consoleInput(page);
  await waitForGreeting(page);
  await typeLine(page, input, 'NOOP');
  await waitForServerLine(page, '250');
  await typeLine(page, input, 'QUIT');
  await waitForServerLine(page, '221');
  const success = page.getByRole('group', { name: 'Lesson complete' });
  await expect.poll(() => success.textContent(), { timeout: 10_000 }).toContain('Well done');
  await page.getByRole('button', { name: /Next lesson/ }).click();
  await expect.poll(() => courseOf(page).textContent()).toContain('Lesson 2 of 33');
}

/**
 * Lesson 2 by the solution: asked, cancelled (nothing typed), asked again and shown. The
 * lesson completes "with the solution", its QUIT is left out, and NOOP still gets 250.
 */
async function solveLessonTwoWithTheSolution(page: Page): Promise<void> {
  const course = courseOf(page);
  await waitForGreeting(page);
  const ask = course.getByRole('group', { name: /Show the solution\?/ });
  await course.getByRole('button', { name: 'Show solution' }).click();
  expect(await ask.textContent()).toContain('counts as completed with the solution');
  // Focus is on Cancel: a second Enter does not play it.
  expect(await ask.getByRole('button', { name: 'Cancel' }).evaluate((button) => button === document.activeElement)).toBe(true);
  await ask.getByRole('button', { name: 'Cancel' }).click();
  expect(await ask.count()).toBe(0);
  expect(await course.getByRole('button', { name: 'Stop the solution' }).count()).toBe(0);
  expect(await clientLines(page).count()).toBe(0);

  await course.getByRole('button', { name: 'Show solution' }).click();
  if (SHOTS !== null) await page.screenshot({ path: `${SHOTS}/confirm-step.png` });
  await ask.getByRole('button', { name: 'Show the solution' }).click();
  const success = page.getByRole('group', { name: 'Lesson complete' });
  await expect.poll(() => success.textContent(), { timeout: 20_000 }).toContain('Lesson complete with the solution.');
  // The player has finished when "Show solution" is back.
  await course.getByRole('button', { name: 'Show solution' }).waitFor({ timeout: 20_000 });
  expect((await clientLines(page).allTextContents()).map((text) => text.trim())).toEqual(['MAIL FROM:<you@example.com>', 'EHLO laptop.example']);
  expect(await sessionState(page).textContent()).not.toContain('Closed');

  const input = await consoleInput(page);
  const replies = page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]');
  const before = (await replies.allTextContents()).filter((text) => text.trimStart().startsWith('250 ')).length;
  await typeLine(page, input, 'NOOP');
  await waitForServerLine(page, '250 ', before + 1);
  expect((await clientLines(page).allTextContents()).map((text) => text.trim()).at(-1)).toBe('NOOP');
  if (SHOTS !== null) await page.screenshot({ path: `${SHOTS}/completed-with-solution.png` });
}

describe('"Show solution" in Chromium', () => {
  it('asks first, counts a completion with it apart, leaves the connection open, and a reload lands on the next unfinished lesson', async () => {
    const server = await startServeProcess();
    suite.servers.push(server);
    const page = await newPage();
    await page.goto(server.httpBase);
    await finishLessonOneAlone(page);
    await solveLessonTwoWithTheSolution(page);

    const course = courseOf(page);
    await page.getByRole('button', { name: /All lessons/ }).click();
    const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('button');
    expect(await lessons.evaluateAll((buttons) => buttons.slice(0, 3).map((button) => button.getAttribute('data-status')))).toEqual([
      'done',
      'done-with-solution',
      'not-started',
    ]);
    expect(await lessons.nth(0).locator('.status').textContent()).toBe('Done');
    expect(await lessons.nth(1).locator('.status').textContent()).toContain('Done with the solution');
    expect(await course.textContent()).toContain('2 of 33 done');
    if (SHOTS !== null) await course.screenshot({ path: `${SHOTS}/course-list-marks.png` });

    // A reload lands on the next unfinished lesson: lesson 3, not the finished lesson 2.
    await page.reload();
    await consoleInput(page);
    await expect.poll(() => course.textContent()).toContain('Lesson 3 of 33');
    expect(await course.textContent()).toContain('2 of 33 done');

    // A URL that names a lesson opens that one.
    await page.goto(`${server.httpBase}?lesson=the-greeting`);
    await consoleInput(page);
    await expect.poll(() => course.textContent()).toContain('Lesson 2 of 33');
    expect(await course.locator('.kicker').textContent()).toMatch(/completed .+ with the solution/);

    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows "with the solution" in the instructor\'s grid, and the live sandbox keeps the connection open too', async () => {
    const server = await startServeProcess({ args: ['--classroom'] });
    suite.servers.push(server);
    const secret = await setupSecretOf(server);

    const dashboard = await newPage();
    await dashboard.goto(`${server.httpBase}instructor`);
    const code = await setInstructorPassword(dashboard, secret, PASSWORD);

    const student = await newPage();
    await student.goto(`${server.httpBase}join/${code}`);
    await student.getByRole('textbox', { name: /Your name/ }).fill('Ana');
    await student.getByRole('button', { name: 'Join the class' }).click();
    await expect.poll(() => student.getByRole('region', { name: 'Your class' }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => student.getByRole('radio', { name: 'Live' }).isChecked()).toBe(true);
    await finishLessonOneAlone(student);
    await solveLessonTwoWithTheSolution(student);

    await dashboard.getByRole('tab', { name: 'Progress grid' }).click();
    const grid = dashboard.getByRole('table', { name: 'Progress grid' });
    await expect.poll(() => grid.locator('td[data-kind="solution"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await grid.locator('td[data-kind="done"]').count()).toBe(1);
    expect(await grid.locator('td[data-kind="solution"]').getAttribute('aria-label')).toBe('Ana, The greeting: done with the solution');
    expect(await dashboard.locator('.legend').textContent()).toContain('◐ done with the solution');
    if (SHOTS !== null) await dashboard.screenshot({ path: `${SHOTS}/instructor-grid-marks.png` });

    const csv = await (await dashboard.context().request.get(`${server.httpBase}api/classroom/progress.csv`)).text();
    expect(csv.split('\r\n')[1]).toMatch(/,completed,completed with the solution,/);
    expect(pageErrors).toEqual([]);
  }, 150_000);
});
