/**
 * Where a returning learner lands: the lesson they were on while it is unfinished, otherwise
 * the next unfinished lesson after it in course order (wrapping round to skipped ones), so a
 * reload after a completion does not show the finished lesson again.
 */
import type { Lesson } from '../../../protocol/lessons/index.ts';
import { isDone, lessonStatus, type CourseProgress } from './progress.ts';

/** The lesson to open among `open` (the lessons the learner may open), or null when there are none. */
export function landingLesson(open: readonly Lesson[], progress: CourseProgress): Lesson | null {
  const unfinished = (lesson: Lesson): boolean => !isDone(lessonStatus(progress, lesson.id));
  const current = open.find((lesson) => lesson.id === progress.current);
  if (current === undefined) return open.find(unfinished) ?? open[0] ?? null;
  if (unfinished(current)) return current;
  const at = open.indexOf(current);
  // After the current lesson first, then the ones before it; all done: stay where they were.
  return [...open.slice(at + 1), ...open.slice(0, at)].find(unfinished) ?? current;
}
