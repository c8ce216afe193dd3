/**
 * Message ingest: messages per second the live process accepts AND stores (capture, SQLite,
 * with the default 1,000-message mailbox evicting the oldest), against a plain smtp-server
 * that reads each message and throws it away. Same client, same messages, same run. The
 * client is a separate process, as real mail clients are.
 *
 * The live process stores each message raw at once and parses it (mailparser) once the burst
 * is over: the figures say how long that took, and each run waits for it to finish before
 * the next measurement, so the parsing never overlaps (and slows) a baseline run.
 */
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { startApp } from '../../server/app/start-app.ts';
import { testConfig } from '../app/app-config.ts';
import { WIRE_PROTOCOL_VERSION } from '../../protocol/wire/contract.ts';
import { median } from './measure.ts';

const CONNECTIONS = 8;
const MESSAGES_PER_RUN = 2000;
/** Interleaved live/baseline pairs, after one full-size warm-up pair (JIT, caches, database pages). */
const RUNS = 5;
const CLIENT = fileURLToPath(new URL('./smtp-load-process.ts', import.meta.url));

/**
 * Runs the client process against `port`; resolves with when it started sending and when the
 * last message was accepted (performance.now() of this process).
 */
function runClient(port: number, count: number): Promise<{ start: number; end: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, String(port), String(count), String(CONNECTIONS)]);
    let start = 0;
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('ready')) {
        start = performance.now();
        child.stdin.write('go\n');
      }
      if (text.includes('done')) resolve({ start, end: performance.now() });
    });
    child.on('close', (code) => code !== 0 && reject(new Error(`load client failed (${code}): ${errors}`)));
  });
}

/** The baseline: smtp-server with the sandbox's connection options, reading and discarding. */
async function startDiscardingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => callback(null));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Messages stored so far (evicted ones included), and whether the newest one is parsed yet. */
async function mailboxState(httpBase: string): Promise<{ stored: number; newestParsed: boolean }> {
  const response = await fetch(`${httpBase}api/messages?limit=1`);
  const page = (await response.json()) as { total: number; evictedTotal: number; messages: { parsed: boolean }[] };
  return { stored: page.total + page.evictedTotal, newestParsed: page.messages[0]?.parsed ?? true };
}

/** Polls every 2 ms (a coarser poll would add its own wait to the measured time). */
async function waitUntil(check: () => Promise<boolean>): Promise<number> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 2));
  return performance.now();
}

/** Counts the `message.captured` pushes (one per parsed message), as a browser receives them. */
async function watchParsed(wsUrl: string): Promise<{ count(): number; close(): void }> {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let count = 0;
  ws.on('message', (data) => {
    if ((JSON.parse(String(data)) as { type: string }).type === 'message.captured') count += 1;
  });
  ws.send(JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION }));
  return { count: () => count, close: () => ws.close() };
}

export interface IngestBenchResult {
  readonly storedPerSecond: number;
  readonly acceptedPerSecond: number;
  readonly baselinePerSecond: number;
}

interface LiveRun {
  readonly accepted: number;
  readonly stored: number;
  /** From the last 250 until the newest message was parsed (ms). */
  readonly parseLagMs: number;
  readonly parsedCount: number;
}

/** One run against the live process; resolves once every message it still keeps is parsed. */
async function liveRun(app: { ports: { smtp: number }; urls: { http: string } }, parsed: { count(): number }): Promise<LiveRun> {
  const before = (await mailboxState(app.urls.http)).stored;
  const parsedBefore = parsed.count();
  const { start, end } = await runClient(app.ports.smtp, MESSAGES_PER_RUN);
  // Storage happens after the 250 reply; the run ends when the last one is stored.
  const stored = await waitUntil(async () => (await mailboxState(app.urls.http)).stored >= before + MESSAGES_PER_RUN);
  const caughtUp = await waitUntil(async () => (await mailboxState(app.urls.http)).newestParsed);
  // The push for the newest message may still be on its way.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    accepted: MESSAGES_PER_RUN / ((end - start) / 1000),
    stored: MESSAGES_PER_RUN / ((stored - start) / 1000),
    parseLagMs: caughtUp - end,
    parsedCount: parsed.count() - parsedBefore,
  };
}

/** Runs the benchmark and prints its figures. */
export async function runIngestBench(): Promise<IngestBenchResult> {
  const app = await startApp(testConfig());
  const baseline = await startDiscardingServer();
  const parsed = await watchParsed(app.urls.ws);
  try {
    await liveRun(app, parsed);
    await runClient(baseline.port, MESSAGES_PER_RUN);
    const runs: LiveRun[] = [];
    const discarded: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      runs.push(await liveRun(app, parsed));
      const plain = await runClient(baseline.port, MESSAGES_PER_RUN);
      discarded.push(MESSAGES_PER_RUN / ((plain.end - plain.start) / 1000));
    }
    const result = {
      storedPerSecond: median(runs.map((run) => run.stored)),
      acceptedPerSecond: median(runs.map((run) => run.accepted)),
      baselinePerSecond: median(discarded),
    };
    const ratio = result.storedPerSecond / result.baselinePerSecond;
    const rate = (value: number) => `${Math.round(value).toLocaleString('en')} messages/s`;
    const all = (values: readonly number[]) => values.map((value) => Math.round(value).toLocaleString('en')).join(', ');
    console.log(`ingest: ${MESSAGES_PER_RUN} messages of ~2 KB from a client process over ${CONNECTIONS} pipelining connections, median of ${RUNS} runs (after a warm-up run)`);
    console.log(`  live process, accepted (250 sent): ${rate(result.acceptedPerSecond)}`);
    console.log(`  live process, accepted and stored (raw + envelope, SQLite in the capture worker): ${rate(result.storedPerSecond)}` +
      ` [runs: ${all(runs.map((run) => run.stored))}]`);
    console.log(`  baseline (plain smtp-server, discards): ${rate(result.baselinePerSecond)} [runs: ${all(discarded)}]` +
      ` -> capture + storage runs at ${(ratio * 100).toFixed(0)}% of the baseline` +
      ` (acceptance alone at ${((result.acceptedPerSecond / result.baselinePerSecond) * 100).toFixed(0)}%)`);
    console.log(`  parsing (mailparser, in the capture worker once the burst is over): done ${Math.round(median(runs.map((run) => run.parseLagMs)))} ms` +
      ` after the last 250 (median); ${median(runs.map((run) => run.parsedCount))} messages parsed and pushed per run,` +
      ` the others were evicted (mailbox of 1,000) before their turn`);
    console.log(`  verdict: ${ratio >= 0.5 ? 'meets' : 'MISSES'} the target of at least 50% of the baseline`);
    return result;
  } finally {
    parsed.close();
    await baseline.close();
    await app.close('benchmark finished');
  }
}
