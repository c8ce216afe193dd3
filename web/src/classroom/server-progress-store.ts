/**
 * Progress kept by the class server instead of this browser: the same CourseProgressStore the
 * course talks to, so the course UI does not know the difference. The server keeps per
 * lesson whether it is done (and whether with the solution) and how many hints were used;
 * the last lesson reported becomes the student's current lesson on the instructor's dashboard.
 */
import type { CourseProgressStore } from '../lessons/progress-store.ts';
import { emptyProgress, type CourseProgress, type LessonProgress } from '../lessons/progress.ts';
import type { LessonProgressJson, ProgressReport } from '../../../protocol/wire/classroom-contract.ts';
import type { ApiResult, ClassroomApi } from './classroom-api.ts';

/** Progress in the course's format from the server's records. */
export function progressFromServer(records: readonly LessonProgressJson[], current: string | null): CourseProgress {
  const lessons: Record<string, LessonProgress> = {};
  for (const record of records) {
    // The server keeps no start time: the last change is the closest it knows.
    lessons[record.lessonId] = {
      startedAt: record.updatedAt,
      completedAt: record.completedAt,
      hintsUsed: record.hintsUsed,
      // The server does not keep whether the solution was watched, only how a completion came.
      solutionShown: record.completedWithSolution,
      completedWithSolution: record.completedWithSolution,
    };
  }
  return { ...emptyProgress(), current, lessons };
}

/** The reports that bring the server from `saved` to `next`, the current lesson last. */
export function reportsBetween(saved: CourseProgress, next: CourseProgress): { lessonId: string; report: ProgressReport }[] {
  const reports: { lessonId: string; report: ProgressReport }[] = [];
  for (const [lessonId, entry] of Object.entries(next.lessons)) {
    const before = saved.lessons[lessonId];
    const completed = entry.completedAt !== null;
    const changed =
      before === undefined ||
      (before.completedAt !== null) !== completed ||
      before.completedWithSolution !== entry.completedWithSolution ||
      before.hintsUsed !== entry.hintsUsed;
    if (!changed && !(lessonId === next.current && next.current !== saved.current)) continue;
    const report: ProgressReport = completed ? { completed, withSolution: entry.completedWithSolution, hintsUsed: entry.hintsUsed } : { completed, hintsUsed: entry.hintsUsed };
    reports.push({ lessonId, report });
  }
  const currentLast = (item: { lessonId: string }): number => (item.lessonId === next.current ? 1 : 0);
  return reports.sort((a, b) => currentLast(a) - currentLast(b));
}

export class ServerProgressStore implements CourseProgressStore {
  readonly failureMessage = 'Your progress could not be sent to the class server; it will be sent again with your next step.';
  readonly about = 'Your progress is kept by the class server, so your instructor sees it and a reload or a new tab keeps it. Export it to keep a copy of your own.';
  readonly #api: ClassroomApi;
  readonly #initial: CourseProgress;
  /** What the server has, as far as this page knows. */
  #saved: CourseProgress;
  /** Saves run one after another, so the current lesson is always the last one reported. */
  #queue: Promise<void> = Promise.resolve();

  /** `initial` is the progress the page loaded with (GET /api/me), so `load` needs no request. */
  constructor(api: ClassroomApi, initial: CourseProgress) {
    this.#api = api;
    this.#initial = initial;
    this.#saved = initial;
  }

  load(): Promise<CourseProgress> {
    return Promise.resolve(this.#initial);
  }

  /**
   * Sends what changed since the last successful save. A lesson the instructor has closed is
   * not an error (the server keeps nothing for it); anything else rejects, and the changes
   * not yet accepted go again with the next save.
   */
  save(progress: CourseProgress): Promise<void> {
    const run = this.#queue.then(() => this.#send(progress));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #send(progress: CourseProgress): Promise<void> {
    const base = this.#saved;
    let accepted: CourseProgress = { ...base, lessons: { ...base.lessons } };
    let failure: string | null = null;
    for (const { lessonId, report } of reportsBetween(base, progress)) {
      const result: ApiResult<unknown> = await this.#api.reportProgress(lessonId, report);
      if (result.ok || result.code === 'lesson_closed') {
        const entry = progress.lessons[lessonId];
        if (entry !== undefined) accepted = { ...accepted, lessons: { ...accepted.lessons, [lessonId]: entry } };
        if (lessonId === progress.current) accepted = { ...accepted, current: progress.current };
      } else {
        failure ??= result.message;
      }
    }
    this.#saved = accepted;
    if (failure !== null) throw new Error(failure);
  }
}
