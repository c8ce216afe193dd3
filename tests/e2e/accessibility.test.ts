/**
 * axe-core (WCAG 2.1 A and AA) in real Chromium against the real `smtp-lab serve`: no serious
 * or critical violation on the learner page (light and dark; the course open, its lesson list,
 * and every tab of the details with a stored message in them; on a phone, each panel; in live
 * mode the DNS editor with a Break it preview open, the Compare servers dialog, and the Journey
 * of a message a lab MX delivered), nor on
 * the classroom's pages
 * (the instructor's setup and dashboard with each of its tabs, the join page, a student's
 * learner page). A failure prints every violation with its elements.
 */
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir, startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { formatViolations, seriousViolations } from './axe.ts';
import { browserPerFile, consoleInput, converse, sendLine, setInstructorPassword, setupSecretOf, waitForGreeting } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };
const SCHEMES = ['light', 'dark'] as const;
const PASSWORD = 'correct horse battery staple';

const suite = browserPerFile();


/** A page in its own context, with the colour scheme and the CSP bypass axe needs; page errors are collected. */
async function openPage(url: string, colorScheme: 'light' | 'dark', errors: string[], viewport = VIEWPORT): Promise<Page> {
  const context = await suite.browser.newContext({ viewport, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.goto(url);
  return page;
}

/** Runs axe and adds a readable report to `failures` when something serious was found. */
async function audit(page: Page, where: string, failures: string[]): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length > 0) failures.push(formatViolations(where, violations));
}

function expectNoFailures(failures: readonly string[]): void {
  if (failures.length > 0) console.log(failures.join('\n\n'));
  expect(failures.length, `serious or critical WCAG 2.1 A/AA violations:\n\n${failures.join('\n\n')}`).toBe(0);
}

/** `visit` on a fresh page in each colour scheme; then no serious violation it audited, and no page error. */
async function inEachScheme(
  url: string,
  viewport: { width: number; height: number },
  visit: (page: Page, scheme: (typeof SCHEMES)[number], failures: string[]) => Promise<void>,
): Promise<void> {
  const failures: string[] = [];
  const errors: string[] = [];
  for (const scheme of SCHEMES) {
    const page = await openPage(url, scheme, errors, viewport);
    await visit(page, scheme, failures);
    await page.context().close();
  }
  expectNoFailures(failures);
  expect(errors).toEqual([]);
}

/** A tab of a tab list, selected and shown. */
async function showTab(page: Page, list: string, name: string): Promise<void> {
  const tab = page.getByRole('tablist', { name: list }).getByRole('tab', { name: new RegExp(`^${name}`) });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

/** A conversation that stores one message, so the transcript, envelope and mailbox have content. */
async function sendOneMessage(page: Page): Promise<void> {
  const input = await consoleInput(page);
  await converse(page, input, [
    ['EHLO laptop.example', '250'],
    ['MAIL FROM:<ana@example.com>', '250'],
    ['RCPT TO:<bo@example.com>', '250'],
    ['DATA', '354'],
  ]);
  for (const line of ['From: Ana <ana@example.com>', 'To: Bo <bo@example.com>', 'Subject: Checked by axe', '', 'Hello Bo.']) await sendLine(input, line);
  await sendLine(input, '.');
  // The Mailbox tab counts the stored message (the tab exists, hidden or not, in every layout).
  await expect.poll(() => page.locator('#tab-mailbox').textContent(), { timeout: 10_000 }).toContain('1');
}

const TWO_HOPS = [
  'Received: from mx.example.com (unknown [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 7904A16C052; Mon, 7 Dec 2026 14:05:00 +0000',
  'Received: from laptop.example.com (unknown [192.0.2.50]) by mx.example.com (Postfix) with ESMTPSA id 4A1B2C3D; Mon, 7 Dec 2026 14:00:00 +0000',
].join('\n');

/** The learner page: the course's lesson and list, then each details tab. */
async function auditLearnerPage(page: Page, where: string, failures: string[]): Promise<void> {
  await sendOneMessage(page);
  await audit(page, `${where}, course open on a lesson`, failures);
  const list = page.getByRole('button', { name: /All lessons/ });
  await list.click();
  await audit(page, `${where}, the lesson list`, failures);
  await page.getByRole('button', { name: /Back to lesson/ }).click();
  for (const tab of ['Statechart', 'Explanation', 'Envelope', 'Mailbox', 'Trail']) {
    await showTab(page, 'Details', tab);
    // Two hops five minutes apart: the hop cards and the highlighted long wait are audited too.
    if (tab === 'Trail') await page.getByLabel(/Message header/).fill(TWO_HOPS);
    if (tab === 'Mailbox') await page.getByRole('region', { name: 'Mailbox' }).getByText('Checked by axe').first().waitFor();
    if (tab === 'Envelope') await page.getByRole('tabpanel', { name: 'Envelope' }).getByText('bo@example.com').first().waitFor();
    await audit(page, `${where}, ${tab} tab`, failures);
  }
}

describe('accessibility of the learner page', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServeProcess();
    suite.servers.push(server);
  }, 60_000);

  for (const scheme of SCHEMES) {
    it(`has no serious or critical violation, ${scheme}`, async () => {
      const failures: string[] = [];
      const errors: string[] = [];
      const page = await openPage(server.httpBase, scheme, errors);
      await auditLearnerPage(page, `learner page (${scheme})`, failures);
      await page.context().close();
      expectNoFailures(failures);
      expect(errors).toEqual([]);
    });
  }

  it('has no serious or critical violation in the DNS editor (live, a preset previewed) or the Compare servers dialog, light and dark', async () => {
    await inEachScheme(server.httpBase, VIEWPORT, async (page, scheme, failures) => {
      await page.getByRole('radio', { name: 'Live' }).check();
      await waitForGreeting(page);
      await showTab(page, 'Details', 'DNS');
      await page.getByRole('region', { name: /^example\.net / }).waitFor();
      await audit(page, `DNS editor (${scheme})`, failures);
      await page.getByRole('button', { name: 'Null MX on example.net' }).click();
      await page.getByRole('region', { name: 'Preview: Null MX on example.net' }).waitFor();
      await audit(page, `DNS editor (${scheme}), a Break it preview`, failures);

      await converse(page, await consoleInput(page), [
        ['EHLO laptop.example', '250'],
        ['MAIL FROM:<ana@example.com>', '250'],
        ['DATA', '503'],
      ]);
      await page.getByRole('button', { name: 'Compare servers' }).click();
      const dialog = page.getByRole('dialog', { name: 'Compare servers' });
      await expect.poll(() => dialog.locator('tr.differs').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await audit(page, `Compare servers dialog (${scheme})`, failures);
    });
  });

  it('has no serious or critical violation in the Journey of a message a lab MX delivered, light and dark', async () => {
    // Straight to mx.example.net's loopback port (the app logs it), From a p=none domain.
    const port = Number(/lab network: .*mx\.example\.net 127\.0\.0\.1:(\d+)/.exec(server.stderr())?.[1]);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.outside.test', socketTimeout: 10_000 });
    await transport.sendMail({ from: 'news@p-none.example', to: 'bob@example.net', subject: 'Journey checked by axe', text: 'Hello.\n' }).finally(() => transport.close());
    await inEachScheme(server.httpBase, VIEWPORT, async (page, scheme, failures) => {
      await page.getByRole('radio', { name: 'Live' }).check();
      await waitForGreeting(page);
      await showTab(page, 'Details', 'Mailbox');
      const mailbox = page.getByRole('region', { name: 'Mailbox' });
      await mailbox.getByText('Journey checked by axe').first().click();
      await mailbox.getByRole('button', { name: 'Journey', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: "The message's journey" });
      await dialog.getByRole('region', { name: /^DMARC/ }).waitFor();
      await audit(page, `Journey dialog (${scheme}), the mailbox hop`, failures);
      await dialog.getByRole('list', { name: 'Hops, in order' }).getByRole('button').first().click();
      await audit(page, `Journey dialog (${scheme}), the MX hop`, failures);
    });
  });

  it('has no serious or critical violation on a phone, in each panel, light and dark', async () => {
    await inEachScheme(server.httpBase, { width: 390, height: 844 }, async (page, scheme, failures) => {
      await sendOneMessage(page);
      for (const panel of ['Course', 'Conversation', 'Details']) {
        await showTab(page, 'Panels', panel);
        await audit(page, `learner page on a phone (${scheme}), ${panel} panel`, failures);
      }
    });
  });
});

describe('accessibility of the classroom pages', () => {
  it('has no serious or critical violation on the setup, dashboard, join and student pages, light and dark', async () => {
    const server = await startServeProcess({ dataDir: freshDataDir(), args: ['--classroom'] });
    suite.servers.push(server);
    const secret = await setupSecretOf(server);
    const instructorUrl = `${server.httpBase}instructor`;
    const failures: string[] = [];
    const errors: string[] = [];

    const setup = await openPage(instructorUrl, 'light', errors);
    await setup.getByLabel('Setup secret').waitFor();
    await audit(setup, 'instructor setup (light)', failures);
    const code = await setInstructorPassword(setup, secret, PASSWORD);

    for (const scheme of SCHEMES) {
      const join = await openPage(`${server.httpBase}join/${code}`, scheme, errors);
      await join.getByRole('textbox', { name: /Your name/ }).waitFor();
      await audit(join, `join page (${scheme})`, failures);
      await join.getByRole('textbox', { name: /Your name/ }).fill(scheme === 'light' ? 'Ana' : 'Bo');
      await join.getByRole('button', { name: 'Join the class' }).click();
      await join.getByRole('region', { name: 'Your class' }).waitFor({ timeout: 15_000 });
      await consoleInput(join);
      await audit(join, `student learner page (${scheme})`, failures);
    }

    // The instructor's sign-in cookie is per context: sign in again in the dark one.
    for (const scheme of SCHEMES) {
      const dashboard = scheme === 'light' ? setup : await openPage(instructorUrl, scheme, errors);
      if (scheme === 'dark') {
        await audit(dashboard, 'instructor sign-in (dark)', failures);
        await dashboard.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await dashboard.getByRole('button', { name: /Sign in/ }).click();
      }
      await dashboard.getByLabel(/^Class code /).waitFor({ timeout: 10_000 });
      await expect.poll(() => dashboard.getByRole('table', { name: 'Roster' }).locator('tr[data-student-id]').count(), { timeout: 10_000 }).toBe(2);
      for (const [list, tab] of [['Students', 'Roster'], ['Students', 'Progress grid'], ['Students', 'Lab world'], ['Class controls', 'Lessons'], ['Class controls', 'Message'], ['Class controls', 'Server']] as const) {
        await showTab(dashboard, list, tab);
        if (tab === 'Lab world') {
          // With the starting zone's DNS editor open: the card and the editor are audited together.
          await dashboard.getByRole('button', { name: 'Edit the starting zone' }).click();
          await dashboard.getByRole('region', { name: /^example\.com / }).waitFor({ timeout: 10_000 });
        }
        await audit(dashboard, `instructor dashboard (${scheme}), ${tab} tab`, failures);
      }
    }
    expectNoFailures(failures);
    expect(errors).toEqual([]);
  });
});
