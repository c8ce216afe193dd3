/** The app in real Chromium, simulated mode: the simulated server runs in the page. */
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, sendLine, servedAppPerTest, sessionState, waitForServerLine } from './harness.ts';
import { ESCAPING_SCRIPT, expectScriptInert, HARMLESS_TEXT, recordPostedStrings } from './hostile-html.ts';

const app = servedAppPerTest();

describe('simulated mode in Chromium', () => {
  it('plays a whole conversation and shows the message in the mailbox', async () => {
    expect(await app.page.getByRole('radio', { name: 'Simulated' }).isChecked()).toBe(true);
    const input = await consoleInput(app.page);
    await expect.poll(() => sessionState(app.page).textContent()).toContain('Greeted');
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==', '235'],
      ['MAIL FROM:<student@example.com>', '250 2.1.0'],
      ['RCPT TO:<alice@example.org>', '250 2.1.5'],
      ['RCPT TO:<bob@example.org>', '250 2.1.5'],
      ['DATA', '354'],
    ]);
    expect(await sessionState(app.page).textContent()).toContain('Writing the message');
    await expect.poll(() => app.page.getByRole('note', { name: 'Writing the message' }).isVisible()).toBe(true);
    for (const line of ['From: Student <student@example.com>', 'To: Alice <alice@example.org>', 'Subject: Dots on the wire', '', 'First line.', '..a line that starts with a dot']) {
      await sendLine(input, line);
    }
    await converse(app.page, input, [
      ['.', '250 2.6.0'],
      ['QUIT', '221'],
    ]);
    await expect.poll(() => sessionState(app.page).textContent()).toContain('Connection closed');

    const log = app.page.getByRole('log', { name: 'Transcript' });
    expect(await log.locator('[data-from="client"]').allTextContents()).toContain('..a line that starts with a dot');

    await app.page.getByRole('tab', { name: /Mailbox/ }).click();
    const rows = app.page.getByRole('list', { name: 'Messages' }).getByRole('button');
    const captured = rows.filter({ hasNotText: 'Delivered to a lab mailbox' });
    await expect.poll(() => captured.count()).toBe(1);
    expect(await captured.first().textContent()).toContain('Dots on the wire');
    // The simulated sandbox relays mail for example.org in the page: mx1 greylists, mx2 delivers a copy to each lab mailbox.
    await expect.poll(() => rows.filter({ hasText: 'Delivered to a lab mailbox' }).count(), { timeout: 10_000 }).toBe(2);
    await captured.first().click();
    const message = app.page.getByRole('article', { name: 'Message' });
    await expect.poll(() => message.textContent()).toContain('.a line that starts with a dot');
    expect(await message.textContent()).toContain('alice@example.org');
  });

  it('warns before sending a command the server will refuse, and the refusal leaves the state as it was', async () => {
    const input = await consoleInput(app.page);
    await converse(app.page, input, [['EHLO client.example.com', '250-']]);
    expect(await sessionState(app.page).textContent()).toContain('Identified');
    await input.fill('RCPT TO:<bob@example.org>');
    await expect.poll(() => app.page.locator('.monaco-editor .squiggly-warning').count()).toBeGreaterThan(0);
    await input.press('Enter');
    await waitForServerLine(app.page, '503');
    expect((await sessionState(app.page).textContent())?.trim()).toBe('Identified: ready for a mail transaction');
  });

  it('underlines a grammar error and offers its quick fix', async () => {
    const input = await consoleInput(app.page);
    await converse(app.page, input, [['EHLO client.example.com', '250-']]);
    await input.fill('MAIL FROM alice@example.com');
    await expect.poll(() => app.page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThan(0);
    await input.press('Control+.');
    const fix = app.page.getByText('Change to: MAIL FROM:<alice@example.com>');
    await fix.waitFor({ timeout: 5000 });
    await fix.click();
    await expect
      .poll(async () => (await app.page.locator('.monaco-editor .view-lines').textContent())?.replace(/\u00a0/g, ' '))
      .toBe('MAIL FROM:<alice@example.com>');
  });

  it('replays a shared link in simulated mode', async () => {
    const input = await consoleInput(app.page);
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['NOOP', '250 2.0.0'],
    ]);
    await app.page.getByRole('button', { name: /replay link/i }).click();
    const link = await app.page.getByRole('textbox', { name: /Replay link/ }).inputValue();
    expect(link).toMatch(/#replay=[A-Za-z0-9_-]+$/);
    const replay = await app.browser.newPage();
    try {
      await replay.goto(link);
      const lines = replay.getByRole('log', { name: 'Transcript' }).locator('[data-from="client"]');
      await expect.poll(() => lines.allTextContents(), { timeout: 10_000 }).toEqual(['EHLO client.example.com', 'NOOP']);
    } finally {
      await replay.close();
    }
  });

  it('works from the keyboard alone: Enter sends, Tab leaves the console', async () => {
    const input = await consoleInput(app.page);
    await input.focus();
    await app.page.keyboard.type('EHLO client.example.com');
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Enter');
    await waitForServerLine(app.page, '250-');
    await app.page.keyboard.press('ArrowUp');
    await expect
      .poll(async () => (await app.page.locator('.monaco-editor .view-lines').textContent())?.replace(/\u00a0/g, ' '))
      .toBe('EHLO client.example.com');
    await app.page.keyboard.press('Tab');
    expect(await app.page.evaluate('document.activeElement.textContent')).toBe('Encode credentials…');
    await app.page.keyboard.press('Shift+Tab');
    expect(await app.page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('SMTP console');
  });

  it('shows an HTML message in a sandbox where its script cannot run', async () => {
    await recordPostedStrings(app.page);
    const input = await consoleInput(app.page);
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['MAIL FROM:<attacker@example.com>', '250 '],
      ['RCPT TO:<victim@example.org>', '250 '],
      ['DATA', '354'],
    ]);
    for (const line of ['Subject: Script in simulated mode', 'Content-Type: text/html; charset=utf-8', '', `<p>${HARMLESS_TEXT}</p>${ESCAPING_SCRIPT}`]) {
      await sendLine(input, line);
    }
    await converse(app.page, input, [['.', '250 2.6.0']]);
    await app.page.getByRole('tab', { name: /Mailbox/ }).click();
    await app.page.getByRole('article', { name: 'Message' }).getByRole('tab', { name: 'HTML' }).click();
    await expectScriptInert(app.page);
  });
});
