/**
 * Node-side loader for the lessons/ folder: reads every lesson folder's files and check
 * module into LessonSources, the same input the web app builds with import.meta.glob.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCourse, type Course, type LessonCheck, type LessonSource } from '../../protocol/lessons/index.ts';

export const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons');

/** The lesson folder names (directories only), sorted. */
export function lessonFolders(): string[] {
  return readdirSync(LESSONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Reads one folder: index.md, solution.smtp and, when present, check.ts's `check`. */
export async function readLessonSource(folder: string): Promise<LessonSource> {
  const dir = join(LESSONS_DIR, folder);
  const solutionPath = join(dir, 'solution.smtp');
  const checkPath = join(dir, 'check.ts');
  let check: LessonCheck | null = null;
  if (existsSync(checkPath)) {
    const module = (await import(pathToFileURL(checkPath).href)) as { check?: unknown };
    if (typeof module.check !== 'function') throw new Error(`${folder}/check.ts must export a function named check`);
    check = module.check as LessonCheck;
  }
  return {
    folder,
    indexMd: readFileSync(join(dir, 'index.md'), 'utf8'),
    solution: existsSync(solutionPath) ? readFileSync(solutionPath, 'utf8') : null,
    check,
  };
}

/** The whole course as the web app would see it. */
export async function loadCourse(): Promise<Course> {
  return buildCourse(await Promise.all(lessonFolders().map(readLessonSource)));
}
