/**
 * The console bridge, measured against the real `smtp-lab serve` process:
 * 1. round trip of one command (WebSocket → bridge → TCP → sandbox → back) against the same
 *    command sent straight to the sandbox over TCP, in the same run;
 * 2. 1,000 concurrent learner sessions: round trips under a steady typing load, and the
 *    server's memory per idle session (its RSS before and after opening them).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LearnerClient } from '../server/app/learner-client.ts';
import { RawSmtpClient } from '../server/app/raw-smtp.ts';
import { startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { measureBareRelay } from './bare-relay.ts';
import { median, percentile } from './measure.ts';

/** Limits opened wide: the benchmark measures the bridge, not the rate limiter. */
const BENCH_FLAGS = ['--max-sessions-per-address', '5000', '--commands-per-second', '100000', '--max-smtp-clients', '5000'];

async function timed(send: () => Promise<{ code: number }>): Promise<number> {
  const start = performance.now();
  const reply = await send();
  if (reply.code !== 250) throw new Error(`expected 250, got ${reply.code}`);
  return performance.now() - start;
}

/** Resident memory of a process in bytes (Linux). */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Runs part 1 and prints its figures. */
export async function runBridgeRoundTripBench(lab?: ServeProcess): Promise<{ bridgeP50: number; directP50: number }> {
  const server = lab ?? (await startServeProcess({ args: BENCH_FLAGS }));
  try {
    const learner = await LearnerClient.open(server.wsUrl);
    const direct = await RawSmtpClient.connect(server.smtpPort);
    await direct.reply();
    await learner.command('EHLO bench.example');
    await direct.command('EHLO bench.example');
    const bridged: number[] = [];
    const straight: number[] = [];
    // Interleaved, so a noisy moment on the machine hits both sides alike. Each direct command
    // waits until the bridge has finished the previous exchange (its model read the reply): the
    // bridge answers first and runs the model after, and that work must not be timed as part of
    // the next direct round trip (which would flatter the ratio).
    for (let block = 0; block < 6; block += 1) {
      for (let i = 0; i < 300; i += 1) {
        const b = await timed(() => learner.command('NOOP'));
        await learner.settled();
        const d = await timed(() => direct.command('NOOP'));
        if (block > 0) {
          bridged.push(b);
          straight.push(d);
        }
      }
    }
    learner.close();
    direct.destroy();
    const bridgeP50 = median(bridged);
    const directP50 = median(straight);
    console.log(`bridge round trip: NOOP -> 250, ${bridged.length} each, interleaved (first block of 300 is warm-up), each on an idle server`);
    console.log(`  through the bridge (WebSocket -> bridge -> TCP -> sandbox): p50 ${ms(bridgeP50)}, p99 ${ms(percentile(bridged, 99))}`);
    console.log(`  direct TCP to the sandbox: p50 ${ms(directP50)}, p99 ${ms(percentile(straight, 99))}` +
      ` -> the bridge costs ${(bridgeP50 / directP50).toFixed(2)}x direct at p50`);
    const floor = await measureBareRelay(6, 300);
    console.log(`  for scale, a bare WebSocket -> TCP relay (no validation, model or transcript): p50 ${ms(floor.relayP50)}` +
      ` against ${ms(floor.directP50)} direct -> ${(floor.relayP50 / floor.directP50).toFixed(2)}x on this machine`);
    console.log(`  verdict: ${bridgeP50 <= 2 * directP50 ? 'meets' : 'MISSES'} the target of p50 within 2x of direct`);
    return { bridgeP50, directP50 };
  } finally {
    if (!lab) await server.stop();
  }
}

const SESSIONS = 1000;
const LOAD_SECONDS = 8;
/** Each learner sends a command about every 2 s: 500 commands/s in all, far busier than humans type. */
const COMMAND_INTERVAL_MS = 2000;

/** Runs part 2 and prints its figures. */
export async function runConcurrentSessionsBench(): Promise<{ p99: number; bytesPerSession: number }> {
  const lab = await startServeProcess({ args: BENCH_FLAGS });
  const pid = lab.child.pid!;
  const learners: LearnerClient[] = [];
  try {
    // Warm up the code paths, so the memory figure is the sessions' and not the first-use JIT's.
    const warmup = await LearnerClient.open(lab.wsUrl);
    await warmup.command('EHLO warmup.example');
    warmup.close();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = rssBytes(pid);

    const opening = performance.now();
    for (let batch = 0; batch < SESSIONS / 50; batch += 1) {
      learners.push(...(await Promise.all(Array.from({ length: 50 }, () => LearnerClient.open(lab.wsUrl)))));
    }
    const openSeconds = (performance.now() - opening) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const bytesPerSession = (rssBytes(pid) - before) / SESSIONS;

    const roundTrips: number[] = [];
    const end = performance.now() + LOAD_SECONDS * 1000;
    await Promise.all(
      learners.map(async (learner) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * COMMAND_INTERVAL_MS));
        while (performance.now() < end) {
          roundTrips.push(await timed(() => learner.command('NOOP')));
          await new Promise((resolve) => setTimeout(resolve, COMMAND_INTERVAL_MS * (0.5 + Math.random())));
        }
      }),
    );
    const p50 = median(roundTrips);
    const p99 = percentile(roundTrips, 99);
    console.log(`${SESSIONS} concurrent learner sessions (each its own WebSocket and its own TCP connection to the sandbox)`);
    console.log(`  opened in ${openSeconds.toFixed(1)} s; server RSS ${(before / 1024 ** 2).toFixed(0)} MiB -> ` +
      `${((before + bytesPerSession * SESSIONS) / 1024 ** 2).toFixed(0)} MiB: ${(bytesPerSession / 1024).toFixed(1)} KiB per idle session (target < 100 KB)`);
    console.log(`  ${roundTrips.length} NOOP round trips over ${LOAD_SECONDS} s (~${Math.round(SESSIONS / (COMMAND_INTERVAL_MS / 1000))} commands/s): ` +
      `p50 ${ms(p50)}, p99 ${ms(p99)} (target p99 < 50 ms)`);
    const meets = p99 < 50 && bytesPerSession < 100_000;
    console.log(`  verdict: ${meets ? 'meets' : 'MISSES'} the targets (p99 < 50 ms, < 100 KB per idle session)`);
    return { p99, bytesPerSession };
  } finally {
    for (const learner of learners) learner.close();
    await lab.stop();
  }
}
