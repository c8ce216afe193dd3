/**
 * Chromium behind the shipped HAProxy configuration: the browser keeps the pin cookie HAProxy
 * sets on the page's first response and sends it with the WebSockets the page opens to `/ws`
 * on its own host (as web/src/live/bridge-socket.ts builds the URL), so they all reach the
 * process that served the page, while the page's plain HTTP requests still go to both. When that
 * process is killed, the page's next WebSocket reaches the survivor and the browser keeps the
 * new pin from the 101 answer.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyInstalled } from '../support/haproxy.ts';
import { PIN, startBalancedClass, type BalancedClass, type ProcessName } from '../server/scale/balanced-class.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './harness.ts';

const STUDENT_COOKIE = 'smtp_lab_student';
const PROBE = 'probe=balancer-test';

/**
 * Opens a WebSocket from the page the way the app does and reports whether it opened. The query
 * marks it as the test's, apart from any the app itself opens (the bridge reads only the path).
 */
function openBridgeFromPage(page: Page): Promise<'open' | 'error'> {
  return page.evaluate(
    (probe) =>
      new Promise<'open' | 'error'>((resolve) => {
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?${probe}`);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('error');
      }),
    PROBE,
  );
}

/** Which process answered each of the test's WebSocket handshakes, read from Chromium's network events. */
async function handshakesOf(page: Page): Promise<{ readonly servedBy: string[]; readonly cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  const servedBy: string[] = [];
  const probes = new Set<string>();
  cdp.on('Network.webSocketCreated', (event) => {
    if (event.url.endsWith(`?${PROBE}`)) probes.add(event.requestId);
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (event) => {
    if (!probes.has(event.requestId)) return;
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), value]));
    servedBy.push(`${event.response.status} ${String(headers['x-served-by'])}`);
  });
  await cdp.send('Network.enable');
  return { servedBy, cdp };
}

async function pinOf(context: BrowserContext): Promise<{ value: string; httpOnly: boolean } | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === PIN);
}

describe.skipIf(!haproxyInstalled)('a page behind HAProxy', { timeout: 60_000 }, () => {
  let lab: BalancedClass;
  let browser: Browser;

  beforeAll(async () => {
    [lab, browser] = await Promise.all([startBalancedClass(), chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('pins its WebSockets to the process that served it, and moves the pin when that process dies', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(lab.balancer.httpBase);
    const pinned = response?.headers()['x-served-by'] as ProcessName;
    expect(['a', 'b']).toContain(pinned);
    expect(await pinOf(context)).toMatchObject({ value: pinned, httpOnly: true });
    const survivor: ProcessName = pinned === 'a' ? 'b' : 'a';

    // Signed in as the student who joined on the pinned process; the survivor knows them too (one shared store).
    await context.addCookies([{ name: STUDENT_COOKIE, value: lab.processes[pinned].student.cookies.get(STUDENT_COOKIE) ?? '', url: lab.balancer.httpBase }]);
    const { servedBy } = await handshakesOf(page);
    for (let i = 0; i < 4; i++) expect(await openBridgeFromPage(page)).toBe('open');
    await expect.poll(() => servedBy.length).toBe(4);
    expect(servedBy).toEqual(Array(4).fill(`101 ${pinned}`));

    const httpServedBy = await page.evaluate(async () => {
      const names: (string | null)[] = [];
      for (let i = 0; i < 4; i++) names.push((await fetch('/api/health')).headers.get('x-served-by'));
      return names;
    });
    expect(new Set(httpServedBy)).toEqual(new Set(['a', 'b']));

    lab.processes[pinned].serve.child.kill('SIGKILL');
    await lab.processes[pinned].serve.exited();
    expect(await openBridgeFromPage(page)).toBe('open');
    await expect.poll(() => servedBy.length).toBe(5);
    expect(servedBy[4]).toBe(`101 ${survivor}`);
    expect(await pinOf(context)).toMatchObject({ value: survivor, httpOnly: true });
    expect(await openBridgeFromPage(page)).toBe('open');
    await expect.poll(() => servedBy.length).toBe(6);
    expect(servedBy[5]).toBe(`101 ${survivor}`);
    // Still signed in as the same student, whichever process answers now.
    const me = await page.evaluate(async () => {
      const response = await fetch('/api/me');
      return { status: response.status, servedBy: response.headers.get('x-served-by'), name: ((await response.json()) as { student: { displayName: string } }).student.displayName };
    });
    expect(me).toEqual({ status: 200, servedBy: survivor, name: lab.processes[pinned].student.displayName });
    await context.close();
  });
});
