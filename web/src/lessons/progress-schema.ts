/**
 * The progress document's schema, and reading one (stored text, an imported file), older
 * versions included: zod checks whatever comes from outside. Loaded on demand, so zod stays
 * out of the page's first load.
 */
import * as z from 'zod';
import {
  DAMAGED_PROGRESS_FILE,
  emptyProgress,
  MAX_PROGRESS_BYTES,
  NEWER_PROGRESS_FILE,
  NOT_A_PROGRESS_FILE,
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  type CourseProgress,
  type LessonProgress,
  type ProgressReading,
} from './progress.ts';

/** Lesson ids named in one note before "and N more". */
const NAMES_IN_A_NOTE = 5;

const lessonIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const lessonId = z.string().regex(lessonIdPattern, 'a lesson id (lower-case words joined by hyphens)');
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
  /**
   * Whether the completion so far came with the solution (see above); false while not
   * completed. Version 1 files do not have it: their completions count as the learner's own.
   */
  completedWithSolution: z.boolean().default(false),
});

export const courseProgressSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(PROGRESS_VERSION),
  /** The lesson the learner has open, or null before the first one. */
  current: lessonId.nullable(),
  lessons: z.record(lessonId, lessonProgressSchema),
});

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
