/**
 * `npm run screenshot`: keeps the README's opening true. Builds the app when stale, starts the
 * live process on free loopback ports with a throwaway data directory, plays a few lines in
 * Debian's Chromium as a learner would, and saves the learner page (1366×768, light theme) as
 * docs/learner-page.png; then writes the lesson list into README.md from lessons/.
 *
 *   npm run screenshot [-- --out PATH] [--readme PATH]
 *
 * Not run by the test suite (tests/e2e/readme.test.ts runs it into a temporary folder).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { startApp } from '../../server/app/start-app.ts';
import { loadServerConfig } from '../../server/config/load-server-config.ts';
import { currentLessonList, lessonListMarkdown, withLessonList } from '../lessons/readme-lessons.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureBuilt } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The lines the pictured learner has typed: greeted, identified, a sender and a recipient. */
const LINES = ['EHLO laptop.example', 'MAIL FROM:<ana@example.com>', 'RCPT TO:<bo@example.org>'];
/** How long to wait for one reply before giving up (the simulator answers at once). */
const REPLY_TIMEOUT_MS = 10_000;

const { values } = parseArgs({ options: { out: { type: 'string' }, readme: { type: 'string' } } });
const out = resolve(values.out ?? join(ROOT, 'docs/learner-page.png'));
const readmePath = resolve(values.readme ?? join(ROOT, 'README.md'));

await ensureBuilt();
const dataDir = mkdtempSync(join(tmpdir(), 'smtp-lab-screenshot-'));
const app = await startApp(loadServerConfig({ 'http-port': '0', 'smtp-port': '0', 'data-dir': dataDir }, {}));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  await page.goto(app.urls.http);
  await page.locator('.monaco-editor textarea').waitFor({ state: 'attached', timeout: 15_000 });
  const input = page.getByRole('textbox', { name: 'SMTP console' });
  for (const [index, line] of LINES.entries()) {
    await input.fill(line);
    await input.press('Enter');
    // The greeting is server line 1; the reply to line N is server line N + 2.
    await waitForServerLines(page, index + 2);
  }
  await page.getByRole('tab', { name: 'Explanation' }).click();
  await page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]').last().click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await app.close('screenshot taken');
  rmSync(dataDir, { recursive: true, force: true });
}

const readme = readFileSync(readmePath, 'utf8');
const list = lessonListMarkdown(join(ROOT, 'lessons'));
if (currentLessonList(readme) === list) {
  console.log(`${readmePath}: the lesson list is current`);
} else {
  writeFileSync(readmePath, withLessonList(readme, list));
  console.log(`${readmePath}: wrote the lesson list`);
}

/** Waits, bounded, until the transcript shows at least `count` server lines. */
async function waitForServerLines(page: Page, count: number): Promise<void> {
  const lines = page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]');
  const deadline = Date.now() + REPLY_TIMEOUT_MS;
  while ((await lines.count()) < count) {
    if (Date.now() > deadline) throw new Error(`no reply after ${REPLY_TIMEOUT_MS} ms: ${await lines.allTextContents()}`);
    await page.waitForTimeout(50);
  }
}
