/**
 * Replays the learner's client lines on one personality of the simulator, with the one client
 * driver and pacer (`runScript`), and reports per line what that server answered. Lines go
 * one command at a time (no pipelining), so every reply answers the last line sent before it:
 * the reply to a message follows its "." and the reply to a BDAT chunk its last line.
 */
import type { Reply } from '../replies/types.ts';
import { runScript } from '../replay/run-script.ts';
import type { ScriptLine } from '../replay/types.ts';
import type { PersonalityName, SandboxConfig } from '../sandbox-config.ts';
import { createSimulatedTransport } from '../simulator/index.ts';
import { PERSONALITIES } from '../simulator/personalities/index.ts';

/** What one server did with one client line. */
export interface LineOutcome {
  readonly sent: boolean;
  readonly replies: readonly Reply[];
  /** The message stored by the reply that accepted it, when one of `replies` did. */
  readonly stored: string | null;
}

export interface PersonalityRun {
  /** The replies before the first client line (the greeting). */
  readonly greeting: readonly Reply[];
  /** One entry per client line, in order. */
  readonly lines: readonly LineOutcome[];
  /**
   * How many client lines were sent when the server closed the connection (0: it closed after
   * the greeting), or null when it never did.
   */
  readonly closedAfterLines: number | null;
}

/** Enough for the simulator, which never keeps a reply waiting; a bound all the same. */
const REPLY_TIMEOUT_MS = 1000;

/**
 * `base` answering like `name`. The host name follows the personality (the lab's Postfix is
 * mx.lab.test) unless the configuration named its own; replies come without the configured
 * delay, since the comparison only reads them.
 */
export function configFor(base: SandboxConfig, name: PersonalityName): SandboxConfig {
  const ownHostname = base.hostname !== PERSONALITIES[base.personality].labHostname;
  return {
    ...base,
    personality: name,
    hostname: ownHostname ? base.hostname : PERSONALITIES[name].labHostname,
    behaviours: { ...base.behaviours, replyDelayMs: 0 },
  };
}

export async function replayOnPersonality(
  lines: readonly string[],
  name: PersonalityName,
  base: SandboxConfig,
): Promise<PersonalityRun> {
  const script: ScriptLine[] = lines.map((text, index) => ({ text, pipelined: false, sourceLine: index + 1 }));
  const stored: string[] = [];
  const open = createSimulatedTransport({ config: configFor(base, name), onMessage: (message) => stored.push(message.data) });
  const greeting: Reply[] = [];
  const outcomes = lines.map(() => ({ sent: false, replies: [] as Reply[], stored: null as string | null }));
  let sent = 0;
  let storedSeen = 0;
  let closedAfterLines: number | null = null;

  const result = await runScript(script, open, {
    personality: name,
    serverName: `the simulated ${name}`,
    replyTimeoutMs: REPLY_TIMEOUT_MS,
    onEvent(event) {
      if (event.type === 'client.line') {
        const outcome = outcomes[sent];
        if (outcome !== undefined) outcome.sent = true;
        sent += 1;
        return;
      }
      if (event.type === 'socket.closed') {
        closedAfterLines ??= sent;
        return;
      }
      if (event.type !== 'server.reply') return;
      const outcome = sent === 0 ? null : outcomes[sent - 1];
      if (outcome === null || outcome === undefined) {
        greeting.push(event.reply);
        return;
      }
      outcome.replies.push(event.reply);
      // The server stores a message before it answers the "." (or the last BDAT chunk).
      if (stored.length > storedSeen) {
        outcome.stored = stored[stored.length - 1] ?? null;
        storedSeen = stored.length;
      }
    },
  });
  // The client closing at the end of the script is not the server hanging up.
  const serverClosed = result.end === 'quit' || result.end === 'server-closed';
  return { greeting, lines: outcomes, closedAfterLines: serverClosed ? closedAfterLines : null };
}
