/**
 * A learner's progress through the course: plain data, validated with zod wherever it comes
 * from outside (storage, an imported file, later a classroom server). Lessons are keyed by
 * their id, so renumbering lesson folders keeps everyone's progress.
 */
import * as z from 'zod';

const lessonId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lesson id (lower-case words joined by hyphens)');
const time = z.iso.datetime({ offset: true });

const lessonProgressSchema = z.strictObject({
  /** When the learner first opened the lesson. */
  startedAt: time,
  /** When the lesson's goal was first met; null while it is in progress. */
  completedAt: time.nullable(),
  /** How many hints the learner revealed (they stay revealed). */
  hintsUsed: z.number().int().min(0).max(100),
  /** Whether the learner played the solution. */
  solutionShown: z.boolean(),
});

export const PROGRESS_FORMAT = 'smtp-lab-progress';

export const courseProgressSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(1),
  /** The lesson the learner has open, or null before the first one. */
  current: lessonId.nullable(),
  lessons: z.record(lessonId, lessonProgressSchema),
});

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

/** Reads a progress document (an imported file, stored text): the progress, or why not. */
export function parseProgress(text: string): { ok: true; progress: CourseProgress } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not a progress file: it is not JSON.' };
  }
  const parsed = courseProgressSchema.safeParse(data);
  if (parsed.success) return { ok: true, progress: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` (at ${issue.path.join('.')})`;
  return { ok: false, error: `This file is not SMTP Lab progress${where}: ${issue?.message ?? 'unexpected content'}.` };
}
