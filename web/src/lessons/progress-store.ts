/**
 * Where progress is kept. The app talks to a CourseProgressStore only, so a classroom can swap the
 * browser's localStorage for its server API without touching the course UI.
 */
import { emptyProgress, progressToJson, type CourseProgress } from './progress.ts';

export interface CourseProgressStore {
  /** The saved progress; empty progress when nothing (valid) was saved. */
  load(): Promise<CourseProgress>;
  /** Saves the whole progress; rejects when it could not be saved. */
  save(progress: CourseProgress): Promise<void>;
  /** What to tell the learner when a save fails (a default fits a store in this browser). */
  readonly failureMessage?: string;
  /** Where the progress is kept, for the learner (a default fits a store in this browser). */
  readonly about?: string;
}

export const PROGRESS_STORAGE_KEY = 'smtp-lab.progress.v1';

/** Keeps progress in this browser (localStorage by default). */
export class LocalProgressStore implements CourseProgressStore {
  readonly #storage: Storage;
  readonly #key: string;

  constructor(storage: Storage = window.localStorage, key: string = PROGRESS_STORAGE_KEY) {
    this.#storage = storage;
    this.#key = key;
  }

  async load(): Promise<CourseProgress> {
    const text = this.#storage.getItem(this.#key);
    if (text === null) return emptyProgress();
    const { parseProgress } = await import('./progress-schema.ts');
    const parsed = parseProgress(text);
    // Damaged storage (edited by hand, an older format) must not lock the learner out.
    return parsed.ok ? parsed.progress : emptyProgress();
  }

  save(progress: CourseProgress): Promise<void> {
    try {
      this.#storage.setItem(this.#key, progressToJson(progress));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
