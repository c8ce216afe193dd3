/** Small timing and memory helpers for benchmarks (never used in tests). */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time (user + system, ms) of this process's main thread alone, from Linux's
 * /proc/self/task/<pid>/stat (10 ms resolution); null elsewhere. process.cpuUsage() counts
 * every thread (workers, libuv, GC).
 */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Durations in milliseconds of `runs` calls of `work`. */
export function timeRuns(runs: number, work: () => void): number[] {
  const durations: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    work();
    durations.push(performance.now() - start);
  }
  return durations;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Percentile (0–100) of the values, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Keeps measured objects reachable until the second heap reading. */
const retained: unknown[] = [];

/** Heap bytes retained by what `build` returns (needs node --expose-gc). */
export async function measureHeap(build: () => unknown): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the benchmark with node --expose-gc (npm run bench does)');
  const settle = async (): Promise<number> => {
    for (let i = 0; i < 3; i += 1) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed;
  };
  const before = await settle();
  retained.push(build());
  const after = await settle();
  retained.pop();
  return after - before;
}

/** CPU time (user + system, ms) of a whole process, every thread included, from /proc; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The processes named `name` (their /proc comm), e.g. every PostgreSQL backend. */
export function processesNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}

/**
 * Where the cores went during a window: CPU per group of processes, in percent of one core.
 * Call `start()` when the window opens and `stop()` when it closes; a group's processes are
 * looked up at the start (PostgreSQL backends, say, are there by then).
 */
export function cpuShares(groups: Readonly<Record<string, () => readonly number[]>>) {
  let started: { at: number; cpu: Record<string, Map<number, number>> } | null = null;
  return {
    start(): void {
      const cpu = Object.fromEntries(Object.entries(groups).map(([name, find]) => [name, new Map(find().map((pid) => [pid, processCpuMs(pid)]))]));
      started = { at: performance.now(), cpu };
    },
    stop(): Record<string, number> {
      if (started === null) throw new Error('cpuShares: stop before start');
      const elapsed = performance.now() - started.at;
      const shares: Record<string, number> = {};
      for (const [name, before] of Object.entries(started.cpu)) {
        // A process that ended meanwhile reads 0: it counts for nothing rather than less than nothing.
        const used = [...before].reduce((sum, [pid, ms]) => sum + Math.max(processCpuMs(pid) - ms, 0), 0);
        shares[name] = (100 * used) / elapsed;
      }
      return shares;
    },
  };
}
