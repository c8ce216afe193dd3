/**
 * End-to-end harness: the production build (built once, only when stale), the real
 * `smtp-lab serve`, and Debian's Chromium driven by playwright-core. A missing browser fails
 * the run: launching it throws.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOCK = fileURLToPath(new URL('../../dist/.web-build-lock', import.meta.url));

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A lock without an owner file this old was left by a run killed between mkdir and write. */
const OWNERLESS_LOCK_MS = 10_000;

/** True when the lock's owner is gone: its pid is dead, or it never wrote one long ago. */
function lockIsStale(): boolean {
  try {
    const owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    // Not a pid yet (being written): alive. kill(0) only asks whether the process exists.
    if (!Number.isInteger(owner) || owner <= 0) return false;
    process.kill(owner, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true;
    if (code !== 'ENOENT') return false;
    try {
      return Date.now() - statSync(LOCK).mtimeMs > OWNERLESS_LOCK_MS;
    } catch {
      return false;
    }
  }
}

/** Creates the lock directory with this process's pid in it; false when it exists already. */
function tookLock(): boolean {
  try {
    mkdirSync(LOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(LOCK, 'pid'), String(process.pid));
  return true;
}

/**
 * Builds dist/web unless it is up to date; one test file at a time builds (a lock directory
 * holding the builder's pid). A lock whose owner died (a killed run) is taken over at once
 * instead of costing the whole wait.
 */
export async function ensureBuilt(): Promise<void> {
  mkdirSync(fileURLToPath(new URL('../../dist', import.meta.url)), { recursive: true });
  const deadline = Date.now() + 180_000;
  while (!tookLock()) {
    if (lockIsStale()) rmSync(LOCK, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 250));
    if (Date.now() > deadline) throw new Error(`another build holds ${LOCK}; remove it if no build is running`);
  }
  try {
    const result = spawnSync(process.execPath, ['web/build-if-stale.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Launches headless Chromium; throws (failing the test) when it is not installed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** The app served by a real `smtp-lab serve`, with a fresh page for each test. */
export interface ServedApp {
  /** Replace it after restarting the server, so the suite stops the right process. */
  server: ServeProcess;
  browser: Browser;
  page: Page;
}

/**
 * Registers the hooks a browser suite needs: build the app, start the server and Chromium once,
 * open a 1366×768 page on the app before each test, and fail a test whose page threw.
 */
export function servedAppPerTest(): ServedApp {
  const app = {} as ServedApp;
  let pageErrors: string[] = [];
  beforeAll(async () => {
    await ensureBuilt();
    app.server = await startServeProcess();
    app.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await app.browser?.close();
    await app.server?.stop();
  });
  beforeEach(async () => {
    app.page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    pageErrors = [];
    app.page.on('pageerror', (error) => pageErrors.push(error.message));
    await app.page.goto(app.server.httpBase);
  });
  afterEach(async () => {
    await app.page.close();
    expect(pageErrors).toEqual([]);
  });
  return app;
}

/** The console input (the accessibility contract's name), once Monaco has replaced the plain one. */
export async function consoleInput(page: Page): Promise<Locator> {
  await page.locator('.monaco-editor textarea').waitFor({ state: 'attached', timeout: 15_000 });
  const input = page.getByRole('textbox', { name: 'SMTP console' });
  await expect.poll(() => input.count()).toBe(1);
  return input;
}

/** Types one line into the console and presses Enter, as a learner would. */
export async function sendLine(input: Locator, line: string): Promise<void> {
  await input.fill(line);
  await input.press('Enter');
}

/** The text of the "Session state" status. */
export function sessionState(page: Page): Locator {
  return page.getByRole('status', { name: 'Session state' });
}

/** Waits until the server lines in the transcript include one starting with `prefix`. */
export async function waitForServerLine(page: Page, prefix: string, count = 1): Promise<void> {
  const lines = page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]');
  await expect
    .poll(async () => (await lines.allTextContents()).filter((text) => text.trimStart().startsWith(prefix)).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(count);
}

/** The highest transcript index shown so far (-1 for none): entries after it are newer. */
async function lastTranscriptIndex(page: Page): Promise<number> {
  const entries = page.getByRole('log', { name: 'Transcript' }).locator('[data-index]');
  return entries.evaluateAll((elements) => Math.max(-1, ...elements.map((element) => Number((element as HTMLElement).dataset.index))));
}

/** The lines of the server replies entered into the transcript after index `after`. */
async function serverLinesAfter(page: Page, after: number): Promise<string[]> {
  const entries = page.getByRole('log', { name: 'Transcript' }).locator('[data-index]');
  return entries.evaluateAll(
    (elements, last) =>
      elements
        .filter((element) => Number((element as HTMLElement).dataset.index) > last)
        .flatMap((element) => [...element.querySelectorAll('[data-from="server"]')].map((line) => line.textContent ?? '')),
    after,
  );
}

/**
 * Plays a conversation, waiting after each command for the reply that answers it: a reply
 * entered after the command was sent, so an earlier line with the same prefix (EHLO's
 * "250 SIZE" for MAIL's "250") cannot satisfy the wait. The steps without a reply are message
 * lines, which get none, so the first new reply is this command's.
 */
export async function converse(page: Page, input: Locator, steps: readonly (readonly [line: string, reply: string | null])[]): Promise<void> {
  for (const [line, reply] of steps) {
    const before = await lastTranscriptIndex(page);
    await sendLine(input, line);
    if (reply === null) continue;
    await expect
      .poll(async () => (await serverLinesAfter(page, before)).some((text) => text.trimStart().startsWith(reply)), { timeout: 10_000, message: `a reply starting "${reply}" to ${line}` })
      .toBe(true);
  }
}

/** Types a line and presses Enter; a visible completion list is closed first, so Enter sends what was typed. */
export async function typeLine(page: Page, input: Locator, line: string): Promise<void> {
  await input.fill(line);
  if (await page.locator('.monaco-editor .suggest-widget.visible').isVisible()) await input.press('Escape');
  await input.press('Enter');
}

/** Waits until the session has the server's greeting. */
export async function waitForGreeting(page: Page): Promise<void> {
  await expect.poll(() => sessionState(page).textContent(), { timeout: 15_000 }).toContain('Greeted');
}

export interface BrowserSuite {
  browser: Browser;
  /** Servers the suite started; each is stopped after the last test. */
  readonly servers: ServeProcess[];
}

/** Registers the hooks of a suite that starts its own servers: the app built and Chromium launched once. */
export function browserPerFile(): BrowserSuite {
  const suite = { servers: [] } as unknown as BrowserSuite;
  beforeAll(async () => {
    await ensureBuilt();
    suite.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await suite.browser?.close();
    await Promise.all(suite.servers.map((server) => server.stop()));
  });
  return suite;
}

/** The one-time setup secret a classroom server printed at start. */
export async function setupSecretOf(server: ServeProcess): Promise<string> {
  const secret = /setup secret:\s*\n\s*(\S+)/;
  await expect.poll(() => secret.test(server.stdout()), { timeout: 10_000 }).toBe(true);
  return secret.exec(server.stdout())?.[1] ?? '';
}

/** Chooses the instructor's password on the setup page open in `page`; resolves with the class code the dashboard then shows. */
export async function setInstructorPassword(page: Page, secret: string, password: string): Promise<string> {
  await page.getByLabel('Setup secret').fill(secret);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password again').fill(password);
  await page.getByRole('button', { name: /Set the password/ }).click();
  const codeBox = page.getByLabel(/^Class code /);
  await expect.poll(() => codeBox.count(), { timeout: 10_000 }).toBe(1);
  return (await codeBox.innerText()).trim();
}

