/**
 * A classmate mails an `invoice.html` and a `logo.svg` whose scripts would act as the reader
 * (a marker in the app's localStorage, then DELETE /api/messages): opened as a page (the link
 * pasted into a new tab, or "Open link in new tab"), neither may run in the app's origin, in
 * live mode (server download URLs) or simulated mode (blobs). A raster image gets an inline
 * preview; the HTML and the SVG do not.
 */
import nodemailer from 'nodemailer';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, sendLine, servedAppPerTest, sessionState } from './harness.ts';
import { attachmentPart, mixedHead } from '../server/app/multipart.ts';
import { rgbPng } from './png.ts';

const app = servedAppPerTest();

/** What a script in an attachment does if it ever runs in the app's origin. */
const ATTACK = "localStorage.setItem('pwned', location.href); fetch('/api/messages', { method: 'DELETE' }); document.title = 'pwned';";
const HTML_ATTACHMENT = `<!doctype html><title>Invoice</title><p>Invoice 2025-17</p><script>${ATTACK}</script>`;
const SVG_ATTACHMENT = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/><script>${ATTACK}</script></svg>`;
const SCRIPTED = ['invoice.html', 'logo.svg'] as const;

/** A small tiled RGB picture as a real PNG file (signature, IHDR, IDAT, IEND with their CRCs). */
function tiledPng(width: number, height: number): Buffer {
  // 8-pixel tiles: a visible pattern that deflates to a few lines of base64 to type.
  return rgbPng(width, height, (x, y) => [(x >> 3) * 20, (y >> 3) * 30, 180]);
}

/** The message's lines (no dot-stuffing needed: no line starts with a dot). */
function messageLines(subject: string): string[] {
  return [
    ...mixedHead('Mallory <mallory@example.com>', 'Victim <victim@example.org>', subject),
    '',
    'Here is the invoice, our logo and a photo.',
    ...attachmentPart('invoice.html', 'text/html', HTML_ATTACHMENT),
    ...attachmentPart('logo.svg', 'image/svg+xml', SVG_ATTACHMENT),
    ...attachmentPart('photo.png', 'image/png', tiledPng(96, 64)),
    '--b1--',
  ];
}

/**
 * A browser profile of its own on the app: the harness's page cannot open a second tab, and
 * opening a link in a new tab needs one in the same profile (same origin, same storage).
 */
async function withProfile(test: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await app.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.server.httpBase);
    await test(page);
  } finally {
    await context.close();
  }
  expect(errors).toEqual([]);
}

async function openAttachments(page: Page, subject: string): Promise<Locator> {
  await page.getByRole('tab', { name: /Mailbox/ }).click();
  const row = page.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: subject });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  await row.click();
  const message = page.getByRole('article', { name: 'Message' });
  await message.getByRole('tab', { name: 'Attachments' }).click();
  await expect.poll(() => message.getByRole('link', { name: 'Download' }).count(), { timeout: 10_000 }).toBe(3);
  return message;
}

function downloadLink(message: Locator, filename: string): Locator {
  return message.getByRole('listitem').filter({ hasText: filename }).getByRole('link', { name: 'Download' });
}

/**
 * Opens `href` the way "Open link in new tab" or the address bar does: a top-level navigation
 * in a new tab of the same browser profile. Says whether it became a download, and where the
 * tab ended up (a download leaves it on about:blank).
 */
async function openInNewTab(page: Page, href: string): Promise<{ download: string | null; landedOn: string }> {
  const tab = await page.context().newPage();
  try {
    const download = tab.waitForEvent('download', { timeout: 10_000 }).then((event) => event.suggestedFilename(), () => null);
    // A download aborts the navigation ("Download is starting"): the outcome we want, not an error.
    const loaded = await tab.goto(href, { waitUntil: 'load', timeout: 10_000 }).then(() => true, () => false);
    return { download: loaded ? null : await download, landedOn: tab.url() };
  } finally {
    await tab.close();
  }
}

/** Whether an attack script ran: its marker in the app's localStorage, or the mailbox emptied. */
async function expectNoScriptRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
  const listed = (await page.evaluate(async () => ((await (await fetch('/api/messages')).json()) as { total: number }).total)) as number;
  expect(listed).toBeGreaterThan(0);
  expect(await page.title()).toBe('SMTP Lab');
}

/** The inline previews: one, for the PNG, actually decoded; none for the HTML or the SVG. */
async function expectRasterPreviewOnly(message: Locator): Promise<void> {
  const previews = message.locator('img');
  await expect.poll(() => previews.count()).toBe(1);
  expect(await previews.first().getAttribute('alt')).toBe('Preview of photo.png');
  await expect.poll(() => previews.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
}

describe('attachments opened as pages', () => {
  it('live mode: links go to the server, which answers with a download, so no script runs', async () => {
    const subject = `Invoice live ${Date.now()}`;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.server.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: 'mallory@example.com', to: ['victim@example.org'] }, raw: messageLines(subject).join('\r\n') + '\r\n' });
    transport.close();

    await withProfile(async (page) => {
      await consoleInput(page);
      await page.getByRole('radio', { name: 'Live' }).check();
      await expect.poll(() => sessionState(page).textContent(), { timeout: 15_000 }).toContain('Greeted');
      const message = await openAttachments(page, subject);
      await expectRasterPreviewOnly(message);

      for (const filename of SCRIPTED) {
        const href = await downloadLink(message, filename).getAttribute('href');
        expect(href).toMatch(/^\/api\/messages\/\d+\/attachments\/\d$/);
        expect(await openInNewTab(page, new URL(href!, app.server.httpBase).href)).toEqual({ download: filename, landedOn: 'about:blank' });
      }
      await expectNoScriptRan(page);
    });
  });

  it('simulated mode: links are application/octet-stream blobs, so no script runs (a text/html blob would)', async () => {
    await withProfile(async (page) => {
      const input = await consoleInput(page);
      await expect.poll(() => sessionState(page).textContent()).toContain('Greeted');
      // The control: the same HTML as a blob typed by the sender's type, the way the mailbox used to make it, runs.
      const control = await page.evaluate((html) => URL.createObjectURL(new Blob([html], { type: 'text/html' })), HTML_ATTACHMENT);
      expect(await openInNewTab(page, control)).toEqual({ download: null, landedOn: control });
      await expect.poll(() => page.evaluate(() => localStorage.getItem('pwned')), { timeout: 10_000 }).toBe(control);
      await page.evaluate(() => localStorage.removeItem('pwned'));

      const subject = `Invoice simulated ${Date.now()}`;
      await converse(page, input, [
        ['EHLO client.example.com', '250-'],
        ['MAIL FROM:<mallory@example.com>', '250 '],
        ['RCPT TO:<victim@example.org>', '250 '],
        ['DATA', '354'],
      ]);
      for (const line of messageLines(subject)) await sendLine(input, line);
      await converse(page, input, [['.', '250 ']]);
      const message = await openAttachments(page, subject);
      await expectRasterPreviewOnly(message);

      for (const filename of SCRIPTED) {
        const link = downloadLink(message, filename);
        expect(await link.getAttribute('download')).toBe(filename);
        const href = await link.getAttribute('href');
        expect(href).toMatch(/^blob:/);
        expect(await openInNewTab(page, href!)).toMatchObject({ download: expect.any(String), landedOn: 'about:blank' });
        // A plain click saves it under its own name.
        const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
        expect(saved.suggestedFilename()).toBe(filename);
      }
      expect(await page.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
      expect(await page.title()).toBe('SMTP Lab');
    });
  });
});
