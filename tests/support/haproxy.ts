/**
 * A real HAProxy in front of two serve processes, started from the shipped deploy/haproxy.cfg
 * itself: that file takes every address from a `${VARIABLE-default}`, so a test sets the
 * variables to its free loopback ports and runs the very configuration the README tells an
 * operator to run (one file, no test copy to drift from it).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const HAPROXY = '/usr/sbin/haproxy';
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));
/** The name browsers use for the balancer; the processes must be started with `--public-host` for it. */
export const BALANCER_NAME = '127.0.0.1';

/** Whether this machine has HAProxy (`.ci/run` installs it; elsewhere the tests say they skip). */
export const haproxyInstalled = existsSync(HAPROXY);

/** One serve process as the configuration's server `a` or `b` sees it. */
export interface BalancedProcess {
  readonly httpPort: number;
  readonly smtpPort: number;
}

export interface RunningHaproxy {
  /** `http://127.0.0.1:PORT/`, the balancer's HTTP frontend. */
  readonly httpBase: string;
  readonly wsUrl: string;
  readonly smtpPort: number;
  /** What HAProxy logged (health changes among it), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;
/** Plenty for a test, and within any file descriptor limit (the shipped default needs about 20,100). */
const TEST_MAX_CONNECTIONS = 1000;
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts HAProxy for processes `a` and `b` and resolves once its HTTP frontend answers
 * `/api/health`. Its frontends need fixed ports, found free just before; another program
 * taking one in between makes HAProxy exit, and it is tried again on new ports (a few times).
 */
export async function startHaproxy(
  processes: { readonly a: BalancedProcess; readonly b: BalancedProcess },
  options: { readonly maxConnections?: number } = {},
): Promise<RunningHaproxy> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const [httpPort, smtpPort] = await freePorts(2);
    try {
      return await startOn(httpPort!, smtpPort!, processes, options.maxConnections ?? TEST_MAX_CONNECTIONS);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOn(httpPort: number, smtpPort: number, { a, b }: { a: BalancedProcess; b: BalancedProcess }, maxConnections: number): Promise<RunningHaproxy> {
  const env = {
    ...process.env,
    SMTP_LAB_LB_HTTP: `127.0.0.1:${httpPort}`,
    SMTP_LAB_LB_SMTP: `127.0.0.1:${smtpPort}`,
    SMTP_LAB_LB_NAME: BALANCER_NAME,
    SMTP_LAB_LB_MAXCONN: String(maxConnections),
    SMTP_LAB_LB_A_HTTP: `127.0.0.1:${a.httpPort}`,
    SMTP_LAB_LB_A_SMTP: `127.0.0.1:${a.smtpPort}`,
    SMTP_LAB_LB_B_HTTP: `127.0.0.1:${b.httpPort}`,
    SMTP_LAB_LB_B_SMTP: `127.0.0.1:${b.smtpPort}`,
  };
  const child: ChildProcessWithoutNullStreams = spawn(HAPROXY, ['-db', '-f', HAPROXY_CONFIG], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  const httpBase = `http://127.0.0.1:${httpPort}/`;
  const stop = async (): Promise<void> => {
    if (ended) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersHealth(httpBase))) {
    if (ended || Date.now() > deadline) {
      await stop();
      throw new Error(`HAProxy did not start on ${httpPort}/${smtpPort}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    httpBase,
    wsUrl: `ws://127.0.0.1:${httpPort}/ws`,
    smtpPort,
    log: () => output,
    stop,
  };
}

async function answersHealth(base: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/health', base), { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Ports free right now on 127.0.0.1, all held at once so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
