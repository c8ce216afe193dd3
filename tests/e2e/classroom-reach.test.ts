/**
 * Two classroom truths in Chromium against the real `smtp-lab serve --classroom`: the
 * dashboard tells the instructor how students reach the class (the flag to use when the server
 * listens on this machine only, else the join links they can open), and a removed student's
 * page is the removal notice alone. Servers stay on loopback; `--public-host` stands in for a
 * classroom name. SMALL_SHOTS=dir also saves screenshots.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { browserPerFile, setInstructorPassword, setupSecretOf } from './harness.ts';

const PASSWORD = 'correct horse battery staple';
const shots = process.env['SMALL_SHOTS'];
const suite = browserPerFile();
const pageErrors: string[] = [];


async function newPage(): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/** Starts a class server, sets the instructor's password on its dashboard; returns the dashboard and the class code. */
async function classWithDashboard(args: readonly string[] = []): Promise<{ server: ServeProcess; dashboard: Page; code: string }> {
  const server = await startServeProcess({ args: ['--classroom', ...args] });
  suite.servers.push(server);
  const secret = await setupSecretOf(server);
  const dashboard = await newPage();
  await dashboard.goto(`${server.httpBase}instructor`);
  return { server, dashboard, code: await setInstructorPassword(dashboard, secret, PASSWORD) };
}

describe('the classroom dashboard and a removed student', () => {
  it('names the flag to open a loopback-only server to the class, and a removed student sees only the notice', async () => {
    const { server, dashboard, code } = await classWithDashboard();
    const hint = dashboard.getByRole('region', { name: 'Reaching the class' });
    await expect.poll(() => hint.textContent()).toContain('listens on this machine only');
    expect(await hint.textContent()).toContain('npx smtp-lab serve --classroom --http-host 0.0.0.0');
    expect(await hint.textContent()).toContain('--public-host NAME');
    if (shots) await dashboard.screenshot({ path: `${shots}/dashboard-loopback.png` });

    const ana = await newPage();
    await ana.goto(`${server.httpBase}join/${code}`);
    await ana.getByRole('textbox', { name: /Your name/ }).fill('Ana');
    await ana.getByRole('button', { name: 'Join the class' }).click();
    await expect.poll(() => ana.getByRole('region', { name: 'Your class' }).count(), { timeout: 15_000 }).toBe(1);
    await ana.locator('.monaco-editor textarea').waitFor({ state: 'attached', timeout: 15_000 });

    await dashboard.getByRole('tab', { name: /Roster/ }).click();
    await dashboard.getByRole('button', { name: 'Remove Ana' }).click();
    await dashboard.getByRole('alertdialog', { name: 'Remove Ana from the class?' }).getByRole('button', { name: 'Remove Ana' }).click();

    const notice = ana.getByRole('alertdialog', { name: 'You are no longer in this class' });
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(true);
    // Nothing of the app is left on the page: no console, no conversation, no header.
    expect(await ana.getByRole('textbox', { name: 'SMTP console' }).count()).toBe(0);
    expect(await ana.getByRole('log', { name: 'Transcript' }).count()).toBe(0);
    expect(await ana.getByRole('region', { name: 'Your class' }).count()).toBe(0);
    expect(await ana.getByRole('button').count()).toBe(0);
    expect((await ana.locator('body').innerText()).trim()).toBe((await notice.innerText()).trim());
    expect(await ana.getByRole('link', { name: 'Join again' }).getAttribute('href')).toBe('/');
    if (shots) await ana.screenshot({ path: `${shots}/removed.png` });
  });

  it('lists the join links students can open when the dashboard is open at localhost, and projects one of them', async () => {
    const { server, dashboard, code } = await classWithDashboard(['--public-host', 'class.example']);
    const port = new URL(server.httpBase).port;
    const link = `http://class.example:${port}/join/${code}`;
    const hint = dashboard.getByRole('region', { name: 'Reaching the class' });
    await expect.poll(() => hint.textContent()).toContain(`Students cannot open 127.0.0.1`);
    expect(await hint.getByRole('listitem').allTextContents()).toEqual([link]);
    expect(await dashboard.getByRole('region', { name: 'Join the class' }).getByRole('link').textContent()).toBe(link);
    if (shots) await dashboard.screenshot({ path: `${shots}/dashboard-public-host.png` });
    expect(pageErrors).toEqual([]);
  });
});
