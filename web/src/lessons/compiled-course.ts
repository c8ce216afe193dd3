/**
 * The shape of the course compiled at build time (web/vite-plugin-lessons.ts): each lesson as
 * the lesson engine parses it, with its text and hints already rendered to HTML.
 */
import type { Course, Lesson } from '../../../protocol/lessons/index.ts';

/** Lesson text rendered by markdown-it with HTML disabled: only markup markdown itself makes. */
export interface LessonHtml {
  readonly body: string;
  /** One per hint, inline (no wrapping paragraph). */
  readonly hints: readonly string[];
}

export interface CompiledLesson {
  readonly lesson: Lesson;
  readonly html: LessonHtml;
}

export interface CompiledCourse {
  readonly lessons: readonly CompiledLesson[];
  readonly problems: Course['problems'];
}
