/** The README's lesson list is the one the lessons/ folder makes (`npm run screenshot` rewrites it). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { currentLessonList, LESSON_LIST_END, LESSON_LIST_START, lessonListMarkdown, withLessonList } from './readme-lessons.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${ROOT}README.md`, 'utf8');

describe('the README', () => {
  it('lists every lesson folder, in course order, with its title', () => {
    const list = lessonListMarkdown(`${ROOT}lessons`);
    expect(currentLessonList(readme)).toBe(list);
    expect(list.split('\n')[0]).toBe('1. [Client and server](lessons/01-client-and-server/index.md): Ask the server to do nothing with NOOP, then end the conversation with QUIT.');
  });

  it('opens with the picture of the learner page and the lessons, and the quick start right after them', () => {
    const picture = readme.indexOf('![The learner page');
    const lessons = readme.indexOf(LESSON_LIST_START);
    const quickStart = readme.indexOf('## Quick start');
    expect(picture).toBeGreaterThan(0);
    expect(readme.slice(picture, readme.indexOf('\n', picture))).toContain('(docs/learner-page.png)');
    expect(picture).toBeLessThan(lessons);
    expect(lessons).toBeLessThan(quickStart);
    expect(readme.slice(readme.indexOf(LESSON_LIST_END), quickStart).trim()).toBe(LESSON_LIST_END);
    expect(readFileSync(`${ROOT}docs/learner-page.png`).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('has its list replaced between the markers, and nothing else changed', () => {
    const stale = withLessonList(readme, '1. [Old](lessons/01-old/index.md): gone.');
    expect(currentLessonList(stale)).toBe('1. [Old](lessons/01-old/index.md): gone.');
    expect(withLessonList(stale, currentLessonList(readme))).toBe(readme);
    expect(() => currentLessonList('# no markers')).toThrow(/needs the lines/);
  });
});
