/**
 * Live mode against the real Postfix, in Chromium: `smtp-lab serve --allow-target 127.0.0.1:25`,
 * the learner picks Live and that server, and the console speaks to Postfix over the bridge.
 * Skipped with one loud line without the lab Postfix; required in CI (SMTP_LAB_REQUIRE_POSTFIX=1).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { labPostfixForSuite } from '../conformance/postfix-lab-server.ts';
import { consoleInput, converse, ensureBuilt, launchChromium, sessionState, waitForServerLine } from './harness.ts';

const postfixAnswers = await labPostfixForSuite('live mode against the real Postfix in Chromium');

describe.skipIf(!postfixAnswers)('live mode against the real Postfix in Chromium', () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startServeProcess({ args: ['--allow-target', '127.0.0.1:25'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(server.httpBase);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('picks the allowed Postfix in Live mode and gets its banner and its 554 to DATA without a recipient', async () => {
    expect(postfixAnswers, 'SMTP_LAB_REQUIRE_POSTFIX=1 but no lab Postfix answered on 127.0.0.1:25').toBe(true);
    const input = await consoleInput(page);
    await page.getByRole('radio', { name: 'Live' }).check();
    await page.getByRole('combobox', { name: 'Live server' }).selectOption('127.0.0.1:25');
    await waitForServerLine(page, '220 mx.lab.test ESMTP Postfix');
    await expect.poll(() => sessionState(page).textContent(), { timeout: 10_000 }).toContain('Greeted');
    await converse(page, input, [
      ['EHLO learner.example.com', '250-mx.lab.test'],
      ['MAIL FROM:<a@example.com>', '250 2.1.0 Ok'],
      ['DATA', '554 5.5.1 Error: no valid recipients'],
      ['QUIT', '221'],
    ]);
    await expect.poll(() => sessionState(page).textContent()).toContain('Connection closed');
  });
});
