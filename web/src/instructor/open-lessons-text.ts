/** The open lessons in words: "all 21 lessons", "lessons 1–3 and 5", "none". */
import type { CatalogLesson, OpenLessons } from '../../../protocol/wire/classroom-contract.ts';

export function openLessonsText(lessons: readonly CatalogLesson[], open: OpenLessons): string {
  if (open === null) return `all ${lessons.length} lessons`;
  const numbers = lessons.flatMap((lesson, index) => (open.includes(lesson.id) ? [index + 1] : []));
  if (numbers.length === 0) return 'no lessons';
  if (numbers.length === lessons.length) return `all ${lessons.length} lessons`;
  const runs: string[] = [];
  let start = numbers[0] ?? 0;
  let previous = start;
  for (const number of [...numbers.slice(1), Number.NaN]) {
    if (number === previous + 1) {
      previous = number;
      continue;
    }
    runs.push(start === previous ? `${start}` : `${start}–${previous}`);
    start = number;
    previous = number;
  }
  const last = runs.pop() ?? '';
  const list = runs.length === 0 ? last : `${runs.join(', ')} and ${last}`;
  return `${numbers.length === 1 ? 'lesson' : 'lessons'} ${list}`;
}
