/**
 * The journey in simulated mode, in Chromium: with no lab server behind the page (the app is
 * served, but the console stays in Simulated mode), the learner sends to bob@example.net in the
 * console; the page's relay resolves example.net's MX in its own zone and talks SMTP to a
 * simulated Postfix, the delivered copy appears in the mailbox, and its Journey shows the hops
 * and says that SPF, DKIM and DMARC need npm start. At 1440×900 and on a 390×844 phone.
 * SIM_JOURNEY_SHOTS=dir saves screenshots.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, sendLine, servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();
const SHOTS = process.env.SIM_JOURNEY_SHOTS;
const SUBJECT = 'Across the simulated lab';

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS !== undefined) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function sendToBob(page: Page): Promise<void> {
  expect(await page.getByRole('radio', { name: 'Simulated' }).isChecked()).toBe(true);
  const input = await consoleInput(page);
  await converse(page, input, [
    ['EHLO laptop.example.com', '250-'],
    ['MAIL FROM:<alice@example.com>', '250'],
    ['RCPT TO:<bob@example.net>', '250'],
    ['DATA', '354'],
  ]);
  for (const line of ['From: Alice <alice@example.com>', 'To: Bob <bob@example.net>', `Subject: ${SUBJECT}`, '', 'Where does this go next?']) await sendLine(input, line);
  await converse(page, input, [['.', '250']]);
}

async function openJourney(page: Page): Promise<Locator> {
  if (await page.getByRole('tab', { name: 'Details' }).isVisible()) await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('tab', { name: /Mailbox/ }).click();
  const mailbox = page.getByRole('region', { name: 'Mailbox' });
  const delivered = mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: 'Delivered to a lab mailbox' });
  await delivered.waitFor({ timeout: 15_000 });
  expect(await delivered.textContent()).toContain(SUBJECT);
  await delivered.click();
  await mailbox.getByRole('article', { name: 'Message' }).getByRole('button', { name: 'Journey' }).click();
  const dialog = page.getByRole('dialog', { name: "The message's journey" });
  await dialog.getByRole('list', { name: 'Hops, in order' }).waitFor({ timeout: 15_000 });
  return dialog;
}

describe('the journey in simulated mode (no server) in Chromium', () => {
  it('relays bob@example.net through a simulated Postfix and shows the journey, saying SPF, DKIM and DMARC need npm start', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    await sendToBob(page);
    const dialog = await openJourney(page);
    const hops = dialog.getByRole('list', { name: 'Hops, in order' }).getByRole('button');
    expect(await hops.allTextContents()).toEqual([
      expect.stringMatching(/^1\. Submission\s*laptop\.example\.com.*mail\.example\.com \[192\.0\.2\.10\].*accepted for relay$/),
      expect.stringMatching(/^2\. To the MX · attempt 1\s*mail\.example\.com \[192\.0\.2\.10\].*mx\.example\.net \[198\.51\.100\.20\].*accepted \(250\)$/),
      expect.stringMatching(/^3\. Into the mailbox.*bob@example\.net.*delivered$/),
    ]);
    expect((await dialog.textContent())?.replace(/\s+/g, ' ')).toContain("SPF, DKIM and DMARC are checked by the lab's real mail servers: run npm start (live mode) to see them.");
    await shot(page, 'sim-journey-wide');
    await hops.nth(1).click();
    const hop = dialog.getByRole('region', { name: /^Hop 2/ });
    await expect.poll(() => hop.getByRole('log', { name: 'Transcript' }).textContent()).toContain('EHLO mail.example.com');
    expect(await hop.textContent()).toContain('example.net');
    await shot(page, 'sim-journey-wide-relay-hop');
    expect(await dialog.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
  });

  it("edits the page's own zone: the null MX preset on example.net bounces the next message with a DSN to alice@example.com", async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('tab', { name: 'DNS' }).click();
    const notice = page.getByText(/this zone lives in this page only/);
    await notice.waitFor();
    expect((await notice.textContent())?.replace(/\s+/g, ' ')).toContain('SPF, DKIM and DMARC are checked only by the lab');
    expect(await page.getByRole('button', { name: 'SPF over 10 lookups (example.com) (needs npm start)' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Null MX on example.net' }).click();
    await page.getByRole('region', { name: 'Preview: Null MX on example.net' }).getByRole('button', { name: 'Apply to draft' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await shot(page, 'sim-dns-null-mx');

    await sendToBob(page);
    await page.getByRole('tab', { name: /Mailbox/ }).click();
    const bounce = page.getByRole('region', { name: 'Mailbox' }).getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: 'Undelivered Mail Returned to Sender' });
    await bounce.waitFor({ timeout: 15_000 });
    expect(await bounce.textContent()).toContain('Delivered to a lab mailbox');
    await bounce.click();
    const report = page.getByRole('article', { name: 'Message' });
    await expect.poll(() => report.textContent()).toContain('alice@example.com');
    await shot(page, 'sim-dsn');
  });

  it('on a phone, the journey dialog fits the width', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await sendToBob(page);
    const dialog = await openJourney(page);
    await shot(page, 'sim-journey-phone');
    expect(await dialog.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    await dialog.getByRole('list', { name: 'Hops, in order' }).getByRole('button').nth(1).click();
    await shot(page, 'sim-journey-phone-relay-hop');
  });
});
