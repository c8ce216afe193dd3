/** The personality picker in real Chromium: the simulator answers like the picked server, and the pick is remembered. */
import { describe, expect, it } from 'vitest';
import { consoleInput, converse, servedAppPerTest, waitForServerLine } from './harness.ts';

const app = servedAppPerTest();

describe('the personality picker in Chromium', () => {
  it('makes the simulator answer like Postfix: 554 to DATA without a recipient, and keeps the pick after a reload', async () => {
    const picker = app.page.getByRole('combobox', { name: 'Simulated server answers like' });
    expect(await picker.inputValue()).toBe('smtp-server');
    await picker.selectOption('postfix');
    await waitForServerLine(app.page, '220 mx.lab.test ESMTP Postfix');
    expect(await app.page.locator('#personality-evidence').textContent()).toContain('verified against Postfix 3.7');

    const input = await consoleInput(app.page);
    await converse(app.page, input, [
      ['MAIL FROM:<a@example.com>', '250 2.1.0 Ok'],
      ['DATA', '554 5.5.1 Error: no valid recipients'],
    ]);

    await app.page.reload();
    await consoleInput(app.page);
    expect(await app.page.getByRole('combobox', { name: 'Simulated server answers like' }).inputValue()).toBe('postfix');
    await waitForServerLine(app.page, '220 mx.lab.test ESMTP Postfix');
  });

  it('is only in simulated mode', async () => {
    await consoleInput(app.page);
    await app.page.getByRole('radio', { name: 'Live' }).check();
    await expect.poll(() => app.page.getByRole('combobox', { name: 'Simulated server answers like' }).count()).toBe(0);
  });
});
