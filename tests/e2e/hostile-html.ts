/**
 * A captured HTML part with a script that tries to escape its frame, and the checks that it
 * stayed inert: the mailbox's iframe is fully sandboxed, the script did not run, and the app's
 * page saw no title change and no posted message. Used in both modes.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Retitles the app, posts to it and marks its own body, if it ever runs. */
export const ESCAPING_SCRIPT =
  "<script>try { window.top.document.title = 'pwned'; } catch (e) {} parent.postMessage('pwned', '*'); document.body.setAttribute('data-ran', 'yes');</script>";

/** The text beside the script, which the frame shows. */
export const HARMLESS_TEXT = 'Harmless looking text';

/** Records string messages posted to the app's window (Monaco posts objects to it for scheduling). */
export async function recordPostedStrings(page: Page): Promise<void> {
  await page.evaluate("window.__received = []; window.addEventListener('message', (event) => { if (typeof event.data === 'string') window.__received.push(event.data); });");
}

/** With the HTML tab of the message open: the part is shown in a sandboxed iframe, and its script never ran. */
export async function expectScriptInert(page: Page): Promise<void> {
  const frameElement = page.locator('iframe[title^="HTML part"]');
  await frameElement.waitFor({ timeout: 10_000 });
  expect(await frameElement.getAttribute('sandbox')).toBe('');
  const frame = await (await frameElement.elementHandle())?.contentFrame();
  await expect.poll(async () => (await frame?.content()) ?? '', { timeout: 10_000 }).toContain(HARMLESS_TEXT);
  expect(await frame?.locator('body').getAttribute('data-ran')).toBeNull();
  expect(await page.title()).toBe('SMTP Lab');
  expect(await page.evaluate('window.__received')).toEqual([]);
}
