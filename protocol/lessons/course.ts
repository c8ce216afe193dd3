/**
 * A course from lesson folders: parses each, orders them by their number prefix, and checks
 * what concerns several lessons at once (unique ids and numbers). Hosts gather the files:
 * the web app with import.meta.glob, Node tests from the file system.
 */
import { parseLesson } from './parse-lesson.ts';
import type { Lesson, LessonCheck } from './types.ts';

/** The files of one lesson folder. */
export interface LessonSource {
  /** Folder name, e.g. "01-client-and-server". */
  readonly folder: string;
  readonly indexMd: string;
  /** solution.smtp; null when the folder has none (an error). */
  readonly solution: string | null;
  /** The `check` export of check.ts, when the folder has one. */
  readonly check?: LessonCheck | null;
}

export interface Course {
  /** The valid lessons in course order. */
  readonly lessons: readonly Lesson[];
  /** Problems per folder ("(course)" for problems across lessons); empty when all is well. */
  readonly problems: readonly { readonly folder: string; readonly errors: readonly string[] }[];
}

/** Parses every lesson folder into a course; invalid lessons are reported, not thrown. */
export function buildCourse(sources: readonly LessonSource[]): Course {
  const lessons: Lesson[] = [];
  const problems: { folder: string; errors: readonly string[] }[] = [];
  for (const source of sources) {
    if (source.solution === null) {
      problems.push({ folder: source.folder, errors: ['solution.smtp is missing'] });
      continue;
    }
    const parsed = parseLesson(source.folder, source.indexMd, source.solution, source.check ?? null);
    if (parsed.ok) lessons.push(parsed.lesson);
    else problems.push({ folder: parsed.folder, errors: parsed.errors });
  }
  lessons.sort((a, b) => a.order - b.order || a.folder.localeCompare(b.folder));
  const duplicates = [...findDuplicates(lessons.map((lesson) => lesson.id)), ...findDuplicates(lessons.map((lesson) => String(lesson.order)))];
  if (duplicates.length > 0) problems.push({ folder: '(course)', errors: duplicates.map((value) => `"${value}" is used by more than one lesson`) });
  return { lessons, problems };
}

/**
 * Gathers lesson sources from a map of file paths to contents, as import.meta.glob returns
 * it: paths ending in `<folder>/index.md` and `<folder>/solution.smtp`.
 */
export function sourcesFromFiles(files: Readonly<Record<string, string>>, checks: Readonly<Record<string, LessonCheck>> = {}): LessonSource[] {
  const folders = new Map<string, { indexMd?: string; solution?: string }>();
  for (const [path, text] of Object.entries(files)) {
    const match = /([^/]+)\/(index\.md|solution\.smtp)$/.exec(path);
    if (match === null || match[1] === undefined) continue;
    const entry = folders.get(match[1]) ?? {};
    if (match[2] === 'index.md') entry.indexMd = text;
    else entry.solution = text;
    folders.set(match[1], entry);
  }
  return [...folders.entries()]
    .filter((entry): entry is [string, { indexMd: string; solution?: string }] => entry[1].indexMd !== undefined)
    .map(([folder, entry]) => ({ folder, indexMd: entry.indexMd, solution: entry.solution ?? null, check: checks[folder] ?? null }));
}

function findDuplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) duplicates.add(value);
    seen.add(value);
  }
  return [...duplicates];
}
