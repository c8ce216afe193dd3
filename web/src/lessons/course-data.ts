/**
 * The course as the web app ships it: compiled at build time by web/vite-plugin-lessons.ts
 * (parsed lessons, their text and hints already HTML), so the static build needs no server and
 * the browser needs no YAML, schema or markdown parser to show a lesson.
 */
/// <reference path="./compiled-lessons.d.ts" />
import { compiledCourse } from 'virtual:smtp-lab-lessons';
import type { Course, Lesson } from '../../../protocol/lessons/index.ts';
import type { LessonHtml } from './compiled-course.ts';

const course: Course = { lessons: compiledCourse.lessons.map((compiled) => compiled.lesson), problems: compiledCourse.problems };
const htmlByFolder = new Map(compiledCourse.lessons.map((compiled) => [compiled.lesson.folder, compiled.html]));

/** The bundled course; invalid lessons are left out and listed in `problems`. */
export function loadCourse(): Course {
  return course;
}

/** The lesson's text and hints as HTML (rendered at build time). */
export function lessonHtml(lesson: Lesson): LessonHtml {
  const html = htmlByFolder.get(lesson.folder);
  if (html === undefined) throw new Error(`lesson ${lesson.folder} is not part of the bundled course`);
  return html;
}
