/**
 * A learner's progress through the course: plain data, validated with zod wherever it comes
 * from outside (storage, an imported file, a classroom server: progress-schema.ts, loaded on
 * demand so zod stays out of the page's first load). Lessons are keyed by their id,
 * so renumbering lesson folders keeps everyone's progress.
 *
 * "Completed with the solution": a lesson whose goal was met in an attempt where the learner
 * played the solution (by the solution itself, or by typing after watching it). It counts as
 * done, and turns into plainly "completed" once the learner meets the goal in a later attempt
 * (after "Start over" or reopening the lesson) without playing the solution. A completion of
 * their own is never taken back by watching the solution afterwards.
 */
import type * as z from 'zod';
import type { courseProgressSchema, lessonProgressSchema } from './progress-schema.ts';

export const PROGRESS_FORMAT = 'smtp-lab-progress';
/** Version 2 added `completedWithSolution`; version 1 files still load. */
export const PROGRESS_VERSION = 2;

export type LessonProgress = z.infer<typeof lessonProgressSchema>;
export type CourseProgress = z.infer<typeof courseProgressSchema>;

/** Where a learner stands with one lesson. */
export type LessonStatus = 'done' | 'done-with-solution' | 'in-progress' | 'not-started';

/** Progress of someone who has not started. */
export function emptyProgress(): CourseProgress {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, current: null, lessons: {} };
}

/** The status of lesson `id`. */
export function lessonStatus(progress: CourseProgress, id: string): LessonStatus {
  const entry = progress.lessons[id];
  if (entry === undefined) return 'not-started';
  if (entry.completedAt === null) return 'in-progress';
  return entry.completedWithSolution ? 'done-with-solution' : 'done';
}

/** Whether a status counts as completed (with the solution or not). */
export function isDone(status: LessonStatus): boolean {
  return status === 'done' || status === 'done-with-solution';
}

/** A copy of `progress` with lesson `id` changed by `change` (created as started now if new). */
export function updateLesson(progress: CourseProgress, id: string, change: (entry: LessonProgress) => LessonProgress, now: Date = new Date()): CourseProgress {
  const entry = progress.lessons[id] ?? { startedAt: now.toISOString(), completedAt: null, hintsUsed: 0, solutionShown: false, completedWithSolution: false };
  return { ...progress, lessons: { ...progress.lessons, [id]: change(entry) } };
}

/**
 * The goal met at `at`, in an attempt with or without the solution: the first completion time
 * stays, and a completion of the learner's own clears "with the solution" for good.
 */
export function markCompleted(entry: LessonProgress, at: string, withSolution: boolean): LessonProgress {
  if (entry.completedAt === null) return { ...entry, completedAt: at, completedWithSolution: withSolution };
  return { ...entry, completedWithSolution: entry.completedWithSolution && withSolution };
}

/** The progress as a pretty JSON document, for download. */
export function progressToJson(progress: CourseProgress): string {
  return `${JSON.stringify(progress, null, 2)}\n`;
}

/** A file this big is no progress file (the whole course fits in a few kilobytes). */
export const MAX_PROGRESS_BYTES = 1_000_000;

export const NOT_A_PROGRESS_FILE = 'This file is not an SMTP Lab progress file.';
export const NEWER_PROGRESS_FILE = 'This file was made by a newer version of SMTP Lab. Update SMTP Lab, then import it again.';
export const DAMAGED_PROGRESS_FILE = 'This SMTP Lab progress file is damaged: its list of lessons cannot be read.';

/** What reading a progress document gave: the progress and what was skipped, or why nothing could be read. */
export type ProgressReading =
  | { readonly ok: true; readonly progress: CourseProgress; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };
