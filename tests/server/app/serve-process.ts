/** Runs the real `smtp-lab serve` in a child process and reads the ports it printed. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/smtp-lab.js', import.meta.url));

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly dataDir: string;
  readonly httpBase: string;
  readonly wsUrl: string;
  readonly smtpPort: number;
  readonly smtpsPort: number | null;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A fresh temporary data directory. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'smtp-lab-serve-'));
}

/**
 * Starts `smtp-lab serve` on free ports; resolves once it printed its URLs. `pinToCore` runs it
 * under `taskset -c CORE` (benchmarks; taskset execs node, so the pid is node's).
 */
export function startServeProcess(options: { dataDir?: string; args?: readonly string[]; pinToCore?: number } = {}): Promise<ServeProcess> {
  const dataDir = options.dataDir ?? freshDataDir();
  const args = [BIN, 'serve', '--http-port', '0', '--smtp-port', '0', '--data-dir', dataDir, ...(options.args ?? [])];
  const [command, commandArgs] =
    options.pinToCore === undefined ? [process.execPath, args] : ['taskset', ['-c', String(options.pinToCore), process.execPath, ...args]];
  const child = spawn(command, commandArgs, { cwd: ROOT, env: { ...process.env, SMTP_LAB_DATA: '' } });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stdout}\n${stderr}`)), 15_000);
    exit.then((code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
    child.stdout.on('data', () => {
      const http = /web app: +(http:\/\/\S+)/.exec(stdout)?.[1];
      const ws = /console: +(ws:\/\/\S+)/.exec(stdout)?.[1];
      const smtp = /SMTP: +smtp:\/\/[^:\s]+:(\d+)/.exec(stdout)?.[1];
      if (!http || !ws || !smtp || !stdout.includes('data:')) return;
      clearTimeout(timer);
      const smtps = /SMTPS: +smtps:\/\/[^:\s]+:(\d+)/.exec(stdout)?.[1];
      resolve({
        child,
        dataDir,
        httpBase: http,
        wsUrl: ws,
        smtpPort: Number(smtp),
        smtpsPort: smtps ? Number(smtps) : null,
        stdout: () => stdout,
        stderr: () => stderr,
        exited: () => exit,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exit;
        },
      });
    });
  });
}

/** The classroom's one-time setup secret from the start banner (printed with it, so a short wait is plenty). */
export async function printedSetupSecret(serve: ServeProcess): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const secret = /setup secret:\s*\n\s*(\S+)/.exec(serve.stdout())?.[1];
    if (secret !== undefined) return secret;
    if (Date.now() > deadline) throw new Error(`no setup secret in:\n${serve.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
