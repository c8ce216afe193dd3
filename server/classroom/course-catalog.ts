/**
 * The lessons the class works through, as the server needs them: id, title and order, read
 * from the lessons/ folder's frontmatter (the same files the web app bundles), so the
 * progress grid and the open-lesson switch name the lessons the students see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFrontmatter, splitFrontmatter } from '../../protocol/lessons/index.ts';
import type { CatalogLesson } from '../../protocol/wire/classroom-contract.ts';

export const LESSONS_DIR = fileURLToPath(new URL('../../lessons', import.meta.url));

/** The lessons in course order; a folder without valid frontmatter is skipped (the lesson tests catch it). */
export function loadCatalog(dir: string = LESSONS_DIR): CatalogLesson[] {
  const lessons: CatalogLesson[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const order = /^(\d+)-/.exec(entry.name)?.[1];
    if (!entry.isDirectory() || order === undefined) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, entry.name, 'index.md'), 'utf8');
    } catch {
      continue;
    }
    const split = splitFrontmatter(text);
    const parsed = split === null ? null : parseFrontmatter(split.yaml);
    if (parsed?.ok) lessons.push({ id: parsed.value.id, title: parsed.value.title, order: Number(order) });
  }
  return lessons.sort((a, b) => a.order - b.order);
}
