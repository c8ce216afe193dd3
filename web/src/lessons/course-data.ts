/**
 * The course as the web app ships it: every lesson folder's files, bundled by Vite at build
 * time (so the static build needs no server), parsed by the pure lesson engine.
 */
import { buildCourse, sourcesFromFiles, type Course, type LessonCheck } from '../../../protocol/lessons/index.ts';

const files = import.meta.glob<string>('../../../lessons/*/{index.md,solution.smtp}', { query: '?raw', import: 'default', eager: true });
const checkModules = import.meta.glob<LessonCheck>('../../../lessons/*/check.ts', { import: 'check', eager: true });

/** The check functions by lesson folder name. */
function checksByFolder(): Record<string, LessonCheck> {
  const checks: Record<string, LessonCheck> = {};
  for (const [path, check] of Object.entries(checkModules)) {
    const folder = /([^/]+)\/check\.ts$/.exec(path)?.[1];
    if (folder !== undefined) checks[folder] = check;
  }
  return checks;
}

let course: Course | null = null;

/** The bundled course (parsed once); invalid lessons are left out and listed in `problems`. */
export function loadCourse(): Course {
  course ??= buildCourse(sourcesFromFiles(files, checksByFolder()));
  return course;
}
