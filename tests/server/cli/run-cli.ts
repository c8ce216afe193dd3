/** Runs the real `smtp-lab` command (bin/smtp-lab.js) in a child process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/smtp-lab.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `smtp-lab ...args` to completion, with `stdin` as its standard input. */
export function runCli(args: readonly string[], stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

export interface SandboxProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  /** Everything the sandbox printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code and the whole output. */
  stop(): Promise<{ code: number | null; stdout: string }>;
}

/** Starts `smtp-lab sandbox --port 0 ...extraArgs` and resolves once it prints where it listens. */
export function startSandboxProcess(extraArgs: readonly string[] = []): Promise<SandboxProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', ...extraArgs], { cwd: ROOT });
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    child.on('error', reject);
    child.stderr.on('data', (chunk: Buffer) => reject(new Error(`sandbox stderr: ${chunk.toString('utf8')}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const listening = /listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
      if (!listening) return;
      resolve({
        child,
        port: Number(listening[1]),
        output: () => stdout,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          return { code, stdout };
        },
      });
    });
  });
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
