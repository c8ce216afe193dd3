/**
 * Message ingest: messages per second the live process accepts AND stores (capture, mailparser,
 * SQLite, with the default 1,000-message mailbox evicting the oldest), against a plain
 * smtp-server that reads each message and throws it away. Same client, same messages, same
 * run. The client is a separate process, as real mail clients are.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { startApp } from '../../server/app/start-app.ts';
import { testConfig } from '../app/app-config.ts';
import { median } from './measure.ts';

const CONNECTIONS = 8;
const MESSAGES_PER_RUN = 2000;
const RUNS = 3;
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

/** Messages stored so far, evicted ones included, as the API reports them. */
async function storedCount(httpBase: string): Promise<number> {
  const response = await fetch(`${httpBase}api/messages?limit=1`);
  const page = (await response.json()) as { total: number; evictedTotal: number };
  return page.total + page.evictedTotal;
}

export interface IngestBenchResult {
  readonly storedPerSecond: number;
  readonly acceptedPerSecond: number;
  readonly baselinePerSecond: number;
}

/** Runs the benchmark and prints its figures. */
export async function runIngestBench(): Promise<IngestBenchResult> {
  const app = await startApp(testConfig());
  const baseline = await startDiscardingServer();
  try {
    await runClient(app.ports.smtp, 300);
    await runClient(baseline.port, 300);
    const stored: number[] = [];
    const accepted: number[] = [];
    const discarded: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const before = await storedCount(app.urls.http);
      const { start, end } = await runClient(app.ports.smtp, MESSAGES_PER_RUN);
      accepted.push(MESSAGES_PER_RUN / ((end - start) / 1000));
      // Parsing and storing happen after the 250 reply; the run ends when the last one is stored.
      while ((await storedCount(app.urls.http)) < before + MESSAGES_PER_RUN) await new Promise((r) => setTimeout(r, 10));
      stored.push(MESSAGES_PER_RUN / ((performance.now() - start) / 1000));

      const plain = await runClient(baseline.port, MESSAGES_PER_RUN);
      discarded.push(MESSAGES_PER_RUN / ((plain.end - plain.start) / 1000));
    }
    const result = { storedPerSecond: median(stored), acceptedPerSecond: median(accepted), baselinePerSecond: median(discarded) };
    const ratio = result.storedPerSecond / result.baselinePerSecond;
    const rate = (value: number) => `${Math.round(value).toLocaleString('en')} messages/s`;
    console.log(`ingest: ${MESSAGES_PER_RUN} messages of ~2 KB from a client process over ${CONNECTIONS} pipelining connections, median of ${RUNS} runs`);
    console.log(`  live process, accepted (250 sent): ${rate(result.acceptedPerSecond)}`);
    console.log(`  live process, accepted and stored (mailparser + SQLite in the capture worker): ${rate(result.storedPerSecond)}`);
    console.log(`  baseline (plain smtp-server, discards): ${rate(result.baselinePerSecond)}` +
      ` -> capture + storage runs at ${(ratio * 100).toFixed(0)}% of the baseline` +
      ` (acceptance alone at ${((result.acceptedPerSecond / result.baselinePerSecond) * 100).toFixed(0)}%)`);
    console.log(`  verdict: ${ratio >= 0.5 ? 'meets' : 'MISSES'} the target of at least 50% of the baseline`);
    return result;
  } finally {
    await baseline.close();
    await app.close('benchmark finished');
  }
}
