/**
 * The mail's journey (issue 13): 1,000 messages from a client process through three hops —
 * client → sandbox (stored + enqueued in one commit) → relay worker (MX lookup, DKIM signing,
 * SMTP through the client driver) → mx.example.net (SPF, DKIM, DMARC with mailauth, p=reject
 * enforced) → bob's mailbox — in real time (the lab clock aside). Figures: journeys per second,
 * p50/p99 journey time (from the client's first byte to the mailbox commit), this process's CPU
 * per journey (background parsing of the delivered copies included), against single-hop ingest
 * (client → the same sandbox → stored) with the same client and messages in the same run.
 * Target: at least 200 journeys/s. See journey-pipeline.ts for exactly what each hop does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadOrCreateDkimKeys } from '../../server/world/dkim-keys.ts';
import { startJourneyPipeline, type JourneyPipeline } from './journey-pipeline.ts';
import { median, percentile } from './measure.ts';

const JOURNEYS = 1000;
const CONNECTIONS = 8;
/** Interleaved rounds (journey, then ingest), after one full-size warm-up round of each. */
const RUNS = 3;
const TARGET_PER_SECOND = 200;
/** A second relay worker with more rows in flight than the default 4, to show what waiting costs. */
const WIDE_CONCURRENCY = 32;
const CLIENT = fileURLToPath(new URL('./journey-client-process.ts', import.meta.url));
/** How long one run may take before the benchmark gives up. */
const RUN_TIMEOUT_MS = 120_000;

/** Runs the client process against `port`; resolves with when each journey began (epoch ms). */
function runClient(port: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, String(port), String(count), String(CONNECTIONS)]);
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) {
        output = output.slice('ready\n'.length);
        child.stdin.write('go\n');
      }
      const done = /^done (\[.*\])\n/m.exec(output);
      if (done) resolve(JSON.parse(done[1] ?? '[]') as number[]);
    });
    child.on('close', (code) => code !== 0 && reject(new Error(`journey client failed (${code}): ${errors}`)));
  });
}

interface Run {
  readonly perSecond: number;
  /** Journey times in ms, by journey. */
  readonly times: readonly number[];
  /** This process's CPU (user + system) per message, in ms. */
  readonly cpuMs: number;
  /** Delivered copies by their Authentication-Results verdicts (empty for ingest). */
  readonly verdicts: ReadonlyMap<string, number>;
}

/** Polls every 2 ms (a coarser poll would add to the measured time), up to a limit. */
async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = performance.now() + RUN_TIMEOUT_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${RUN_TIMEOUT_MS / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function measure(pipeline: JourneyPipeline, what: string): Promise<Run> {
  pipeline.reset();
  const cpuBefore = process.cpuUsage();
  const started = await runClient(pipeline.port, JOURNEYS);
  await waitUntil(what, () => pipeline.finished.size >= JOURNEYS);
  await pipeline.idle();
  const cpu = process.cpuUsage(cpuBefore);
  const verdicts = pipeline.verdicts();
  // DMARC p=reject is enforced, so a delivered copy without dmarc=pass means the bench measured the wrong thing.
  const wrong = [...verdicts.keys()].filter((key) => !key.includes('spf=pass') || !key.includes('dmarc=pass'));
  if (wrong.length > 0) throw new Error(`delivered copies without SPF and DMARC passing: ${wrong.join(', ')}`);
  const times = started.map((at, index) => (pipeline.finished.get(index) ?? Number.NaN) - at);
  const first = Math.min(...started);
  const last = Math.max(...pipeline.finished.values());
  return { perSecond: JOURNEYS / ((last - first) / 1000), times, cpuMs: (cpu.user + cpu.system) / 1000 / JOURNEYS, verdicts };
}

export interface JourneyBenchResult {
  readonly journeysPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMsPerJourney: number;
  readonly ingestPerSecond: number;
}

/** Runs the benchmark and prints its figures. */
export async function runJourneyBench(): Promise<JourneyBenchResult> {
  const keyDir = mkdtempSync(join(tmpdir(), 'smtp-lab-journey-keys-'));
  const keys = await loadOrCreateDkimKeys(keyDir);
  const journey = await startJourneyPipeline({ keys, relay: true });
  const wide = await startJourneyPipeline({ keys, relay: true, relayConcurrency: WIDE_CONCURRENCY });
  const ingest = await startJourneyPipeline({ keys, relay: false });
  try {
    await measure(journey, 'the warm-up journeys');
    await measure(wide, 'the warm-up journeys (wide)');
    await measure(ingest, 'the warm-up ingest');
    const journeys: Run[] = [];
    const wides: Run[] = [];
    const ingests: Run[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      journeys.push(await measure(journey, 'the journeys'));
      wides.push(await measure(wide, 'the journeys (wide)'));
      ingests.push(await measure(ingest, 'the ingest'));
    }
    // The middle run by rate, so its times and CPU belong to the same run as the rate.
    const middle = (runs: readonly Run[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)] as Run;
    const typical = middle(journeys);
    const result: JourneyBenchResult = {
      journeysPerSecond: typical.perSecond,
      p50Ms: percentile(typical.times, 50),
      p99Ms: percentile(typical.times, 99),
      cpuMsPerJourney: typical.cpuMs,
      ingestPerSecond: median(ingests.map((run) => run.perSecond)),
    };
    const all = (runs: readonly Run[]) => runs.map((run) => Math.round(run.perSecond).toLocaleString('en')).join(', ');
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(`journey: ${JOURNEYS} messages of ~2 KB, alice@example.com → bob@example.net, from a client process over ${CONNECTIONS} pipelining connections; median of ${RUNS} runs (after a warm-up run)`);
    console.log('  hops: client → sandbox (smtp-server; raw + outbound row in one SQLite commit, on the main thread) → relay worker (MX lookup,' +
      ' DKIM rsa-sha256 signing, SMTP via the client driver, one connection per message) → mx.example.net (Postfix personality;' +
      ' SPF, DKIM, DMARC p=reject via mailauth) → committed to bob\'s mailbox; one process, real TCP on loopback');
    console.log(`  journeys: ${Math.round(result.journeysPerSecond).toLocaleString('en')} journeys/s [runs: ${all(journeys)}];` +
      ` journey time p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)} (client's first byte → mailbox commit, under full load)`);
    const wideTypical = middle(wides);
    console.log(`  same, relay worker with ${WIDE_CONCURRENCY} rows in flight (default 4): ${Math.round(wideTypical.perSecond).toLocaleString('en')} journeys/s [runs: ${all(wides)}];` +
      ` p50 ${ms(percentile(wideTypical.times, 50))}, p99 ${ms(percentile(wideTypical.times, 99))}, CPU ${ms(wideTypical.cpuMs)} per journey`);
    console.log(`  CPU in the server process: ${ms(result.cpuMsPerJourney)} per journey (the delivered copy's parse included) vs ${ms(middle(ingests).cpuMs)} per single-hop message`);
    console.log(`  single-hop ingest (client → the same sandbox → stored, no relay): ${Math.round(result.ingestPerSecond).toLocaleString('en')} messages/s [runs: ${all(ingests)}]` +
      ` -> the three-hop journey runs at ${((result.journeysPerSecond / result.ingestPerSecond) * 100).toFixed(0)}% of single-hop ingest`);
    const tally = new Map<string, number>();
    for (const run of [...journeys, ...wides]) for (const [key, count] of run.verdicts) tally.set(key, (tally.get(key) ?? 0) + count);
    console.log(`  receiver verdicts over the ${RUNS * 2} measured journey runs: ${[...tally].map(([key, count]) => `${count} × ${key}`).join('; ')}` +
      (tally.size > 1 ? ' (dkim=fail "bad signature": mailauth 4.13 rejects about 1 in 250 of its own fresh signatures; signOutbound then verifyInbound alone, with no network, does it too)' : ''));
    console.log(`  verdict: ${result.journeysPerSecond >= TARGET_PER_SECOND ? 'PASS' : 'UNDER'} the target of at least ${TARGET_PER_SECOND} journeys/s`);
    return result;
  } finally {
    await journey.close();
    await wide.close();
    await ingest.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
}
