/**
 * A learner's progress through the course: plain data, validated with zod wherever it comes
 * from outside (storage, an imported file, later a classroom server: progress-schema.ts).
 * Lessons are keyed by their id, so renumbering lesson folders keeps everyone's progress.
 */
import type * as z from 'zod';
import type { courseProgressSchema, lessonProgressSchema } from './progress-schema.ts';

export const PROGRESS_FORMAT = 'smtp-lab-progress';

export type LessonProgress = z.infer<typeof lessonProgressSchema>;
export type CourseProgress = z.infer<typeof courseProgressSchema>;

/** Where a learner stands with one lesson. */
export type LessonStatus = 'done' | 'in-progress' | 'not-started';

/** Progress of someone who has not started. */
export function emptyProgress(): CourseProgress {
  return { format: PROGRESS_FORMAT, version: 1, current: null, lessons: {} };
}

/** The status of lesson `id`. */
export function lessonStatus(progress: CourseProgress, id: string): LessonStatus {
  const entry = progress.lessons[id];
  if (entry === undefined) return 'not-started';
  return entry.completedAt === null ? 'in-progress' : 'done';
}

/** A copy of `progress` with lesson `id` changed by `change` (created as started now if new). */
export function updateLesson(progress: CourseProgress, id: string, change: (entry: LessonProgress) => LessonProgress, now: Date = new Date()): CourseProgress {
  const entry = progress.lessons[id] ?? { startedAt: now.toISOString(), completedAt: null, hintsUsed: 0, solutionShown: false };
  return { ...progress, lessons: { ...progress.lessons, [id]: change(entry) } };
}

/** The progress as a pretty JSON document, for download. */
export function progressToJson(progress: CourseProgress): string {
  return `${JSON.stringify(progress, null, 2)}\n`;
}
