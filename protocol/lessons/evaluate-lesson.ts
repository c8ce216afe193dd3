/** A lesson's verdict: its goal plus, when it has one, its check module. */
import { evaluateGoal, resultOf } from './evaluate-goal.ts';
import { lowerFirst } from './primitives/verdict.ts';
import type { ConnectionRecord, Lesson, LessonCheckContext, LessonResult } from './types.ts';
import type { SessionSnapshot } from '../session/summary.ts';
import { summarizeSession } from '../session/summary.ts';
import type { TranscriptEntry } from '../session/types.ts';

/**
 * Checks the session against the lesson. Run it on every reply: a lesson counts as done the
 * first time `passed` is true (state conditions describe a moment, not the end of the session).
 */
export function evaluateLesson(lesson: Pick<Lesson, 'goal' | 'check'>, context: LessonCheckContext): LessonResult {
  const conditions = [evaluateGoal(lesson.goal, context)];
  if (lesson.check !== null) {
    const verdict = lesson.check(context);
    conditions.push(resultOf({ passed: verdict.passed, label: verdict.label, notYet: verdict.notYet ?? lowerFirst(verdict.label) }));
  }
  const failed = conditions.find((condition) => !condition.passed);
  return { passed: failed === undefined, conditions, nextStep: failed?.message ?? null };
}

/** The check context for a session actor's state; `earlier` are connections closed during this attempt. */
export function lessonContext(
  snapshot: SessionSnapshot,
  transcript: readonly TranscriptEntry[],
  earlier: readonly ConnectionRecord[] = [],
): LessonCheckContext {
  return { summary: summarizeSession(snapshot), transcript, earlier };
}
