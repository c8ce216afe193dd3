/** A real sandbox on a free port, plus a way to replay a script file against it. */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseScript } from '../../../protocol/replay/parse-script.ts';
import { runScript } from '../../../protocol/replay/run-script.ts';
import type { ReplayOptions, ReplayResult, ScriptLine } from '../../../protocol/replay/types.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox, type Sandbox } from '../../../server/sandbox/create-sandbox.ts';
import { createTcpTransport } from '../../../server/transport/tcp-transport.ts';

export interface ReplaySandbox {
  readonly sandbox: Sandbox;
  readonly address: AddressInfo;
  readonly messages: CapturedMessage[];
  replay(lines: readonly ScriptLine[], options?: ReplayOptions): Promise<ReplayResult>;
}

export async function startSandbox(): Promise<ReplaySandbox> {
  const messages: CapturedMessage[] = [];
  const sandbox = createSandbox({ onMessage: (message) => messages.push(message) });
  const address = await sandbox.listen(0, '127.0.0.1');
  const open = createTcpTransport('127.0.0.1', address.port, { tls: { rejectUnauthorized: false } });
  return {
    sandbox,
    address,
    messages,
    replay: (lines, options) => runScript(lines, open, options),
  };
}

/** The lines of a script in tests/fixtures/scripts, or of inline text. */
export function scriptLines(nameOrText: string): readonly ScriptLine[] {
  const text = nameOrText.endsWith('.smtp')
    ? readFileSync(new URL(`../../fixtures/scripts/${nameOrText}`, import.meta.url), 'utf8')
    : nameOrText;
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(`line ${parsed.sourceLine}: ${parsed.message}`);
  return parsed.lines;
}
