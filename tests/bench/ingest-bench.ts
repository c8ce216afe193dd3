/**
 * Message ingest with durable acknowledgement: messages per second the live process accepts,
 * each 250 sent only once the message is committed (capture worker, SQLite WAL, group commit,
 * the default 1,000-message mailbox evicting the oldest), against, in the same run, with the
 * same client and messages:
 * - a plain smtp-server that reads each message and throws it away (target: at least 50%);
 * - MailDev 3.0, a peer mail catcher from npm, with its defaults (target: at least 2x);
 * - the same capture with `synchronous = NORMAL` (no fsync: commits survive a killed process but
 *   not a power cut, unlike the live process's FULL), to show what the fsync per group commit
 *   costs (see CaptureWriterOptions.synchronous for the choice).
 * The client is a separate process, as real mail clients are, reusing its connections.
 *
 * The live process parses (mailparser) in the background once a burst is over: the figures say
 * how long that took, and each run waits for it (up to a limit), so parsing never overlaps
 * another measurement. Before each baseline run both databases are checkpointed (TRUNCATE) and
 * the disk given a moment, so no checkpoint of the runs before falls into the baseline's time.
 */
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { startCaptureWriter } from '../../server/app/capture-writer.ts';
import { startSmtpListeners } from '../../server/app/smtp-listeners.ts';
import { startApp } from '../../server/app/start-app.ts';
import { openDatabase } from '../../server/storage/open-database.ts';
import { loadTlsCredentials } from '../../server/tls/load-tls-credentials.ts';
import { testConfig } from '../server/app/app-config.ts';
import { WIRE_PROTOCOL_VERSION } from '../../protocol/wire/contract.ts';
import { ensureMailDev, startMailDev } from './maildev-process.ts';
import { median } from './measure.ts';

const CONNECTIONS = 8;
const MESSAGES_PER_RUN = 2000;
/** Interleaved rounds (live, NORMAL, baseline, MailDev), after one full-size warm-up round (JIT, caches, database pages). */
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

/** Capture as the live process wires it, but with synchronous = NORMAL; no HTTP, no bridge. */
async function startNormalSyncCapture(): Promise<{ port: number; databaseFile: string; caughtUp(): boolean; close(): Promise<void> }> {
  const config = testConfig();
  const databaseFile = join(config.dataDir, 'smtp-lab.sqlite');
  openDatabase(databaseFile, { check: true }).close();
  const capture = startCaptureWriter({ database: databaseFile, maxMessages: config.maxStoredMessages }, () => undefined, { synchronous: 'NORMAL' });
  const tls = await loadTlsCredentials({ dataDir: config.dataDir, hostname: config.hostname, keyFile: null, certFile: null });
  const smtp = await startSmtpListeners({ config, tls, onMessage: (message) => capture.store(['default'], message), onError: () => undefined });
  const reader = new BetterSqlite3(databaseFile, { readonly: true });
  const unparsed = reader.prepare('SELECT COUNT(*) AS n FROM messages WHERE parsed = 0');
  return {
    port: smtp.smtp.port,
    databaseFile,
    caughtUp: () => (unparsed.get() as { n: number }).n === 0,
    async close() {
      reader.close();
      await smtp.close('benchmark finished');
      await capture.close();
    },
  };
}

/** Messages stored so far (evicted ones included), and whether the newest one is parsed yet. */
async function mailboxState(httpBase: string): Promise<{ stored: number; newestParsed: boolean }> {
  const response = await fetch(`${httpBase}api/messages?limit=1`);
  const page = (await response.json()) as { total: number; evictedTotal: number; messages: { parsed: boolean }[] };
  return { stored: page.total + page.evictedTotal, newestParsed: page.messages[0]?.parsed ?? true };
}

/** How long parsing may take to catch up before the benchmark gives up on a run. */
const CATCH_UP_TIMEOUT_MS = 120_000;
/** A pause after the checkpoint, so its writes have reached the disk before a baseline run. */
const SETTLE_MS = 250;

/** Polls every 2 ms (a coarser poll would add its own wait to the measured time), up to a limit. */
async function waitUntil(what: string, check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + CATCH_UP_TIMEOUT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`gave up after ${CATCH_UP_TIMEOUT_MS / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now();
}

const CHECKPOINT_TIMEOUT_MS = 10_000;

/**
 * Copies each write-ahead log into its database and empties it (TRUNCATE), then lets the disk
 * settle: the checkpoint a capture would run after its burst cannot fall into the next run.
 */
async function checkpointAndSettle(databaseFiles: readonly string[]): Promise<void> {
  for (const file of databaseFiles) {
    const db = new BetterSqlite3(file);
    try {
      // TRUNCATE waits for writers (busy_timeout) but not for readers: the live process may be
      // reading (a push, a mailbox count) at that moment, so try again for a bounded while.
      db.pragma('busy_timeout = 10000');
      const deadline = performance.now() + CHECKPOINT_TIMEOUT_MS;
      while ((db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy !== 0) {
        if (performance.now() > deadline) throw new Error(`the checkpoint of ${file} was blocked for ${CHECKPOINT_TIMEOUT_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      db.close();
    }
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
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
  /** Accepted and committed (a 250 means stored), as the live process does it. */
  readonly storedPerSecond: number;
  readonly normalSyncPerSecond: number;
  readonly baselinePerSecond: number;
  /** Null when MailDev could not be installed or started. */
  readonly mailDevPerSecond: number | null;
}

interface LiveRun {
  readonly stored: number;
  /** From the last 250 until the newest message was parsed (ms). */
  readonly parseLagMs: number;
  readonly parsedCount: number;
}

const perSecond = ({ start, end }: { start: number; end: number }) => MESSAGES_PER_RUN / ((end - start) / 1000);

/** One run against the live process; resolves once every message it still keeps is parsed. */
async function liveRun(app: { ports: { smtp: number }; urls: { http: string } }, parsed: { count(): number }): Promise<LiveRun> {
  const before = (await mailboxState(app.urls.http)).stored;
  const parsedBefore = parsed.count();
  const timing = await runClient(app.ports.smtp, MESSAGES_PER_RUN);
  const { stored } = await mailboxState(app.urls.http);
  // Durable acknowledgement: every 250 was sent after its commit, so all are there already.
  if (stored < before + MESSAGES_PER_RUN) throw new Error(`only ${stored - before} of ${MESSAGES_PER_RUN} acknowledged messages are stored`);
  const caughtUp = await waitUntil('the live process to parse the newest message', async () => (await mailboxState(app.urls.http)).newestParsed);
  // The push for the newest message may still be on its way.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { stored: perSecond(timing), parseLagMs: caughtUp - timing.end, parsedCount: parsed.count() - parsedBefore };
}

/** Runs the benchmark and prints its figures. */
export async function runIngestBench(): Promise<IngestBenchResult> {
  const app = await startApp(testConfig());
  const normalSync = await startNormalSyncCapture();
  const baseline = await startDiscardingServer();
  const mailDevBin = ensureMailDev();
  const mailDev = mailDevBin === null ? null : await startMailDev(mailDevBin);
  const parsed = await watchParsed(app.urls.ws);
  const normalSyncRun = async () => {
    const timing = await runClient(normalSync.port, MESSAGES_PER_RUN);
    await waitUntil('the NORMAL capture to parse every message', async () => normalSync.caughtUp());
    return perSecond(timing);
  };
  const baselineRun = async () => {
    await checkpointAndSettle([app.databaseFile!, normalSync.databaseFile]);
    return perSecond(await runClient(baseline.port, MESSAGES_PER_RUN));
  };
  try {
    await liveRun(app, parsed);
    await normalSyncRun();
    await baselineRun();
    if (mailDev) await runClient(mailDev.smtpPort, MESSAGES_PER_RUN);
    const runs: LiveRun[] = [];
    const normalSyncs: number[] = [];
    const discarded: number[] = [];
    const mailDevs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      runs.push(await liveRun(app, parsed));
      normalSyncs.push(await normalSyncRun());
      discarded.push(await baselineRun());
      if (mailDev) mailDevs.push(perSecond(await runClient(mailDev.smtpPort, MESSAGES_PER_RUN)));
    }
    const result: IngestBenchResult = {
      storedPerSecond: median(runs.map((run) => run.stored)),
      normalSyncPerSecond: median(normalSyncs),
      baselinePerSecond: median(discarded),
      mailDevPerSecond: mailDev ? median(mailDevs) : null,
    };
    const ratio = result.storedPerSecond / result.baselinePerSecond;
    const rate = (value: number) => `${Math.round(value).toLocaleString('en')} messages/s`;
    const all = (values: readonly number[]) => values.map((value) => Math.round(value).toLocaleString('en')).join(', ');
    console.log(`ingest: ${MESSAGES_PER_RUN} messages of ~2 KB from a client process over ${CONNECTIONS} reused pipelining connections, median of ${RUNS} runs (after a warm-up run)`);
    console.log(`  live process, 250 after the commit (WAL, synchronous = FULL: an fsync per group commit): ${rate(result.storedPerSecond)} [runs: ${all(runs.map((run) => run.stored))}]`);
    console.log(`  same capture with synchronous = NORMAL (no fsync): ${rate(result.normalSyncPerSecond)} [runs: ${all(normalSyncs)}]` +
      ` -> ${((result.normalSyncPerSecond / result.storedPerSecond) * 100).toFixed(0)}% of the live process's rate, ${((result.normalSyncPerSecond / result.baselinePerSecond) * 100).toFixed(0)}% of the baseline`);
    console.log(`  baseline (plain smtp-server, discards): ${rate(result.baselinePerSecond)} [runs: ${all(discarded)}]` +
      ` -> durable capture runs at ${(ratio * 100).toFixed(0)}% of the baseline` +
      ` (median of the per-round ratios, each pair measured back to back: ${(median(runs.map((run, i) => run.stored / (discarded[i] ?? Infinity))) * 100).toFixed(0)}%)`);
    console.log(`  parsing (mailparser, in the capture worker once the burst is over): done ${Math.round(median(runs.map((run) => run.parseLagMs)))} ms` +
      ` after the last 250 (median); ${median(runs.map((run) => run.parsedCount))} messages parsed and pushed per run,` +
      ` the others were evicted (mailbox of 1,000) before their turn`);
    console.log(`  verdict: ${ratio >= 0.5 ? 'meets' : 'MISSES'} the target of at least 50% of the baseline`);
    if (result.mailDevPerSecond !== null) {
      const versus = result.storedPerSecond / result.mailDevPerSecond;
      console.log(`  MailDev 3.0 (defaults: mail in memory): ${rate(result.mailDevPerSecond)} [runs: ${all(mailDevs)}]` +
        ` -> the live process, storing durably, does ${versus.toFixed(1)}x its messages per second`);
      console.log(`  verdict: ${versus >= 2 ? 'meets' : 'MISSES'} the target of at least 2x MailDev`);
    }
    return result;
  } finally {
    parsed.close();
    await mailDev?.close();
    await baseline.close();
    await normalSync.close();
    await app.close('benchmark finished');
  }
}
