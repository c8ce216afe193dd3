/**
 * The class cookie is the only credential a student's browser holds, and no script can read
 * it: after joining in real Chromium, neither the join response nor document.cookie,
 * localStorage, sessionStorage or IndexedDB holds the token, and the API still knows the
 * student. A token an earlier version kept in localStorage is wiped when the page loads.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { ensureBuilt, launchChromium } from './harness.ts';

const LEGACY_KEY = 'smtp-lab.class-token';

let server: ServeProcess;
let browser: Browser;

/** Sets the instructor up with the printed secret and reads the join code. */
async function joinCodeOfNewClass(): Promise<string> {
  await expect.poll(() => /setup secret:\s*\n\s*\S+/.test(server.stdout()), { timeout: 10_000 }).toBe(true);
  const secret = /setup secret:\s*\n\s*(\S+)/.exec(server.stdout())?.[1];
  const setup = await fetch(new URL('/api/instructor/setup', server.httpBase), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret, password: 'correct horse battery staple' }),
  });
  expect(setup.status).toBe(201);
  const cookie = setup.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const overview = await fetch(new URL('/api/classroom/overview', server.httpBase), { headers: { cookie } });
  return ((await overview.json()) as { joinCode: string }).joinCode;
}

beforeAll(async () => {
  await ensureBuilt();
  server = await startServeProcess({ args: ['--classroom'] });
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the class credential', () => {
  it('lives only in the HttpOnly cookie: nothing a script can read holds it, and the API still works', async () => {
    const joinCode = await joinCodeOfNewClass();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // A token left behind by an earlier version of the app.
      await page.goto(server.httpBase);
      await page.evaluate((key) => localStorage.setItem(key, 'left-by-an-earlier-version'), LEGACY_KEY);

      await page.goto(new URL(`/join/${joinCode}`, server.httpBase).href);
      expect(await page.evaluate((key) => localStorage.getItem(key), LEGACY_KEY)).toBeNull();
      const joinBody = page.waitForResponse((response) => response.url().endsWith('/api/class/join')).then((response) => response.text());
      await page.getByRole('textbox', { name: /Your name/ }).fill('Ana');
      await page.getByRole('button', { name: 'Join the class' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 15_000 }).toContain('Your class address: ana@');

      const cookie = (await context.cookies()).find((candidate) => candidate.name === 'smtp_lab_student');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      const token = cookie!.value;
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(await joinBody).not.toContain(token);

      const readable = await page.evaluate(async () => {
        const dump = (storage: Storage) => Object.entries(storage);
        const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
        return {
          cookie: document.cookie,
          local: dump(localStorage),
          session: dump(sessionStorage),
          databases: databases.map((database) => database.name ?? ''),
        };
      });
      expect(JSON.stringify(readable)).not.toContain(token);
      expect(readable.cookie).not.toContain('smtp_lab_student');
      expect(readable.local.map(([key]) => key)).not.toContain(LEGACY_KEY);

      // The cookie alone keeps the student in: the API answers, and a reload is the same student.
      const me = await page.evaluate(async () => {
        const response = await fetch('/api/me');
        return { status: response.status, name: ((await response.json()) as { student?: { displayName?: string } }).student?.displayName };
      });
      expect(me).toEqual({ status: 200, name: 'Ana' });
      await page.reload();
      await expect.poll(() => page.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 15_000 }).toContain('Your class address: ana@');
      expect(JSON.stringify(await page.evaluate(() => [document.cookie, Object.entries(localStorage), Object.entries(sessionStorage)]))).not.toContain(token);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
