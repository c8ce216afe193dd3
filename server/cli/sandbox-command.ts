/** `smtp-lab sandbox`: runs the sandboxed real SMTP server until SIGINT/SIGTERM. */
import { DEFAULT_SANDBOX_CONFIG } from '../../protocol/sandbox-config.ts';
import { PERSONALITY_NAMES } from '../../protocol/simulator/index.ts';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { createSandbox } from '../sandbox/create-sandbox.ts';
import { createSimulatorListener } from '../sandbox/simulator-listener.ts';
import { CliFailure, parseCommandLine, parseIntegerFlag } from './cli-failure.ts';
import { formatMessageSummary } from './message-summary.ts';
import { personalityConfig } from './personality-flag.ts';

export const SANDBOX_USAGE = `Usage: smtp-lab sandbox [--port 2525] [--host 127.0.0.1] [--personality NAME]

Starts the sandboxed real SMTP server (nodemailer's smtp-server) with the learner
configuration. Every message it accepts is kept in memory and printed as one line;
nothing is ever relayed. Ctrl+C stops it.

Options:
  --port PORT   port to listen on (default 2525; 0 picks a free port)
  --host HOST   address to listen on (default 127.0.0.1: only this machine can connect)
  --personality NAME
                serve the simulator instead, answering like ${PERSONALITY_NAMES.join(' or ')}
                (postfix: the lab's Postfix 3.7), behind the same kind of TCP listener, so
                swaks or Python's smtplib can talk to it; given, even smtp-server is simulated
  --help        show this help
`;

/** Starts the sandbox and resolves with the exit code once a signal has stopped it. */
export async function runSandboxCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    port: { type: 'string', default: '2525' },
    host: { type: 'string', default: '127.0.0.1' },
    personality: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(SANDBOX_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new CliFailure(`sandbox takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const port = parseIntegerFlag('port', values.port, 0, 65535);
  const host = values.host;
  const config = values.personality === undefined ? null : personalityConfig(values.personality);

  let listening = false;
  const handlers = {
    onMessage: (message: CapturedMessage) => process.stdout.write(`${formatMessageSummary(message)}\n`),
    // Before listening, errors come back from listen() itself; after, they are one client's.
    onError: (error: Error) => {
      if (listening) process.stderr.write(`client connection error: ${error.message}\n`);
    },
  };
  const sandbox = config === null ? createSandbox(handlers) : createSimulatorListener({ ...handlers, config });
  const address = await sandbox.listen(port, host).catch((error: unknown) => {
    throw new CliFailure(describeListenError(error, host, port));
  });
  listening = true;

  const where = address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
  const account = DEFAULT_SANDBOX_CONFIG.accounts[0];
  const what = config === null ? 'SMTP Lab sandbox' : `SMTP Lab simulator (personality ${config.personality})`;
  // The lab's real-server personalities take mail only for their own users (alice, bob, carol,
  // postmaster @lab.test) and offer no lab account; smtp-server captures any recipient.
  const labServer = config !== null && config.personality !== 'smtp-server';
  const to = labServer ? 'alice@lab.test' : 'friend@example.org';
  const auth = labServer || !account ? '' : ` (AUTH: --auth-user ${account.username} --auth-password ${account.password})`;
  process.stdout.write(
    `${what} listening on ${where} (mail is captured here, never relayed)\n` +
      `Send it mail: swaks --server ${where} --from you@example.com --to ${to}${auth}\n`,
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
  process.removeAllListeners('SIGINT').removeAllListeners('SIGTERM');
  // smtp-server gives open connections up to 30 s to finish; a second signal does not wait.
  process.once('SIGINT', () => process.exit(0)).once('SIGTERM', () => process.exit(0));
  process.stdout.write(`${signal}: stopping the sandbox\n`);
  await sandbox.close();
  process.stdout.write('sandbox stopped\n');
  return 0;
}

function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `cannot listen on ${host}:${port}: the port is already in use`;
  if (code === 'EACCES') return `cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges)`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${host}:${port}: no such address on this machine`;
  return `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}
