/**
 * MailDev 3.0, a peer mail catcher from npm, for the ingest comparison. Installed by the
 * benchmark into a temporary folder (`npm install --prefix`) the first time, kept there for
 * later runs; never a dependency of the project. Runs with its defaults (mail kept in memory)
 * on loopback ports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = join(tmpdir(), 'smtp-lab-bench-maildev');
const BIN = join(PREFIX, 'node_modules', '.bin', 'maildev');
const STARTUP_TIMEOUT_MS = 30_000;

export interface MailDevProcess {
  readonly smtpPort: number;
  close(): Promise<void>;
}

/** Installs MailDev 3 unless it is already in the temporary folder; null (with the reason printed) if that fails. */
export function ensureMailDev(): string | null {
  if (existsSync(BIN)) return BIN;
  console.log(`  (installing maildev@3 into ${PREFIX} for the comparison)`);
  try {
    execFileSync('npm', ['install', '--prefix', PREFIX, '--no-audit', '--no-fund', '--loglevel=error', 'maildev@3'], { stdio: 'inherit', timeout: 300_000 });
    return BIN;
  } catch (error) {
    console.log(`  MailDev could not be installed (${error instanceof Error ? error.message : String(error)}); skipping the comparison`);
    return null;
  }
}

/** A free loopback port (MailDev takes no port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts MailDev on loopback; resolves once it prints its banner. */
export async function startMailDev(bin: string): Promise<MailDevProcess> {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(bin, ['-s', String(smtpPort), '-w', String(webPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`MailDev did not start:\n${output}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Its banner, printed once both servers listen, ends with this line.
      if (output.includes('Press Ctrl+C to stop')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`MailDev exited with ${code}:\n${output}`)));
  });
  return {
    smtpPort,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
