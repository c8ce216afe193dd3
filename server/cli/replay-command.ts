/** `smtp-lab replay`: plays a script against the simulator or a real server, prints the transcript. */
import { readFile } from 'node:fs/promises';
import { formatEventJson, formatEventText } from '../../protocol/replay/format-transcript.ts';
import { parseScript } from '../../protocol/replay/parse-script.ts';
import { runScript } from '../../protocol/replay/run-script.ts';
import type { ReplayEvent, ScriptLine } from '../../protocol/replay/types.ts';
import { PERSONALITY_NAMES } from '../../protocol/simulator/index.ts';
import { CliFailure, parseCommandLine, parseIntegerFlag } from './cli-failure.ts';
import { personalityConfig } from './personality-flag.ts';
import { resolveReplayTarget } from './replay-target.ts';

export const REPLAY_USAGE = `Usage: smtp-lab replay [--target sim [--personality NAME] | --target smtp://HOST:PORT] [--json] [--timeout MS] [--tls-verify] SCRIPT|-

Plays a scripted SMTP conversation and prints the transcript (C: client, S: server).
SCRIPT is a file, or - to read standard input.

Options:
  --target T    sim (the simulated server, the default) or smtp://HOST:PORT (a real server)
  --personality NAME
                with --target sim: the server the simulator answers like, ${PERSONALITY_NAMES.join(' or ')}
                (default smtp-server, the sandbox); postfix is the lab's Postfix 3.7
  --json        print one JSON object per line instead of C:/S: lines
  --timeout MS  how long to wait for each reply (default 5000)
  --tls-verify  check the server's certificate after STARTTLS; off by default because the
                sandbox uses a self-signed certificate (real mail clients must check)
  --help        show this help

Script format:
  EHLO client.example      one client line per line, sent exactly as written
  # a comment              lines starting with # are skipped, and so are blank lines
  <empty>                  sends an empty line (e.g. between a message's header and body)
  + RCPT TO:<b@example.org>  sent in the same write as the line before (pipelining)
After a 354 reply the following lines, up to the line ".", are message data (dot-stuff them
yourself: a data line starting with "." gets one more). After a 334 reply the next line
answers the AUTH challenge. The replay stops after QUIT or when the server closes.
Exit status: 0 when the conversation ran (whatever the server replied), 2 when it could not.
`;

/** Plays the script and prints the transcript live; resolves with the exit code. */
export async function runReplayCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    target: { type: 'string', default: 'sim' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '5000' },
    'tls-verify': { type: 'boolean', default: false },
    personality: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(REPLAY_USAGE);
    return 0;
  }
  const [scriptPath, extra] = positionals;
  if (scriptPath === undefined) throw new CliFailure('missing script: give a script file, or - to read standard input');
  if (extra !== undefined) throw new CliFailure(`one script at a time, got also ${JSON.stringify(extra)}`);
  const replyTimeoutMs = parseIntegerFlag('timeout', values.timeout, 1, 600_000);
  if (values.personality !== undefined && values.target !== 'sim') {
    throw new CliFailure('--personality chooses how the simulator answers: use it with --target sim');
  }
  const config = values.personality === undefined ? undefined : personalityConfig(values.personality);
  const target = resolveReplayTarget(values.target, values['tls-verify'], config);
  const lines = await readScript(scriptPath);

  const print = values.json
    ? (event: ReplayEvent) => process.stdout.write(`${formatEventJson(event)}\n`)
    : (event: ReplayEvent) => process.stdout.write(formatEventText(event).map((line) => `${line}\n`).join(''));
  const personality = config === undefined ? {} : { personality: config.personality };
  await runScript(lines, target.open, { replyTimeoutMs, serverName: target.name, onEvent: print, ...personality }).catch(
    (error: unknown) => {
      throw new CliFailure(error instanceof Error ? error.message : String(error));
    },
  );
  return 0;
}

async function readScript(path: string): Promise<readonly ScriptLine[]> {
  const name = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliFailure(`cannot read script ${name}: ${describeReadError(error)}`);
  }
  const parsed = parseScript(text);
  if (!parsed.ok) throw new CliFailure(`${name}:${parsed.sourceLine}: ${parsed.message}`);
  return parsed.lines;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
