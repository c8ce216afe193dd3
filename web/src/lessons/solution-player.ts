/**
 * "Show solution": plays a lesson's solution into the learner's session as if typed, one line
 * at a time with a short visible pause, each command waiting for the reply it needs. Lines
 * marked `+ ` (pipelining) go in the same write as the line before them. At a
 * `# --- new connection ---` marker the player waits for the server to close the connection
 * and starts a new session, as the learner would. The script's final QUIT is left unsent when
 * the host says the goal is met without it, so the learner can keep experimenting in the open
 * connection (a lesson whose goal is the QUIT still gets it).
 */
import type { ScriptLine } from '../../../protocol/replay/types.ts';
import { statePath, type SessionSnapshot } from '../../../protocol/session/index.ts';
import { mustWait } from '../lib/session/send-plan.ts';

/** What the player needs from the session (LabSession has it). */
export interface SolutionHost {
  /** The live model's snapshot, read fresh. */
  readonly snapshot: SessionSnapshot;
  sendText(text: string): void;
  newSession(): void;
}

/** Where the player is: shown to the learner while it plays. */
export interface SolutionStep {
  /** 1-based. */
  readonly connection: number;
  readonly connections: number;
  /** 1-based, within the connection. */
  readonly line: number;
  readonly lines: number;
  /** What was just sent (several lines when pipelined). */
  readonly text: string;
}

export interface SolutionPlayOptions {
  /** The pause before each line, so the learner can follow. */
  readonly delayMs: number;
  /** Aborting stops the player before its next line. */
  readonly signal: AbortSignal;
  readonly onstep: (step: SolutionStep) => void;
  /** Longest wait for a reply before giving up (default 10 s). */
  readonly timeoutMs?: number;
  /** Asked, once every earlier reply is in, before the last line when it is a lone QUIT: true leaves it unsent. */
  readonly leaveOpen?: () => boolean;
}

/** How a play ended: all lines sent, stopped by the learner, or the server did not answer. */
export type SolutionPlayEnd = 'finished' | 'stopped' | 'stuck';

const POLL_MS = 25;

/** Plays the solution's connections into the host's session. */
export async function playSolution(
  connections: readonly (readonly ScriptLine[])[],
  host: SolutionHost,
  options: SolutionPlayOptions,
): Promise<SolutionPlayEnd> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  for (const [index, lines] of connections.entries()) {
    if (index > 0) {
      // The previous part ends the connection (QUIT, or a 421); then the learner reconnects.
      const closed = await waitFor(() => statePath(host.snapshot.value) === 'closed', options.signal, timeoutMs);
      if (closed === 'stopped') return 'stopped';
      host.newSession();
    }
    const groups = groupLines(lines);
    const lastConnection = index === connections.length - 1;
    let line = 0;
    for (const [at, group] of groups.entries()) {
      if (await pause(options.delayMs, options.signal)) return 'stopped';
      const ready = await waitFor(() => !mustWait(host.snapshot), options.signal, timeoutMs);
      if (ready !== 'met') return ready;
      if (lastConnection && at === groups.length - 1 && isLoneQuit(group) && options.leaveOpen !== undefined) {
        // One more turn of the event loop: the host redraws its view of the last reply on a timer.
        if (await pause(0, options.signal)) return 'stopped';
        if (options.leaveOpen()) return 'finished';
      }
      line += group.length;
      const text = group.join('\n');
      host.sendText(text);
      options.onstep({ connection: index + 1, connections: connections.length, line, lines: lines.length, text });
    }
  }
  return 'finished';
}

/** Lines with the `+ ` lines after them, each group one write. */
export function groupLines(lines: readonly ScriptLine[]): string[][] {
  const groups: string[][] = [];
  for (const line of lines) {
    const last = groups.at(-1);
    if (line.pipelined && last !== undefined) last.push(line.text);
    else groups.push([line.text]);
  }
  return groups;
}

function isLoneQuit(group: readonly string[]): boolean {
  return group.length === 1 && /^QUIT\s*$/i.test(group[0] ?? '');
}

/** Waits `ms`; true when aborted meanwhile. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(signal.aborted);
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Polls `condition` until it holds, the signal aborts, or the time is up. */
async function waitFor(condition: () => boolean, signal: AbortSignal, timeoutMs: number): Promise<'met' | 'stopped' | 'stuck'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) return 'stopped';
    if (condition()) return 'met';
    if (Date.now() > deadline) return 'stuck';
    if (await pause(POLL_MS, signal)) return 'stopped';
  }
}
