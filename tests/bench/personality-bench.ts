/**
 * What server personalities cost the simulator per line (issue 12): the same client sessions
 * answered by the simulator as it was before personalities (git, PRE_PERSONALITY_COMMIT) and
 * by today's simulator as each personality. Target: the `smtp-server` personality costs at
 * most 10% more per line than the old path; the others are reported beside it.
 */
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../protocol/sandbox-config.ts';
import { PERSONALITIES, PERSONALITY_NAMES, SimulatedServer } from '../../protocol/simulator/index.ts';
import { median, percentile } from './measure.ts';
import { buildClientWorkload, type ClientWorkload } from './personality-workload.ts';
import type { WorkloadKind } from './session-workload.ts';
import { loadBaselineSimulator, type BenchServerFactory } from './simulator-baseline.ts';

/** At most this much more time per line for the smtp-server personality than the old path. */
const TARGET_RATIO = 1.1;

interface BenchPath {
  readonly label: string;
  /** The personality today's simulator answers as; null for the old simulator. */
  readonly personality: PersonalityName | null;
  readonly create: BenchServerFactory;
}

/** Keeps replies observable so the JIT cannot drop the work. */
let sink = 0;

/** Client lines with their line ends, made once so timing covers only the server. */
function wireLines(workload: ClientWorkload): string[][] {
  return workload.sessions.map((lines) => lines.map((line) => `${line}\r\n`));
}

/** Every session of the workload, one fresh server per session as one per connection. */
function answerAll(path: BenchPath, sessions: readonly (readonly string[])[]): void {
  for (const lines of sessions) {
    const server = path.create({});
    sink += server.greeting().length;
    for (const line of lines) sink += server.receive(line).length;
  }
}

/** Untimed: the messages a path accepted and the sessions it ended before QUIT, with its replies. */
function checkWorkload(path: BenchPath, sessions: readonly (readonly string[])[]): { accepted: number; earlyCloses: number; replies: string } {
  let accepted = 0;
  let earlyCloses = 0;
  const replies: string[] = [];
  for (const lines of sessions) {
    const server = path.create({ onMessage: () => { accepted += 1; } });
    replies.push(server.greeting());
    lines.forEach((line, index) => {
      replies.push(server.receive(line));
      if (server.closed && index < lines.length - 1) earlyCloses += 1;
    });
  }
  return { accepted, earlyCloses, replies: replies.join('') };
}

/** Queue ids are random per message; everything else in two servers' replies must match. */
function withoutQueueIds(replies: string): string {
  return replies.replace(/queued as \S+/g, 'queued as <id>');
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * Milliseconds of CPU this process spent on `work`. CPU time rather than wall time: on a
 * shared machine the bench is often descheduled mid-run, which wall time would count.
 */
function cpuMilliseconds(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** CPU milliseconds per workload run of each path, by round; paths interleaved so drift hits all alike. */
function timeInterleaved(paths: readonly BenchPath[], sessions: readonly (readonly string[])[], rounds: number): number[][] {
  const durations = paths.map((): number[] => []);
  for (let round = 0; round < rounds; round += 1) {
    // Rotate the order so no path always runs right after the same neighbour.
    for (let offset = 0; offset < paths.length; offset += 1) {
      const index = (round + offset) % paths.length;
      const path = paths[index];
      if (!path) continue;
      collectGarbage?.();
      durations[index]?.push(cpuMilliseconds(() => answerAll(path, sessions)));
    }
  }
  return durations;
}

function currentPath(name: PersonalityName): BenchPath {
  const config = { ...DEFAULT_SANDBOX_CONFIG, personality: name };
  return { label: `${name} personality`, personality: name, create: (options) => new SimulatedServer({ config, ...options }) };
}

const DESCRIPTIONS: Record<WorkloadKind, string> = {
  typical: 'typical sessions: ~50-line messages, so most lines are message data',
  'command-heavy': 'command-heavy sessions: 11-line messages, about one command per data line',
};

export interface PersonalityBenchResult {
  readonly kind: WorkloadKind;
  readonly lines: number;
  /** Nanoseconds per client line, by path label. */
  readonly nsPerLine: Readonly<Record<string, number>>;
  /** smtp-server personality / old path per line (median of paired rounds); null without the old path. */
  readonly ratio: number | null;
}

/** Runs both workloads through the old simulator and every personality; prints the figures. */
export async function runPersonalityBench(rounds = 25): Promise<PersonalityBenchResult[]> {
  const baseline = await loadBaselineSimulator();
  const paths: BenchPath[] = PERSONALITY_NAMES.map(currentPath);
  if (baseline.available) {
    paths.unshift({ label: `before personalities (${baseline.commit.slice(0, 7)})`, personality: null, create: baseline.create });
  } else {
    console.log(`personalities: BASELINE UNAVAILABLE (${baseline.reason}); current figures only, no ratio`);
  }
  const results: PersonalityBenchResult[] = [];
  for (const kind of ['typical', 'command-heavy'] as const) results.push(benchWorkload(kind, paths, baseline.available, rounds));
  if (sink < 0) console.log(sink);
  return results;
}

function benchWorkload(kind: WorkloadKind, paths: readonly BenchPath[], hasBaseline: boolean, rounds: number): PersonalityBenchResult {
  const workload = buildClientWorkload(10_000, kind);
  const sessions = wireLines(workload);
  const checks = paths.map((path) => checkWorkload(path, sessions));
  // Warm up the JIT on every path first: a server runs warm.
  for (let i = 0; i < 5; i += 1) for (const path of paths) answerAll(path, sessions);
  const durations = timeInterleaved(paths, sessions, rounds);
  const nsPerLine = durations.map((runs) => (median(runs) * 1e6) / workload.lines);

  console.log(`personalities, ${DESCRIPTIONS[kind]}`);
  console.log(`  ${workload.lines} client lines in ${workload.sessions.length} sessions, each path answering all of them;` +
    ` CPU time, median of ${rounds} interleaved rounds`);
  const smtpServerIndex = paths.findIndex((path) => path.personality === 'smtp-server');
  const baseRuns = hasBaseline ? durations[0] : undefined;
  /** Each round runs the old path and this one close together: their ratio, round by round. */
  const pairedRatios = (index: number): number[] =>
    (durations[index] ?? []).map((ms, round) => ms / (baseRuns?.[round] ?? Number.NaN)).sort((x, y) => x - y);
  const result: Record<string, number> = {};
  let ratio: number | null = null;
  paths.forEach((path, index) => {
    const ns = nsPerLine[index] ?? 0;
    result[path.label] = ns;
    const check = checks[index];
    const modelled = path.personality && PERSONALITIES[path.personality].evidence === 'modelled-on-documentation' ? ', modelled' : '';
    const pathRatio = baseRuns && index > 0 ? median(pairedRatios(index)) : null;
    if (index === smtpServerIndex) ratio = pathRatio;
    const compared = pathRatio !== null ? ` -> ${pathRatio.toFixed(2)}x the old path per line` : '';
    const verdict = index === smtpServerIndex && pathRatio !== null
      ? ` (target <= ${TARGET_RATIO.toFixed(2)}x): ${pathRatio <= TARGET_RATIO ? 'PASS' : 'OVER'}` : '';
    const incomplete = check && (check.accepted !== workload.messages || check.earlyCloses > 0)
      ? ` [NOT COMPARABLE: accepted ${check.accepted}/${workload.messages} messages, ${check.earlyCloses} early hang-ups]` : '';
    console.log(`  ${path.label}${modelled}: ${Math.round(1e9 / ns).toLocaleString('en')} lines/s,` +
      ` ${Math.round(ns)} ns/line${compared}${verdict}${incomplete}`);
  });
  if (baseRuns) {
    const ratios = pairedRatios(smtpServerIndex);
    console.log(`  noise: smtp-server / old path round by round, middle half ${percentile(ratios, 25).toFixed(2)}x to` +
      ` ${percentile(ratios, 75).toFixed(2)}x, all ${ratios[0]?.toFixed(2)}x to ${ratios.at(-1)?.toFixed(2)}x`);
    const sameReplies = withoutQueueIds(checks[0]?.replies ?? '') === withoutQueueIds(checks[smtpServerIndex]?.replies ?? '');
    console.log(`  smtp-server personality replies ${sameReplies ? 'match' : 'DIFFER FROM'} the old path's on this workload (queue ids aside)`);
  }
  return { kind, lines: workload.lines, nsPerLine: result, ratio };
}
