/**
 * The README's list of lessons, made from the lessons/ folder (each index.md's title and
 * objective), between two marker comments. `npm run screenshot` writes it; a test checks that
 * the README's list is the one the folder makes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontmatter, splitFrontmatter } from '../../protocol/lessons/index.ts';

export const LESSON_LIST_START = '<!-- lessons:start (npm run screenshot writes this list from lessons/) -->';
export const LESSON_LIST_END = '<!-- lessons:end -->';

/** One markdown line per lesson folder, in course order: number, linked title, objective. */
export function lessonListMarkdown(lessonsDir: string): string {
  const folders = readdirSync(lessonsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+-/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return folders
    .map((folder, index) => {
      const split = splitFrontmatter(readFileSync(join(lessonsDir, folder, 'index.md'), 'utf8'));
      const parsed = split === null ? null : parseFrontmatter(split.yaml);
      if (parsed === null || !parsed.ok) throw new Error(`lessons/${folder}/index.md has no valid frontmatter`);
      return `${index + 1}. [${parsed.value.title}](lessons/${folder}/index.md): ${parsed.value.objective}`;
    })
    .join('\n');
}

/** The list now between the markers of `readme`; throws when the markers are missing. */
export function currentLessonList(readme: string): string {
  const start = readme.indexOf(LESSON_LIST_START);
  const end = readme.indexOf(LESSON_LIST_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the lines ${LESSON_LIST_START} and ${LESSON_LIST_END}`);
  return readme.slice(start + LESSON_LIST_START.length, end).trim();
}

/** `readme` with `list` between the markers. */
export function withLessonList(readme: string, list: string): string {
  currentLessonList(readme);
  const start = readme.indexOf(LESSON_LIST_START) + LESSON_LIST_START.length;
  return `${readme.slice(0, start)}\n${list}\n${readme.slice(readme.indexOf(LESSON_LIST_END))}`;
}
