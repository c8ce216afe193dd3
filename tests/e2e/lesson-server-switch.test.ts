/**
 * In real Chromium: a lesson written for smtp-server, opened while the learner's picked server
 * is Postfix, says so above the lesson (and that its goal cannot be met there); "Switch to
 * smtp-server" moves the picker back and a fresh session greets as smtp-server.
 */
import { describe, expect, it } from 'vitest';
import { servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();

describe('the personality notice in the lesson panel', () => {
  it('names the picked server, says the goal needs smtp-server, and switches back on the button', async () => {
    const { page } = app;
    await page.evaluate(() => localStorage.setItem('smtp-lab.personality', 'postfix'));
    await page.goto(`${app.server.httpBase}?lesson=auth-plain-and-login`);
    const notice = page.getByRole('note', { name: "This lesson's server" });
    await notice.waitFor({ timeout: 15_000 });
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain('does not meet them on Postfix. Switch to smtp-server to complete this lesson.');
    expect(await notice.textContent()).toContain('This lesson was written for smtp-server; you are talking to Postfix.');
    const picker = page.getByLabel('Simulated server answers like');
    expect(await picker.inputValue()).toBe('postfix');

    await notice.getByRole('button', { name: 'Switch to smtp-server' }).click();
    await expect.poll(() => notice.count()).toBe(0);
    expect(await picker.inputValue()).toBe('smtp-server');
    await expect.poll(() => page.locator('.conversation, main').first().textContent(), { timeout: 10_000 }).toMatch(/220 sandbox\.smtp-lab\.test ESMTP/);
    expect(await page.evaluate(() => localStorage.getItem('smtp-lab.personality'))).toBe('smtp-server');
  });
});
