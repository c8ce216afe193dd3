/**
 * Plays scripts against a lesson headlessly: one session model per connection, the lesson
 * checked after every event, as the web app checks it after every reply. Used to prove that
 * a solution meets its goal (in tests, or against the live sandbox) and that other scripts
 * do not.
 */
import { runScript } from '../replay/run-script.ts';
import type { ReplayEnd, ScriptLine } from '../replay/types.ts';
import { createSessionActor } from '../session/session-actor.ts';
import type { TransportFactory } from '../transport.ts';
import { evaluateLesson, lessonContext } from './evaluate-lesson.ts';
import type { ConnectionRecord, Lesson, LessonResult } from './types.ts';

export interface LessonPlay {
  /** True when the lesson passed at some point during the play. */
  readonly passed: boolean;
  /** The result at the first moment it passed, or the last result when it never did. */
  readonly result: LessonResult;
  /** Every connection's final summary and transcript, in order. */
  readonly connections: readonly ConnectionRecord[];
  /** Why each connection's replay stopped. */
  readonly ends: readonly ReplayEnd[];
}

export interface PlayOptions {
  /** Per-reply timeout for the replay (default: runScript's). */
  readonly replyTimeoutMs?: number;
}

/**
 * Plays each list of lines in its own connection opened with `open` (one factory for the whole
 * play, so server state such as greylisting can carry over between connections).
 */
export async function playLessonScript(
  lesson: Pick<Lesson, 'goal' | 'check'> & Partial<Pick<Lesson, 'server'>>,
  connections: readonly (readonly ScriptLine[])[],
  open: TransportFactory,
  options: PlayOptions = {},
): Promise<LessonPlay> {
  if (connections.length === 0) throw new Error('playLessonScript needs at least one connection');
  const finished: ConnectionRecord[] = [];
  const ends: ReplayEnd[] = [];
  // Written from the replay's event callback, so kept in an object TypeScript does not narrow.
  const outcome: { last: LessonResult | null; first: LessonResult | null } = { last: null, first: null };
  for (const lines of connections) {
    // The lesson's server answers like its personality; the model predicts and explains by it.
    const personality = lesson.server?.personality;
    const session = createSessionActor(personality === undefined ? {} : { personality });
    const earlier = [...finished];
    // The replay feeds this model and paces the script by it, as "Show solution" does.
    const replay = await runScript(lines, open, {
      ...(options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs }),
      serverName: 'lesson server',
      session,
      onEvent: (event) => {
        if (event.type === 'server.unreadable') return;
        const result = evaluateLesson(lesson, lessonContext(session.getSnapshot(), session.transcript, earlier));
        outcome.last = result;
        if (result.passed) outcome.first ??= result;
      },
    });
    const { summary, transcript } = lessonContext(session.getSnapshot(), [...session.transcript]);
    finished.push({ summary, transcript });
    session.stop();
    ends.push(replay.end);
  }
  const result = outcome.first ?? outcome.last;
  if (result === null) throw new Error('the replay produced no events');
  return { passed: outcome.first !== null, result, connections: finished, ends };
}
