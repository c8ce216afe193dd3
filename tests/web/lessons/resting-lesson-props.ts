/** LessonView's props for a lesson at rest: not checked yet, no hint shown, no solution playing, every callback a no-op. */
import type { Lesson } from '../../../protocol/lessons/index.ts';

export function restingLessonProps(lesson: Lesson, position: number, total: number) {
  return {
    lesson,
    position,
    total,
    result: null,
    passed: false,
    completedAt: null,
    withSolution: false,
    hintsShown: 0,
    playing: false,
    step: null,
    onhint: () => undefined,
    onsolution: () => undefined,
    onstop: () => undefined,
    onrestart: () => undefined,
    onopenlesson: () => undefined,
  };
}
