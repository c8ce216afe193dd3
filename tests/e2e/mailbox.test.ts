/**
 * The live mailbox in Chromium, as a mail-catcher user uses it: 120 messages sent by nodemailer
 * into the real sandbox, the oldest reached by paging and by the server's search; a message with
 * bare CR line endings flagged and readable; a windows-1252 message's stored bytes shown with
 * the undecodable byte marked; an HTML message with a cid: image shown from its part and a
 * remote image blocked with a note; the full-width message covering the page at 1366 and 1024
 * px wide and leaving it by its button or Escape. MAILBOX_SHOTS=dir also saves screenshots of the list and
 * the detail, light and dark.
 */
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { servedAppPerTest, sessionState } from './harness.ts';
import { rgbPng } from './png.ts';

const app = servedAppPerTest();
const BULK = 120;
const bulkSubject = (n: number) => `Bulk ${String(n).padStart(3, '0')}${n === 1 ? ' oldest-needle' : ''}`;
const BARE_CR_SUBJECT = 'Bounce with bare CR';
const LATIN1_SUBJECT = 'Windows-1252 note';
const HTML_SUBJECT = 'Newsletter with a logo';

/** A small striped RGB picture as a real PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function stripedPng(width: number, height: number): Buffer {
  return rgbPng(width, height, (x) => ((x >> 4) % 2 === 0 ? [30, 110, 200] : [240, 170, 30]));
}

/**
 * One SMTP transaction on a raw socket, each command awaiting its reply, the message bytes
 * written exactly as given (nodemailer would normalise bare CRs and charsets).
 */
function sendRaw(port: number, message: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const steps: (string | Buffer)[] = ['EHLO raw.example\r\n', 'MAIL FROM:<raw@example.com>\r\n', 'RCPT TO:<catch@example.org>\r\n', 'DATA\r\n', Buffer.concat([message, Buffer.from('\r\n.\r\n')]), 'QUIT\r\n'];
    let buffered = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no reply within 10 s; got ${buffered}`)), 10_000);
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // A complete reply ends with a line "NNN text" (no hyphen after the code).
      const lines = buffered.split('\r\n');
      if (!lines.slice(0, -1).some((line) => /^\d{3} /.test(line))) return;
      if (/^[45]/m.test(buffered)) return socket.destroy(new Error(`refused: ${buffered}`));
      buffered = '';
      const next = steps.shift();
      if (next === undefined) return;
      socket.write(next);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

beforeAll(async () => {
  // One pooled connection: smtp-server's greeting delay would make 120 connections slow.
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.server.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
  for (let n = 1; n <= BULK; n++) {
    await transport.sendMail({ from: 'bulk@example.com', to: 'catch@example.org', subject: bulkSubject(n), text: `Message number ${n}.` });
  }
  transport.close();
  await sendRaw(app.server.smtpPort, Buffer.from(`From: mailer-daemon@example.net\rTo: catch@example.org\rSubject: ${BARE_CR_SUBJECT}\r\rThe message could not be delivered.\r`, 'latin1'));
  await sendRaw(
    app.server.smtpPort,
    Buffer.concat([
      Buffer.from(`From: Zoé <zoe@example.fr>\r\nTo: catch@example.org\r\nSubject: ${LATIN1_SUBJECT}\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\nRendez-vous au caf`, 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(' demain.\r\n', 'latin1'),
    ]),
  );
  const html = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: 'News <news@example.com>',
    to: 'catch@example.org',
    subject: HTML_SUBJECT,
    html: '<h1 style="font-family:sans-serif">Monthly news</h1><p><img src="cid:logo@news" alt="Our logo"></p><p>Tracked banner: <img src="https://tracker.example/banner.png" width="300" height="60" alt="banner"></p>',
    text: 'Monthly news',
    attachments: [{ filename: 'logo.png', content: stripedPng(128, 48), contentType: 'image/png', cid: 'logo@news' }],
  });
  await sendRaw(app.server.smtpPort, html.message as Buffer);
}, 120_000);

async function openMailbox(page: Page): Promise<Locator> {
  await page.getByRole('radio', { name: 'Live' }).check();
  await expect.poll(() => sessionState(page).textContent(), { timeout: 15_000 }).toContain('Greeted');
  await page.getByRole('tab', { name: /Mailbox/ }).click();
  const mailbox = page.getByRole('region', { name: 'Mailbox' });
  await expect.poll(() => mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').count(), { timeout: 15_000 }).toBe(50);
  return mailbox;
}

function row(mailbox: Locator, subject: string): Locator {
  return mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: subject });
}

async function search(mailbox: Locator, text: string): Promise<void> {
  const box = mailbox.getByRole('searchbox', { name: 'Search the mailbox' });
  await box.fill(text);
  await box.press('Enter');
}

describe('the live mailbox', () => {
  it('reaches the oldest of 123 messages by paging and by the server’s search', async () => {
    const mailbox = await openMailbox(app.page);
    expect(await mailbox.getByText('Newest 50 of 123').count()).toBe(1);
    expect(await row(mailbox, bulkSubject(1)).count()).toBe(0);
    for (const more of [73, 23]) {
      await mailbox.getByRole('button', { name: `Older messages (${more} more)` }).click();
      await expect.poll(() => mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').count()).toBe(Math.min(123, 173 - more));
    }
    await expect.poll(() => row(mailbox, bulkSubject(1)).count()).toBe(1);
    expect(await mailbox.getByRole('button', { name: /Older messages/ }).count()).toBe(0);

    await search(mailbox, 'oldest-needle');
    await expect.poll(() => mailbox.getByRole('list', { name: 'Messages' }).getByRole('button').count()).toBe(1);
    expect(await mailbox.getByText('1 of 123 messages match').count()).toBe(1);
    await row(mailbox, 'oldest-needle').click();
    await expect.poll(() => mailbox.getByRole('article', { name: 'Message' }).textContent()).toContain('Message number 1.');
  });

  it('flags the bare-CR message and reads it as separate header fields', async () => {
    const mailbox = await openMailbox(app.page);
    const flagged = row(mailbox, BARE_CR_SUBJECT);
    await expect.poll(() => flagged.textContent()).toContain('bare CR line endings: servers differ in how they read this');
    await flagged.click();
    const message = mailbox.getByRole('article', { name: 'Message' });
    await expect.poll(() => message.getByRole('note').first().textContent()).toContain('RFC 5321 §2.3.8');
    await expect.poll(() => message.textContent()).toContain('The message could not be delivered.');
    expect(await message.getByText('no valid Date header').count()).toBe(1);
    await message.getByRole('tab', { name: 'Headers' }).click();
    expect(await message.locator('dt').allTextContents()).toEqual(expect.arrayContaining(['From:', 'To:', 'Subject:']));
  });

  it('shows the stored bytes of a windows-1252 message with the undecodable byte marked', async () => {
    const mailbox = await openMailbox(app.page);
    await row(mailbox, LATIN1_SUBJECT).click();
    const message = mailbox.getByRole('article', { name: 'Message' });
    // The server's parse decodes the charset for the Text tab…
    await expect.poll(() => message.textContent()).toContain('Rendez-vous au café demain.');
    // …and Raw shows the bytes as stored: E9 is not UTF-8.
    await message.getByRole('tab', { name: 'Raw' }).click();
    const mark = message.getByTitle('byte 0xE9: not valid UTF-8 here');
    // Two: the raw 8-bit "é" in the From header and the one in the body.
    await expect.poll(() => mark.count()).toBe(2);
    expect(await message.locator('pre').textContent()).toContain('From: Zo⟨E9⟩ <zoe@example.fr>');
    expect(await message.locator('pre').textContent()).toContain('Rendez-vous au caf⟨E9⟩ demain.');
    expect(await message.locator('pre').textContent()).not.toContain('\uFFFD');
    const download = message.getByRole('link', { name: 'Download .eml' });
    expect(await download.getAttribute('href')).toMatch(/^\/api\/messages\/\d+\/raw\?download=1$/);
    const [saved] = await Promise.all([app.page.waitForEvent('download'), download.click()]);
    expect(saved.suggestedFilename()).toMatch(/\.eml$/);
  });

  it('opens HTML first, with the cid: image from its part and the remote one blocked', async () => {
    const mailbox = await openMailbox(app.page);
    await row(mailbox, HTML_SUBJECT).click();
    const message = mailbox.getByRole('article', { name: 'Message' });
    await expect.poll(() => message.getByRole('tab', { name: 'HTML' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => message.getByRole('note').first().textContent()).toContain('1 remote image was blocked');
    const frame = message.frameLocator('iframe[title="HTML part of the message (sandboxed)"]');
    const logo = frame.getByAltText('Our logo');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(128);
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const banner = frame.getByAltText('banner');
    // The placeholder, drawn (not a broken-image icon), and nothing fetched from the tracker.
    expect(await banner.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);
    await expect.poll(() => banner.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);


    const dir = process.env['MAILBOX_SHOTS'];
    if (dir) {
      for (const scheme of ['light', 'dark'] as const) {
        await app.page.emulateMedia({ colorScheme: scheme });
        await app.page.screenshot({ path: `${dir}/mailbox-list-detail-${scheme}.png` });
        await message.getByRole('button', { name: 'Full width' }).click();
        await app.page.screenshot({ path: `${dir}/mailbox-full-width-${scheme}.png` });
        await mailbox.getByRole('article', { name: 'Message' }).getByRole('button', { name: 'Exit full width' }).click();
      }
    }
  });

  // 1366: the three columns; 1024: conversation and details (the course closed or over the details).
  for (const [width, height, closeCourse] of [
    [1366, 768, false],
    [1024, 768, true],
  ] as const) {
    it(`at ${width}×${height}, full width covers the page and Exit or Escape puts the message back in its column`, async () => {
      const { page } = app;
      await page.setViewportSize({ width, height });
      if (closeCourse) await page.getByRole('button', { name: /^Course/ }).click();
      const mailbox = await openMailbox(page);
      await row(mailbox, HTML_SUBJECT).click();
      const message = mailbox.getByRole('article', { name: 'Message' });
      await expect.poll(() => message.textContent()).toContain(HTML_SUBJECT);
      const messageWidth = async () => (await message.boundingBox())?.width ?? 0;
      const conversationInert = () => page.locator('section[aria-labelledby="conversation-title"]').evaluate((section: HTMLElement) => section.inert);
      // The console under the cover keeps its size: nothing behind it is laid out again.
      const consoleBox = async () => JSON.stringify(await page.locator('.editor-host').boundingBox());
      const consoleBefore = await consoleBox();
      const inColumn = await messageWidth();
      expect(inColumn).toBeLessThan(600);

      for (const leave of ['button', 'Escape'] as const) {
        const toggle = message.getByRole('button', { name: 'Full width' });
        await toggle.click();
        await expect.poll(messageWidth).toBeGreaterThan(900);
        // The HTML frame takes the height that is left, down to the bottom of the window.
        const frame = await message.locator('iframe').boundingBox();
        expect((frame?.y ?? 0) + (frame?.height ?? 0)).toBeGreaterThan(height - 60);
        expect(await mailbox.getByRole('list', { name: 'Messages' }).count()).toBe(0);
        // The covered conversation is out of reach: not in the tab order, not for a screen reader.
        expect(await conversationInert()).toBe(true);
        expect(await consoleBox()).toBe(consoleBefore);
        const exit = message.getByRole('button', { name: 'Exit full width' });
        expect(await exit.evaluate((button) => button === document.activeElement)).toBe(true);
        if (leave === 'button') await exit.click();
        else await page.keyboard.press('Escape');
        await expect.poll(messageWidth).toBe(inColumn);
        expect(await conversationInert()).toBe(false);
        expect(await mailbox.getByRole('list', { name: 'Messages' }).count()).toBe(1);
        expect(await message.getByRole('button', { name: 'Full width' }).evaluate((button) => button === document.activeElement), leave).toBe(true);
      }
      const shots = process.env['MAILBOX_SHOTS'];
      if (shots) {
        await message.getByRole('button', { name: 'Full width' }).click();
        await page.screenshot({ path: `${shots}/mailbox-page-width-${width}x${height}.png` });
      }
    });
  }

  it('deletes every message, on every page, after a confirmation', async () => {
    const mailbox = await openMailbox(app.page);
    await mailbox.getByRole('button', { name: 'Delete all…' }).click();
    expect(await mailbox.getByRole('group', { name: 'Confirm deleting all messages' }).textContent()).toContain('Delete all 123 messages?');
    await mailbox.getByRole('button', { name: 'Delete all', exact: true }).click();
    await expect.poll(() => mailbox.getByText(/No messages yet/).count(), { timeout: 10_000 }).toBe(1);
    const listed = await app.page.evaluate(async () => ((await (await fetch('/api/messages')).json()) as { total: number }).total);
    expect(listed).toBe(0);
  });
});
