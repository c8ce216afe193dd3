/** The app in real Chromium, live mode: the WebSocket bridge to the real sandboxed smtp-server. */
import { describe, expect, it } from 'vitest';
import { startServeProcess } from '../server/app/serve-process.ts';
import { consoleInput, converse, sendLine, servedAppPerTest, sessionState } from './harness.ts';
import { ESCAPING_SCRIPT, expectScriptInert, HARMLESS_TEXT, recordPostedStrings } from './hostile-html.ts';

const app = servedAppPerTest();

/** Switches to live mode and waits for the real server's greeting. */
async function goLive(): Promise<void> {
  await app.page.getByRole('radio', { name: 'Live' }).check();
  await expect.poll(() => app.page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: 10_000 }).toContain('Connected');
  await expect.poll(() => sessionState(app.page).textContent(), { timeout: 10_000 }).toContain('Greeted');
}

/** Opens the mailbox tab and the message with this subject; returns the message panel. */
async function openMessage(subject: string) {
  await app.page.getByRole('tab', { name: /Mailbox/ }).click();
  // Mail to a lab domain is also delivered to its mailboxes: the sandbox's capture is the row without that tag.
  const row = app.page.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: subject }).filter({ hasNotText: 'Delivered to a lab mailbox' });
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
  await row.click();
  return app.page.getByRole('article', { name: 'Message' });
}

describe('live mode in Chromium', () => {
  it('plays a whole conversation against the real server and shows the captured message', async () => {
    const input = await consoleInput(app.page);
    await goLive();
    expect(await app.page.getByRole('radio', { name: 'Live' }).isChecked()).toBe(true);
    const subject = `Live conversation ${Date.now()}`;
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==', '235'],
      ['MAIL FROM:<student@example.com>', '250 '],
      // Outside the lab internet, so the capture is the only copy (lab domains would be relayed).
      ['RCPT TO:<alice@elsewhere.test>', '250 '],
      ['RCPT TO:<bob@elsewhere.test>', '250 '],
      ['DATA', '354'],
    ]);
    for (const line of ['From: Student <student@example.com>', 'To: Alice <alice@elsewhere.test>', `Subject: ${subject}`, '', 'Hello from the live console.', '..a line that starts with a dot']) {
      await sendLine(input, line);
    }
    await converse(app.page, input, [['.', '250 2.6.0']]);
    const message = await openMessage(subject);
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('.a line that starts with a dot');
    expect(await message.textContent()).toContain('Captured by the sandbox');
    expect(await message.textContent()).toContain('bob@elsewhere.test');
    await converse(app.page, input, [['QUIT', '221']]);
    await expect.poll(() => sessionState(app.page).textContent()).toContain('Connection closed');
  });

  it('upgrades the connection with STARTTLS and carries on encrypted', async () => {
    const input = await consoleInput(app.page);
    await goLive();
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['STARTTLS', '220'],
    ]);
    const connectionLines = app.page.getByRole('log', { name: 'Transcript' }).locator('[data-from="connection"]');
    await expect.poll(async () => (await connectionLines.allTextContents()).join('\n'), { timeout: 10_000 }).toMatch(/TLS established: TLSv1\.[23]/);
    await converse(app.page, input, [['EHLO client.example.com', '250-']]);
    await expect.poll(() => sessionState(app.page).textContent()).toContain('Identified');
    const serverLines = await app.page.getByRole('log', { name: 'Transcript' }).locator('[data-from="server"]').allTextContents();
    // RFC 3207 §4.2: after TLS the server forgets STARTTLS, so the second EHLO reply does not offer it.
    expect(serverLines.filter((line) => line.includes('STARTTLS'))).toHaveLength(1);
  });

  it('never runs a script from a captured HTML message', async () => {
    await recordPostedStrings(app.page);
    const input = await consoleInput(app.page);
    await goLive();
    const subject = `Script test ${Date.now()}`;
    await converse(app.page, input, [
      ['EHLO client.example.com', '250-'],
      ['MAIL FROM:<attacker@example.com>', '250 '],
      ['RCPT TO:<victim@example.org>', '250 '],
      ['DATA', '354'],
    ]);
    const html = `<html><body><p>${HARMLESS_TEXT}</p>${ESCAPING_SCRIPT}</body></html>`;
    for (const line of ['From: attacker@example.com', 'To: victim@example.org', `Subject: ${subject}`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', html]) {
      await sendLine(input, line);
    }
    await converse(app.page, input, [['.', '250 2.6.0']]);
    const message = await openMessage(subject);
    await message.getByRole('tab', { name: 'HTML' }).click();
    await expectScriptInert(app.page);
  });

  it('says clearly when the live server is down and offers the simulator', async () => {
    await consoleInput(app.page);
    await app.server.stop();
    try {
      await app.page.getByRole('radio', { name: 'Live' }).check();
      const notice = app.page.getByText(/not reachable|Lost the connection/);
      await expect.poll(() => notice.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await app.page.getByRole('status', { name: 'Connection' }).textContent()).toContain('Not connected');
    } finally {
      app.server = await startServeProcess({ dataDir: app.server.dataDir });
    }
  });
});
