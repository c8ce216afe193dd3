/**
 * "Show solution": plays a lesson's solution into the learner's session as if typed, one write
 * at a time with a short visible pause, each command waiting for the reply it needs (the one
 * pacer, protocol/client/pacer.ts). Lines marked `+ ` (pipelining) go in the same write as the
 * line before them, and a message after 354 goes as one write up to its `.`. At a
 * `# --- new connection ---` marker the player waits for the server to close the connection
 * and starts a new session, as the learner would. The script's final QUIT is left unsent when
 * the host says the goal is met without it, so the learner can keep experimenting in the open
 * connection (a lesson whose goal is the QUIT still gets it).
 */
import { pause, paceScript, waitUntil, type PacedConnection } from '../../../protocol/client/pacer.ts';
import type { ScriptLine } from '../../../protocol/replay/types.ts';
import { statePath, type SessionSnapshot } from '../../../protocol/session/index.ts';

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
  /** What the learner does between two connections (a DNS edit, a wait); `connection` is the next one, 1-based. */
  readonly beforeReconnect?: (connection: number) => Promise<void>;
}

/** How a play ended: all lines sent, stopped by the learner, or the server did not answer. */
export type SolutionPlayEnd = 'finished' | 'stopped' | 'stuck';

const POLL_MS = 25;

/**
 * Plays the solution's connections into the host's session with the one pacer (the same that
 * proves each solution in the lesson tests), pausing `delayMs` before each write.
 */
export async function playSolution(
  connections: readonly (readonly ScriptLine[])[],
  host: SolutionHost,
  options: SolutionPlayOptions,
): Promise<SolutionPlayEnd> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { signal } = options;
  const connection: PacedConnection = {
    snapshot: () => host.snapshot,
    // A closed session waits like an unanswered one: the play ends as stuck after the timeout.
    closed: false,
    write: (lines) => host.sendText(lines.join('\n')),
    // The host's model is read by polling: it is fed on the page's own schedule.
    nextChange: async (ms) => {
      await pause(Math.min(ms, POLL_MS), signal);
      return false;
    },
  };
  for (const [index, lines] of connections.entries()) {
    if (index > 0) {
      // The previous part ends the connection (QUIT, or a 421); then the learner reconnects.
      const closed = await waitUntil(() => statePath(host.snapshot.value) === 'closed', connection, { timeoutMs, signal });
      if (closed === 'stopped') return 'stopped';
      await options.beforeReconnect?.(index + 1);
      if (signal.aborted) return 'stopped';
      host.newSession();
    }
    const lastConnection = index === connections.length - 1;
    const end = await paceScript(lines, connection, {
      delayMs: options.delayMs,
      timeoutMs,
      signal,
      onWrite: (group, sent) => options.onstep({ connection: index + 1, connections: connections.length, line: sent, lines: lines.length, text: group.join('\n') }),
      ...(lastConnection && options.leaveOpen !== undefined ? { leaveOpen: options.leaveOpen } : {}),
    });
    if (end === 'stopped' || end === 'stuck') return end;
  }
  return 'finished';
}
