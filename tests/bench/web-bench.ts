/**
 * The web app in headless Chromium, from the production build served locally:
 * - first-load JavaScript: the scripts and module preloads of the built index.html (gzip),
 *   target <= 150 KB (everything else, Monaco first, loads later, on demand);
 * - time until the console accepts input, target <= 250 ms, and until Monaco has replaced it,
 *   target <= 500 ms;
 * - a command in simulated mode, from the Enter key to its reply in the DOM, p95 target <= 16 ms
 *   (one frame at 60 Hz).
 * Baselines from the same run: an empty page's load, and a page that answers Enter after one
 * macrotask with no framework at all (the browser's own floor for "key → reply on screen").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { median, percentile } from './measure.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist/web');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
};

/** Pages with no app at all, for the baselines. */
const BLANK_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><textarea aria-label="SMTP console"></textarea></body></html>';
const ECHO_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>echo</title></head><body><textarea id="in"></textarea><div id="log" role="log"></div>' +
  "<script>const input = document.getElementById('in'); const log = document.getElementById('log');" +
  "input.addEventListener('keydown', (event) => { if (event.key !== 'Enter') return; event.preventDefault(); const text = input.value; input.value = '';" +
  "setTimeout(() => { const line = document.createElement('div'); line.dataset.from = 'server'; line.textContent = '250 ' + text; log.append(line); }, 0); });</script></body></html>";

/** Records when the console appears and when Monaco takes over (installed before any page script). */
const READY_PROBE = `
  window.__ready = {};
  new MutationObserver(() => {
    const now = performance.now();
    if (window.__ready.console === undefined && document.querySelector('[aria-label="SMTP console"]')) window.__ready.console = now;
    if (window.__ready.monaco === undefined && document.querySelector('.monaco-editor textarea[aria-label="SMTP console"]')) window.__ready.monaco = now;
  }).observe(document, { childList: true, subtree: true });
`;

/** Times Enter (keydown, capture phase) to the next server line added to the log. */
const LATENCY_PROBE = `
  window.__latency = [];
  let pressedAt = null;
  document.addEventListener('keydown', (event) => { if (event.key === 'Enter') pressedAt = performance.now(); }, true);
  const log = document.querySelector('[role="log"]');
  new MutationObserver((records) => {
    if (pressedAt === null) return;
    const added = records.some((record) => [...record.addedNodes].some((node) => node.nodeType === 1 && (node.matches('[data-from="server"]') || node.querySelector('[data-from="server"]'))));
    if (!added) return;
    window.__latency.push(performance.now() - pressedAt);
    pressedAt = null;
  }).observe(log, { childList: true, subtree: true });
`;

function serveDist(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bench').pathname;
    if (path === '/__blank') return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end(BLANK_PAGE);
    if (path === '/__echo') return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end(ECHO_PAGE);
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  return context.newPage();
}

/** The scripts and module preloads index.html names: what the browser fetches before any code runs. */
function measureFirstLoad(): { gzip: number; files: string[] } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*\shref="([^"]+)"/g)].map((match) => match[1] ?? match[2] ?? '');
  const gzip = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(DIST, file))).length, 0);
  return { gzip, files };
}

/** JS bytes (gzip) the page fetched until Monaco was ready: the app's own, and Monaco's. */
async function measureJavaScript(browser: Browser, base: string): Promise<{ app: number; editor: number }> {
  const page = await freshPage(browser);
  const sizes: { gzip: number; editor: boolean }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (!response.url().endsWith('.js')) return;
    const editor = /monaco-console|editor\.worker/.test(response.url());
    pending.push(response.body().then((body) => void sizes.push({ gzip: gzipSync(body).length, editor })));
  });
  await page.goto(base);
  await page.locator('.monaco-editor textarea[aria-label="SMTP console"]').waitFor({ state: 'attached', timeout: 30_000 });
  await Promise.all(pending);
  await page.context().close();
  const total = (editor: boolean): number => sizes.filter((size) => size.editor === editor).reduce((sum, size) => sum + size.gzip, 0);
  return { app: total(false), editor: total(true) };
}

/** Milliseconds from navigation start until the console (and Monaco) is there, median of runs. */
async function measureReady(browser: Browser, base: string, runs: number): Promise<{ console: number; monaco: number; blank: number }> {
  const consoleTimes: number[] = [];
  const monacoTimes: number[] = [];
  const blankTimes: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const page = await freshPage(browser);
    await page.addInitScript(READY_PROBE);
    await page.goto(base);
    await page.waitForFunction('window.__ready.monaco !== undefined', undefined, { timeout: 30_000 });
    const ready = (await page.evaluate('window.__ready')) as { console: number; monaco: number };
    consoleTimes.push(ready.console);
    monacoTimes.push(ready.monaco);
    await page.context().close();

    const blank = await freshPage(browser);
    await blank.addInitScript(READY_PROBE);
    await blank.goto(`${base}__blank`);
    await blank.waitForFunction('window.__ready.console !== undefined');
    blankTimes.push((await blank.evaluate('window.__ready.console')) as number);
    await blank.context().close();
  }
  return { console: median(consoleTimes), monaco: median(monacoTimes), blank: median(blankTimes) };
}

/** Enter → reply in the DOM, in the app (simulated mode) and in the no-framework echo page. */
async function measureCommands(browser: Browser, base: string, commands: number): Promise<{ app: number[]; echo: number[] }> {
  const page = await freshPage(browser);
  await page.goto(base);
  const input = page.locator('.monaco-editor textarea[aria-label="SMTP console"]');
  await input.waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction('document.querySelectorAll(\'[role="log"] [data-from="server"]\').length >= 1');
  await page.evaluate(LATENCY_PROBE);
  const app = await runCommands(page, input, commands, 'NOOP', '.monaco-editor textarea');
  await page.context().close();

  const echo = await freshPage(browser);
  await echo.goto(`${base}__echo`);
  await echo.evaluate(LATENCY_PROBE);
  const echoTimes = await runCommands(echo, echo.locator('#in'), commands, 'NOOP', '#in');
  await echo.context().close();
  return { app, echo: echoTimes };
}

/**
 * Types the line (outside the timing), then dispatches Enter inside the page: CDP's key
 * events arrive as several separate tasks that would otherwise be timed too.
 */
async function runCommands(page: Page, input: ReturnType<Page['locator']>, commands: number, line: string, selector: string): Promise<number[]> {
  const warmUp = 10;
  for (let i = 0; i < warmUp + commands; i += 1) {
    await input.fill(line);
    await page.evaluate(
      `document.querySelector(${JSON.stringify(selector)}).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true }))`,
    );
    await page.waitForFunction(`window.__latency.length >= ${i + 1}`, undefined, { timeout: 10_000 });
  }
  return ((await page.evaluate('window.__latency')) as number[]).slice(warmUp);
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

/** Builds the app if needed, measures it in Chromium and prints figures and verdicts. */
export async function runWebBench(runs = 5, commands = 60): Promise<void> {
  const build = spawnSync(process.execPath, ['web/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the web build failed');
  const server = await serveDist();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const firstLoad = measureFirstLoad();
    const js = await measureJavaScript(browser, base);
    const ready = await measureReady(browser, base, runs);
    const latency = await measureCommands(browser, base, commands);
    const p95 = percentile(latency.app, 95);
    const echoP95 = percentile(latency.echo, 95);

    // The machine is shared: the load average says how much to trust the timings.
    console.log(`web: production build (dist/web) served locally, headless Chromium at 1366x768; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
    console.log(`  first-load JavaScript (index.html's scripts and module preloads): ${kb(firstLoad.gzip)} gzip (${firstLoad.files.join(', ')});` +
      ` target <= 150 KB -> ${verdict(firstLoad.gzip <= 150 * 1024)}`);
    console.log(`    JS fetched until Monaco was ready: the app's ${kb(js.app)} gzip, Monaco's ${kb(js.editor)} gzip (its download starts with the page)`);
    console.log(`  console accepts input after ${ms(ready.console)} (median of ${runs} cold loads); target <= 250 ms -> ${verdict(ready.console <= 250)}`);
    console.log(`  Monaco console ready after ${ms(ready.monaco)}; target <= 500 ms -> ${verdict(ready.monaco <= 500)}`);
    console.log(`    baseline: an empty page shows its textarea after ${ms(ready.blank)} -> the app costs ${ms(ready.console - ready.blank)} more to be usable`);
    console.log(`  a command in simulated mode, Enter -> reply in the DOM: p50 ${ms(median(latency.app))}, p95 ${ms(p95)} over ${commands} commands;` +
      ` target p95 <= 16 ms (one frame) -> ${verdict(p95 <= 16)}`);
    console.log(`    baseline: a no-framework page answering after one macrotask: p50 ${ms(median(latency.echo))}, p95 ${ms(echoP95)}`);
  } finally {
    await browser.close();
    server.close();
  }
}
