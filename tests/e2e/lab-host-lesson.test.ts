/**
 * In real Chromium against the real `smtp-lab serve`: a lesson on a lab host opens in Live mode
 * on that host (the server list shows it), says who the learner is in the lab, and the
 * console is greeted by mx.example.net's Postfix through the lab network.
 */
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, servedAppPerTest } from './harness.ts';

const app = servedAppPerTest();

describe('a lesson on a lab host', () => {
  it('talks to mx.example.net as 203.0.113.99, and DMARC refuses a spoof of example.com', async () => {
    const { page } = app;
    await page.goto(`${app.server.httpBase}?lesson=spf-from-the-receiving-side`);
    const labFrom = page.getByText(/^Connecting from 203\.0\.113\.99/);
    await labFrom.waitFor({ timeout: 15_000 });
    expect(await labFrom.getAttribute('title')).toBe("You are connecting from 203.0.113.99, a host outside every lab domain's SPF.");
    expect(await page.getByRole('radio', { name: 'Live' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Live server').inputValue()).toBe('mx.example.net');
    const input = await consoleInput(page);
    await converse(page, input, [
      ['EHLO outside.example', '250'],
      ['MAIL FROM:<alice@example.com>', '250'],
      ['RCPT TO:<bob@example.net>', '250'],
      ['DATA', '354'],
    ]);
    await converse(page, input, [
      ['From: alice@example.com', null],
      ['Subject: from outside the SPF', null],
      ['', null],
      ['Hello.', null],
      ['.', '550 5.7.1 rejected by DMARC policy for example.com'],
    ]);
  });
});
