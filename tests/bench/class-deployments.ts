/**
 * The class servers the classroom benchmarks run against (each pinned to CPU cores with `taskset` for the scale benchmark):
 * one `serve --classroom` process on SQLite, one on PostgreSQL, and two on one PostgreSQL
 * behind the real HAProxy of deploy/haproxy.cfg. The load generator is the same for all.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startBalancedProcesses } from '../support/balanced-processes.ts';
import { printedSetupSecret, startServeProcess } from '../server/app/serve-process.ts';

/** Limits opened wide: the benchmark measures the class, not the per-address limits. */
export const BENCH_FLAGS = ['--classroom', '--max-sessions-per-address', '5000', '--commands-per-second', '1000', '--max-smtp-clients', '5000'];

/**
 * The class server under test: where the instructor and the students go (one process, or a
 * balancer in front of several) and the server processes whose memory is measured.
 */
export interface ClassDeployment {
  readonly httpBase: string;
  readonly wsUrl: string;
  readonly pids: readonly number[];
  /** The instructor's setup secret that works now (the one printed last). */
  setupSecret(): Promise<string>;
  stop(): Promise<void>;
}

/** Enough balancer connections for the largest class (a WebSocket and a keep-alive or two each), within `ulimit -Hn`. */
const BALANCER_MAX_CONNECTIONS = 6000;
const BOTH_UP_TIMEOUT_MS = 15_000;

/** A fresh, empty database on the cluster for each class (a class starts from nothing, as on SQLite). */
export class FreshDatabases {
  #count = 0;
  constructor(private readonly adminUrl: string) {}

  async next(): Promise<string> {
    const name = `bench_class_${++this.#count}`;
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.href;
  }
}

/** One serve process on SQLite (no `databaseUrl`) or PostgreSQL, pinned to `core` if given. */
export async function singleProcess(options: { readonly core?: number; readonly databaseUrl?: string } = {}): Promise<ClassDeployment> {
  const lab = await startServeProcess({
    args: [...BENCH_FLAGS, ...(options.databaseUrl === undefined ? [] : ['--database', options.databaseUrl])],
    ...(options.core === undefined ? {} : { pinToCore: options.core }),
  });
  return {
    httpBase: lab.httpBase,
    wsUrl: lab.wsUrl,
    pids: [lab.child.pid!],
    setupSecret: () => printedSetupSecret(lab),
    stop: async () => void (await lab.stop()),
  };
}

/**
 * Two serve processes on one PostgreSQL database, pinned to cores 0 and 1, behind HAProxy.
 * They trust the balancer's X-Forwarded-For (`--trusted-proxy 127.0.0.1`), so the per-address
 * join limit sees each student's own 127.0.x.y address as it would on one process.
 */
export async function twoProcessesBehindHaproxy(databaseUrl: string): Promise<ClassDeployment> {
  const started = await startBalancedProcesses({
    databaseUrl,
    args: [...BENCH_FLAGS, '--trusted-proxy', '127.0.0.1'],
    pinToCores: [0, 1],
    maxConnections: BALANCER_MAX_CONNECTIONS,
  });
  try {
    await bothAnswer(started.balancer.httpBase);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return {
    httpBase: started.balancer.httpBase,
    wsUrl: started.balancer.wsUrl,
    pids: [started.a.child.pid!, started.b.child.pid!],
    setupSecret: () => printedSetupSecret(started.b),
    stop: started.stop,
  };
}

/** Waits until the balancer has sent a request to each process (its checks mark both up). */
async function bothAnswer(base: string): Promise<void> {
  const seen = new Set<string>();
  const deadline = Date.now() + BOTH_UP_TIMEOUT_MS;
  while (seen.size < 2) {
    if (Date.now() > deadline) throw new Error(`HAProxy sent requests to ${[...seen].join(', ') || 'no process'} only`);
    const response = await fetch(new URL('api/health', base));
    await response.arrayBuffer();
    const servedBy = response.headers.get('x-served-by');
    if (response.status === 200 && servedBy) seen.add(servedBy);
    await sleep(100);
  }
}
