/**
 * The Journey view in Chromium against the real `smtp-lab serve`: nodemailer takes a message
 * straight to the lab network's mx.example.net (its loopback port read from the app's
 * "lab network:" log line), as a client outside the lab, From a p=none domain it is not allowed
 * to send for; the MX checks SPF, DKIM and DMARC with the lab resolver and delivers it. A second
 * message to a domain outside the lab stays captured at the sandbox. Both journeys are opened
 * from the live mailbox, at 1440×900 and on a 390×844 phone. JOURNEY_SHOTS=dir saves screenshots.
 */
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();
const SHOTS = process.env.JOURNEY_SHOTS;
const RELAYED = 'Journey: a newsletter through mx.example.net';
const CAPTURED = 'Journey: stays at the sandbox';

/** The loopback port the app gave a lab host, from its "lab network: host 127.0.0.1:port, …" line. */
function labPort(host: string): number {
  const match = new RegExp(`lab network: .*${host.replace(/\./g, '\\.')} 127\\.0\\.0\\.1:(\\d+)`).exec(app.server.stderr());
  if (match === null) throw new Error(`no "lab network:" line naming ${host} in the app's log:\n${app.server.stderr()}`);
  return Number(match[1]);
}

async function send(port: number, name: string, from: string, to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name, socketTimeout: 10_000 });
  try {
    await transport.sendMail({ from, to, subject, text: 'Read the journey of this message.\n' });
  } finally {
    transport.close();
  }
}

beforeAll(async () => {
  await send(labPort('mx.example.net'), 'mail.outside.test', 'News <news@p-none.example>', 'bob@example.net', RELAYED);
  await send(app.server.smtpPort, 'laptop', 'alice@example.com', 'friend@elsewhere.test', CAPTURED);
}, 60_000);

async function openJourney(page: Page, subject: string): Promise<Locator> {
  await page.getByRole('radio', { name: 'Live' }).check();
  if (await page.getByRole('tab', { name: 'Details' }).isVisible()) await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('tab', { name: /Mailbox/ }).click();
  const mailbox = page.getByRole('region', { name: 'Mailbox' });
  const row = mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: subject });
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await mailbox.getByRole('article', { name: 'Message' }).getByRole('button', { name: 'Journey' }).click();
  const dialog = page.getByRole('dialog', { name: "The message's journey" });
  await dialog.getByRole('list', { name: 'Hops, in order' }).waitFor({ timeout: 15_000 });
  return dialog;
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS !== undefined) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** How far the dialog's content is wider than the dialog (0: nothing cut off sideways). */
const overflow = (dialog: Locator) => dialog.evaluate((element) => element.scrollWidth - element.clientWidth);

describe('the Journey view in Chromium', () => {
  it("shows a message delivered by a lab MX: the hops, and SPF, DKIM and DMARC as the MX found them", async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    const dialog = await openJourney(page, RELAYED);
    const hops = dialog.getByRole('list', { name: 'Hops, in order' }).getByRole('button');
    expect(await hops.allTextContents()).toEqual([
      expect.stringMatching(/^1\. To the MX\s*mail\.outside\.test \[203\.0\.113\.\d+\].*mx\.example\.net \[198\.51\.100\.20\].*accepted$/),
      expect.stringMatching(/^2\. Into the mailbox.*bob@example\.net.*delivered$/),
    ]);
    await shot(page, 'wide-delivery');
    // SPF: the sender's domain allows only its own MX, so the outside address fails at -all.
    const spf = dialog.getByRole('region', { name: /^SPF/ });
    expect(await spf.getByRole('list', { name: "The record's terms, left to right" }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^ip4:203\.0\.113\.40\s*checked, no match/),
      expect.stringMatching(/^-all\s*matched: this decides \(gives fail\)/),
    ]);
    expect(await dialog.getByRole('region', { name: /^DKIM/ }).textContent()).toContain('no DKIM-Signature header');
    const dmarc = dialog.getByRole('region', { name: /^DMARC/ });
    expect(await dmarc.textContent()).toMatch(/policy that applies here is none/);
    await dmarc.scrollIntoViewIfNeeded();
    await shot(page, 'wide-auth');

    // A client that went to the MX itself: the MX kept the delivery, not the client's side.
    await hops.first().click();
    await dialog.getByText(/connected to the MX on its own/).waitFor();
    await shot(page, 'wide-first-hop');
    expect(await overflow(dialog)).toBe(0);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('opens over a message in full width; Escape closes the journey first, then full width', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    await openJourney(page, RELAYED);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    const message = page.getByRole('article', { name: 'Message' });
    await message.getByRole('button', { name: 'Full width' }).click();
    await message.getByRole('button', { name: 'Journey' }).click();
    const dialog = page.getByRole('dialog', { name: "The message's journey" });
    await dialog.getByRole('list', { name: 'Hops, in order' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await message.getByRole('button', { name: 'Exit full width' }).count()).toBe(1);
    // Focus went back to the Journey button.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Journey');
    await page.keyboard.press('Escape');
    await message.getByRole('button', { name: 'Full width' }).waitFor();
  });

  it('on a phone: a captured-only message says it stopped at the sandbox; the delivered one fits the width', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    let dialog = await openJourney(page, CAPTURED);
    expect(await dialog.textContent()).toContain('The mail stopped at the sandbox');
    expect(await dialog.getByRole('list', { name: 'Hops, in order' }).getByRole('button').count()).toBe(1);
    await shot(page, 'phone-captured');
    await dialog.getByRole('button', { name: 'Close' }).click();

    dialog = await openJourney(page, RELAYED);
    await shot(page, 'phone-delivery');
    expect(await overflow(dialog)).toBe(0);
    await dialog.getByRole('region', { name: /^DMARC/ }).scrollIntoViewIfNeeded();
    await shot(page, 'phone-dmarc');
    expect(await overflow(dialog)).toBe(0);
  });
});
