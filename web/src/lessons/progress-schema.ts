/**
 * The progress document's schema, and reading one (stored text, an imported file): zod checks
 * whatever comes from outside. Loaded on demand, so zod stays out of the page's first load.
 */
import * as z from 'zod';
import { PROGRESS_FORMAT, type CourseProgress } from './progress.ts';

const lessonId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lesson id (lower-case words joined by hyphens)');
const time = z.iso.datetime({ offset: true });

export const lessonProgressSchema = z.strictObject({
  /** When the learner first opened the lesson. */
  startedAt: time,
  /** When the lesson's goal was first met; null while it is in progress. */
  completedAt: time.nullable(),
  /** How many hints the learner revealed (they stay revealed). */
  hintsUsed: z.number().int().min(0).max(100),
  /** Whether the learner played the solution. */
  solutionShown: z.boolean(),
});

export const courseProgressSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(1),
  /** The lesson the learner has open, or null before the first one. */
  current: lessonId.nullable(),
  lessons: z.record(lessonId, lessonProgressSchema),
});

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
