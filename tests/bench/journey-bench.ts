/**
 * The mail's journey (issue 13): 1,000 messages from a client process through three hops on
 * the live process's wiring (startApp; see journey-pipeline.ts for each hop) — client →
 * sandbox (capture + outbound row in one commit) → relay worker (MX lookup, DKIM signing, SMTP
 * through the client driver) → mx.example.net (SPF, DKIM, DMARC with mailauth, p=reject
 * enforced) → bob's mailbox — in real time (the lab clock aside). Figures: journeys per second,
 * p50/p99 journey time (the client's first byte → bob's copy seen in the database), the server
 * process's CPU per journey (all threads: capture worker, mail-auth worker, relay, MX, background
 * parses; and the main thread alone), at the default --relay-concurrency and at others for
 * comparison, against single-hop ingest (client → the same app → capture stored, for a domain
 * outside the lab) with the same client in the same run.
 * Target: at least 200 journeys/s.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../../server/config/settings.ts';
import { JOURNEY_ENVELOPE, type Envelope } from './journey-load.ts';
import { DATA_ROOT, startJourneyApp, type Arrival, type JourneyApp } from './journey-pipeline.ts';
import { mainThreadCpuMs, median, percentile } from './measure.ts';

const JOURNEYS = 1000;
const CONNECTIONS = 8;
/** Interleaved rounds (journey, then ingest) at the default concurrency, after a warm-up of each. */
const RUNS = 3;
/** The other relay concurrencies measured, one run each after a warm-up. */
const COMPARED = [4, 8, 32];
const DEFAULT_CONCURRENCY = Number(SETTINGS.relayConcurrency.default);
const TARGET_PER_SECOND = 200;
/** Mail from outside the lab to outside the lab: captured as today, never relayed. */
const INGEST_ENVELOPE: Envelope = { from: 'learner@client.test', to: 'someone@elsewhere.test' };
const CLIENT = fileURLToPath(new URL('./journey-client-process.ts', import.meta.url));
/** How long one run may take before the benchmark gives up. */
const RUN_TIMEOUT_MS = 120_000;

/** Runs the client process against `port`; resolves with when each message began (epoch ms). */
function runClient(port: number, count: number, envelope: Envelope): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, String(port), String(count), String(CONNECTIONS), envelope.from, envelope.to]);
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
  /** The server process's CPU (user + system, all threads) per message, in ms. */
  readonly cpuMs: number;
  /** The same for its main thread (the event loop) alone; null where it cannot be read. */
  readonly mainCpuMs: number | null;
}

/** Checks every 5 ms (the app's poll sets the pace), up to a limit. */
async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = performance.now() + RUN_TIMEOUT_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${RUN_TIMEOUT_MS / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measure(app: JourneyApp, arrival: Arrival, count = JOURNEYS): Promise<Run> {
  app.reset();
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  const started = await runClient(app.port, count, arrival === 'mailbox' ? JOURNEY_ENVELOPE : INGEST_ENVELOPE);
  const arrived = app.arrived(arrival);
  await waitUntil(`${count} messages in the ${arrival}`, () => arrived.size >= count);
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  if (arrival === 'mailbox') {
    // DMARC p=reject is enforced, so a delivered copy without dmarc=pass means the bench measured the wrong thing.
    const wrong = [...app.verdicts().keys()].filter((key) => !key.includes('spf=pass') || !key.includes('dmarc=pass'));
    if (wrong.length > 0) throw new Error(`delivered copies without SPF and DMARC passing: ${wrong.join(', ')}`);
  }
  const times = started.map((at, index) => (arrived.get(index) ?? Number.NaN) - at);
  const first = Math.min(...started);
  const last = Math.max(...arrived.values());
  const mainCpuMs = mainBefore === null || mainAfter === null ? null : (mainAfter - mainBefore) / count;
  return { perSecond: count / ((last - first) / 1000), times, cpuMs: (cpu.user + cpu.system) / 1000 / count, mainCpuMs };
}

export interface JourneyBenchResult {
  readonly journeysPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMsPerJourney: number;
  readonly mainCpuMsPerJourney: number | null;
  readonly ingestPerSecond: number;
}

const rate = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mainCpu = (run: Run) => (run.mainCpuMs === null ? 'main thread not readable here' : `${ms(run.mainCpuMs)} on the main thread`);
const describeRun = (run: Run) => `${rate(run.perSecond)} journeys/s, p50 ${ms(percentile(run.times, 50))}, p99 ${ms(percentile(run.times, 99))}, CPU ${ms(run.cpuMs)} per journey (${mainCpu(run)})`;

/** One warm-up run (a tenth of the size) and one measured run at `concurrency`. */
async function compare(concurrency: number): Promise<Run> {
  const app = await startJourneyApp({ relayConcurrency: concurrency });
  try {
    await measure(app, 'mailbox', JOURNEYS / 10);
    return await measure(app, 'mailbox');
  } finally {
    await app.close();
  }
}

/** Runs the benchmark and prints its figures. */
export async function runJourneyBench(): Promise<JourneyBenchResult> {
  const app = await startJourneyApp();
  const journeys: Run[] = [];
  const ingests: Run[] = [];
  const tally = new Map<string, number>();
  try {
    await measure(app, 'mailbox');
    await measure(app, 'capture');
    for (let run = 0; run < RUNS; run += 1) {
      journeys.push(await measure(app, 'mailbox'));
      for (const [key, count] of app.verdicts()) tally.set(key, (tally.get(key) ?? 0) + count);
      ingests.push(await measure(app, 'capture'));
    }
  } finally {
    await app.close();
  }
  const compared: [number, Run][] = [];
  for (const concurrency of COMPARED) compared.push([concurrency, await compare(concurrency)]);

  // The middle run by rate, so its times and CPU belong to the same run as the rate.
  const middle = (runs: readonly Run[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)] as Run;
  const typical = middle(journeys);
  const result: JourneyBenchResult = {
    journeysPerSecond: typical.perSecond,
    p50Ms: percentile(typical.times, 50),
    p99Ms: percentile(typical.times, 99),
    cpuMsPerJourney: typical.cpuMs,
    mainCpuMsPerJourney: typical.mainCpuMs,
    ingestPerSecond: median(ingests.map((run) => run.perSecond)),
  };
  const all = (runs: readonly Run[]) => runs.map((run) => rate(run.perSecond)).join(', ');
  console.log(`journey: ${JOURNEYS} messages of ~2 KB, alice@example.com → bob@example.net, from a client process over ${CONNECTIONS} pipelining connections; median of ${RUNS} runs (after a warm-up run)`);
  console.log('  the live wiring (startApp in the bench process): client → sandbox (capture + outbound row in one group commit, capture worker) →' +
    ' relay worker (MX lookup, Received, DKIM rsa-sha256 signing in the mail-auth worker thread, SMTP via the client driver, one connection per message) →' +
    ' mx.example.net (Postfix personality; SPF, DKIM, DMARC p=reject via mailauth in the mail-auth worker thread) → bob\'s mailbox; real TCP on loopback;' +
    ` database in ${DATA_ROOT} (see journey-pipeline.ts: on this shared disk, fsync stalls cost retries)`);
  console.log(`  journeys at --relay-concurrency ${DEFAULT_CONCURRENCY} (the default): ${rate(result.journeysPerSecond)} journeys/s [runs: ${all(journeys)}];` +
    ` journey time p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)} (client's first byte → bob's copy seen by a 2 ms database poll, under full load)`);
  for (const [concurrency, run] of compared) console.log(`  same at --relay-concurrency ${concurrency}: ${describeRun(run)} (one run)`);
  console.log(`  CPU in the server process (all threads): ${ms(result.cpuMsPerJourney)} per journey (delivered copy's parse included; ${mainCpu(typical)},` +
    ` the rest in the mail-auth worker (DKIM signing, SPF/DKIM/DMARC), the capture worker and Node's own threads) vs ${ms(middle(ingests).cpuMs)} per single-hop message (${mainCpu(middle(ingests))})`);
  console.log(`  single-hop ingest (client → the same app → capture stored; ${INGEST_ENVELOPE.to} is outside the lab, so nothing is relayed): ${rate(result.ingestPerSecond)} messages/s [runs: ${all(ingests)}]` +
    ` -> the three-hop journey runs at ${((result.journeysPerSecond / result.ingestPerSecond) * 100).toFixed(0)}% of single-hop ingest`);
  console.log(`  receiver verdicts over the ${RUNS} measured default runs: ${[...tally].map(([key, count]) => `${count} × ${key}`).join('; ')}` +
    (tally.size > 1 ? ' (dkim=fail "bad signature": mailauth 4.13 rejects about 1 in 250 of its own fresh signatures; signOutbound then verifyInbound alone, with no network, does it too)' : ''));
  console.log(`  verdict: ${result.journeysPerSecond >= TARGET_PER_SECOND ? 'PASS' : 'UNDER'} the target of at least ${TARGET_PER_SECOND} journeys/s`);
  return result;
}
