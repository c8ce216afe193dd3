/** The `smtp-lab` command line: dispatches to one subcommand per file. */
import { readFileSync } from 'node:fs';
import { CliFailure } from './cli-failure.ts';
import { REPLAY_USAGE, runReplayCommand } from './replay-command.ts';
import { runSandboxCommand, SANDBOX_USAGE } from './sandbox-command.ts';
import { SERVE_USAGE } from './serve-usage.ts';

const USAGE = `smtp-lab: learn SMTP by talking to a simulated or a sandboxed real mail server

Usage:
  smtp-lab serve [--http-port 8025] [--smtp-port 2525] [--data-dir ./.data] [...]
  smtp-lab sandbox [--port 2525] [--host 127.0.0.1] [--personality NAME]
  smtp-lab replay [--target sim [--personality NAME] | --target smtp://HOST:PORT] [--json] [--timeout MS] SCRIPT|-
  smtp-lab help [COMMAND]
  smtp-lab --version

Commands:
  serve     run the live sandbox: web app, API, console bridge, SMTP (what npm start runs)
  sandbox   start the sandboxed real SMTP server (captures mail, never relays it)
  replay    play a scripted SMTP conversation and print the transcript
  help      show this help, or a command's help
`;

const COMMANDS: Readonly<Record<string, { run(args: readonly string[]): Promise<number>; usage: string }>> = {
  // Loaded on demand: the live process pulls in SQLite, the bridge and the HTTP server.
  serve: { run: async (args) => (await import('./serve-command.ts')).runServeCommand(args), usage: SERVE_USAGE },
  sandbox: { run: runSandboxCommand, usage: SANDBOX_USAGE },
  replay: { run: runReplayCommand, usage: REPLAY_USAGE },
};

/**
 * Runs the CLI with `args` (process.argv without node and the script) and resolves with the
 * exit code: 0 on success, 2 with a one-line reason on stderr for anything the user can fix.
 */
export async function main(args: readonly string[]): Promise<number> {
  // `smtp-lab replay … | head` closes our stdout early: stop quietly, like other CLIs.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`smtp-lab: cannot write output: ${error.message}\n`);
    process.exit(2);
  });
  const [first, ...rest] = args;
  try {
    if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : COMMANDS[topic];
      if (topic !== undefined && command === undefined) throw new CliFailure(`no command named ${JSON.stringify(topic)}`);
      process.stdout.write(command?.usage ?? USAGE);
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      process.stdout.write(`${readVersion()}\n`);
      return 0;
    }
    const command = COMMANDS[first];
    if (command === undefined) {
      throw new CliFailure(`unknown command ${JSON.stringify(first)} (commands: ${Object.keys(COMMANDS).join(', ')}, help)`);
    }
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    const where = first !== undefined && first in COMMANDS ? `smtp-lab ${first}` : 'smtp-lab';
    process.stderr.write(`${where}: ${error.message}\n`);
    return error.exitCode;
  }
}

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(manifest.version);
}
