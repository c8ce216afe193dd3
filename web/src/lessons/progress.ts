/**
 * A learner's progress through the course: plain data, validated with zod wherever it comes
 * from outside (storage, an imported file, a classroom server). Lessons are keyed by their id,
 * so renumbering lesson folders keeps everyone's progress.
 *
 * "Completed with the solution": a lesson whose goal was met in an attempt where the learner
 * played the solution (by the solution itself, or by typing after watching it). It counts as
 * done, and turns into plainly "completed" once the learner meets the goal in a later attempt
 * (after "Start over" or reopening the lesson) without playing the solution. A completion of
 * their own is never taken back by watching the solution afterwards.
 */
import * as z from 'zod';

const lessonIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const lessonId = z.string().regex(lessonIdPattern, 'a lesson id (lower-case words joined by hyphens)');
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
  /**
   * Whether the completion so far came with the solution (see above); false while not
   * completed. Version 1 files do not have it: their completions count as the learner's own.
   */
  completedWithSolution: z.boolean().default(false),
});

export const PROGRESS_FORMAT = 'smtp-lab-progress';
/** Version 2 added `completedWithSolution`; version 1 files still load. */
export const PROGRESS_VERSION = 2;

const courseProgressSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(PROGRESS_VERSION),
  /** The lesson the learner has open, or null before the first one. */
  current: lessonId.nullable(),
  lessons: z.record(lessonId, lessonProgressSchema),
});

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
/** Lesson ids named in one note before "and N more". */
const NAMES_IN_A_NOTE = 5;

export const NOT_A_PROGRESS_FILE = 'This file is not an SMTP Lab progress file.';
export const NEWER_PROGRESS_FILE = 'This file was made by a newer version of SMTP Lab. Update SMTP Lab, then import it again.';
export const DAMAGED_PROGRESS_FILE = 'This SMTP Lab progress file is damaged: its list of lessons cannot be read.';

/** What reading a progress document gave: the progress and what was skipped, or why nothing could be read. */
export type ProgressReading =
  | { readonly ok: true; readonly progress: CourseProgress; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };

const envelopeSchema = z.looseObject({ format: z.literal(PROGRESS_FORMAT), version: z.number().int().min(1) });
const bodySchema = z.looseObject({ current: z.unknown(), lessons: z.record(z.string(), z.unknown()) });

/**
 * Reads a progress document (an imported file, stored text), older versions included. Lessons
 * not in `known` (when given) or with a damaged record are skipped and named in `notes`, in
 * words a learner can act on; the error of a document that cannot be read at all is as plain.
 */
export function parseProgress(text: string, known?: ReadonlySet<string>): ProgressReading {
  if (text.length > MAX_PROGRESS_BYTES) return { ok: false, error: NOT_A_PROGRESS_FILE };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: NOT_A_PROGRESS_FILE };
  }
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) return { ok: false, error: NOT_A_PROGRESS_FILE };
  if (envelope.data.version > PROGRESS_VERSION) return { ok: false, error: NEWER_PROGRESS_FILE };
  const body = bodySchema.safeParse(data);
  if (!body.success) return { ok: false, error: DAMAGED_PROGRESS_FILE };

  const lessons: Record<string, LessonProgress> = {};
  const unknown: string[] = [];
  const damaged: string[] = [];
  for (const [id, record] of Object.entries(body.data.lessons)) {
    if (!lessonIdPattern.test(id) || (known !== undefined && !known.has(id))) {
      unknown.push(id);
      continue;
    }
    const entry = lessonProgressSchema.safeParse(record);
    if (entry.success) lessons[id] = entry.data;
    else damaged.push(id);
  }
  const current = body.data.current;
  const progress: CourseProgress = {
    ...emptyProgress(),
    current: typeof current === 'string' && lessonIdPattern.test(current) && (known === undefined || known.has(current)) ? current : null,
    lessons,
  };
  const notes = [skippedNote(unknown, 'unknown'), skippedNote(damaged, 'damaged')].filter((note) => note !== null);
  return { ok: true, progress, notes };
}

/** "Lesson 'x' is unknown and was skipped." or the same for several, naming a few. */
function skippedNote(ids: readonly string[], why: 'unknown' | 'damaged'): string | null {
  if (ids.length === 0) return null;
  const named = ids.slice(0, NAMES_IN_A_NOTE).map((id) => `'${id.slice(0, 60)}'`);
  const more = ids.length - named.length;
  const list = more > 0 ? `${named.join(', ')} and ${more} more` : named.length === 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  const what = why === 'unknown' ? 'unknown' : 'damaged in this file';
  return ids.length === 1 ? `Lesson ${list} is ${what} and was skipped.` : `Lessons ${list} are ${what} and were skipped.`;
}
