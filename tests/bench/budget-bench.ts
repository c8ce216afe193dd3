/**
 * Bounded sessions, measured against the real `smtp-lab serve` process at its default limits:
 * one learner sends over 50 MB of message data at the allowed rate (10 console sends a second
 * of 1 MB each) while another learner sends NOOP every 100 ms. Prints the other learner's round
 * trip against the same learner's on the idle server (the baseline, same run), the server's
 * memory growth, and how long and how big the heavy session's whole transcript read is.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LearnerClient } from '../server/app/learner-client.ts';
import { startServeProcess } from '../server/app/serve-process.ts';
import { LeanLearner } from '../server/bridge/lean-learner.ts';
import { median, percentile } from './measure.ts';

const MIB = 1024 * 1024;
const CHUNK = `${'x'.repeat(998)}\r\n`.repeat(1000);
const SENDS_PER_MESSAGE = 9;
const MESSAGES = 6;
/** Just under the default 10 sends a second. */
const SEND_INTERVAL_MS = 105;
const NOOP_INTERVAL_MS = 100;

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** NOOP round trips of `learner` until `done` says stop (or `count` of them); bounded either way. */
async function noopTimes(learner: LearnerClient, done: () => boolean, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count && !done(); i += 1) {
    const start = performance.now();
    const reply = await learner.command('NOOP');
    if (reply.code !== 250) throw new Error(`expected 250, got ${reply.raw}`);
    times.push(performance.now() - start);
    await sleep(NOOP_INTERVAL_MS);
  }
  return times;
}

async function sendHeavy(heavy: LeanLearner): Promise<number> {
  let sent = 0;
  if ((await heavy.exchange('EHLO heavy.example\r\n')) !== 250) throw new Error('EHLO refused');
  for (let message = 0; message < MESSAGES; message += 1) {
    for (const [command, code] of [['MAIL FROM:<big@example.com>', 250], ['RCPT TO:<sink@example.org>', 250], ['DATA', 354]] as const) {
      const got = await heavy.exchange(`${command}\r\n`);
      if (got !== code) throw new Error(`${command}: expected ${code}, got ${got}`);
    }
    for (let send = 0; send < SENDS_PER_MESSAGE; send += 1) {
      await sleep(SEND_INTERVAL_MS);
      heavy.send(CHUNK);
      sent += CHUNK.length;
    }
    await sleep(SEND_INTERVAL_MS);
    const verdict = await heavy.exchange('.\r\n');
    if (verdict !== 250) throw new Error(`the message got ${verdict}`);
  }
  return sent;
}

/** Reads a session's whole transcript page by page; its time and bytes. */
async function readTranscript(httpBase: string, sessionId: string): Promise<{ ms: number; bytes: number; events: number; pages: number }> {
  const start = performance.now();
  let bytes = 0;
  let events = 0;
  let after = 0;
  for (let pages = 1; pages <= 1000; pages += 1) {
    const text = await (await fetch(new URL(`/api/sessions/${sessionId}?after=${after}`, httpBase))).text();
    bytes += Buffer.byteLength(text);
    const page = JSON.parse(text) as { events: unknown[]; hasMore: boolean; nextAfter: number | null };
    events += page.events.length;
    if (!page.hasMore) return { ms: performance.now() - start, bytes, events, pages };
    after = page.nextAfter!;
  }
  throw new Error('more than 1000 pages');
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function runBudgetBench(): Promise<void> {
  const lab = await startServeProcess();
  const pid = lab.child.pid!;
  try {
    const other = await LearnerClient.open(lab.wsUrl);
    await other.command('EHLO other.example');
    const idle = await noopTimes(other, () => false, 40);
    const heavy = await LeanLearner.open(lab.wsUrl);
    const rssBefore = rssBytes(pid);
    let peak = rssBefore;
    let finished = false;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
    const started = performance.now();
    const [sent, loaded] = await Promise.all([
      sendHeavy(heavy).finally(() => (finished = true)),
      noopTimes(other, () => finished, 2000),
    ]);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (heavy.closed !== null) throw new Error(`the heavy session closed: ${heavy.closed.reason}`);
    const read = await readTranscript(lab.httpBase, heavy.sessionId);
    heavy.close();
    other.close();

    const growth = peak - rssBefore;
    const loadedP99 = percentile(loaded, 99);
    console.log(`session budget: one learner sends ${(sent / 1e6).toFixed(1)} MB of message data in ${seconds.toFixed(1)} s (${MESSAGES} messages, 1 MB sends at ~10/s), another sends NOOP every ${NOOP_INTERVAL_MS} ms`);
    console.log(`  other learner's NOOP round trip: idle p50 ${ms(median(idle))}, p99 ${ms(percentile(idle, 99))} (${idle.length});` +
      ` during the heavy session p50 ${ms(median(loaded))}, p99 ${ms(loadedP99)}, max ${ms(Math.max(...loaded))} (${loaded.length})` +
      ` -> ${(median(loaded) / median(idle)).toFixed(1)}x idle at p50`);
    console.log(`  server memory: RSS ${(rssBefore / MIB).toFixed(0)} MiB before, peak +${(growth / MIB).toFixed(0)} MiB during`);
    console.log(`  the heavy session's transcript: ${read.events} events, read whole in ${ms(read.ms)}, ${(read.bytes / 1e6).toFixed(2)} MB in ${read.pages} page(s)`);
    const meets = growth < 300 * MIB && Math.max(...loaded) < 500 && read.ms < 1000 && read.bytes < 16e6;
    console.log(`  verdict: ${meets ? 'meets' : 'MISSES'} the targets (memory +300 MiB, other learner's round trip under 500 ms, transcript read under 1 s and 16 MB)`);
  } finally {
    await lab.stop();
  }
}
