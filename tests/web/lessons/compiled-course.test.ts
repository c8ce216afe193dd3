/**
 * The course the app ships (compiled at build time by web/vite-plugin-lessons.ts) is exactly
 * what the lesson engine makes of the lessons/ folder at runtime (as the app did before, from
 * the raw files bundled with import.meta.glob), with the text and hints rendered by the app's
 * markdown renderer.
 */
import { compiledCourse } from 'virtual:smtp-lab-lessons';
import { describe, expect, it } from 'vitest';
import { buildCourse, sourcesFromFiles, type LessonCheck } from '../../../protocol/lessons/index.ts';
import { lessonHtml, loadCourse } from '../../../web/src/lessons/course-data.ts';
import { renderInlineMarkdown, renderLessonMarkdown } from '../../../web/src/lessons/markdown.ts';

const files = import.meta.glob<string>('../../../lessons/*/{index.md,solution.smtp}', { query: '?raw', import: 'default', eager: true });
const checkModules = import.meta.glob<LessonCheck>('../../../lessons/*/check.ts', { import: 'check', eager: true });
const checks = Object.fromEntries(Object.entries(checkModules).map(([path, check]) => [path.split('/').at(-2) ?? '', check]));
const runtime = buildCourse(sourcesFromFiles(files, checks));

describe('the compiled course', () => {
  it('holds the lessons the runtime parser makes from the lesson files, check modules included', () => {
    expect(runtime.lessons.length).toBeGreaterThan(0);
    expect(loadCourse().lessons).toEqual(runtime.lessons);
    expect(loadCourse().problems).toEqual(runtime.problems);
    const withCheck = runtime.lessons.filter((lesson) => lesson.check !== null);
    expect(withCheck.length).toBeGreaterThan(0);
    for (const lesson of withCheck) {
      expect(loadCourse().lessons.find((compiled) => compiled.folder === lesson.folder)?.check).toBe(lesson.check);
    }
  });

  it('has every lesson text and hint already rendered to HTML', () => {
    for (const lesson of runtime.lessons) {
      const html = lessonHtml(lesson);
      expect(html.body).toBe(renderLessonMarkdown(lesson.body));
      expect(html.hints).toEqual(lesson.hints.map(renderInlineMarkdown));
    }
    expect(compiledCourse.lessons.map((compiled) => compiled.lesson.folder)).toEqual(runtime.lessons.map((lesson) => lesson.folder));
  });

  it('renders code and lesson links as the course panel expects', () => {
    const bodies = runtime.lessons.map((lesson) => lessonHtml(lesson).body).join('\n');
    expect(bodies).toContain('<pre class="lesson-code"><code><span class="wire-client">C: ');
    expect(bodies).toMatch(/<a href="#lesson\/\d+-[a-z0-9-]+" data-lesson="\d+-[a-z0-9-]+">/);
    expect(bodies).not.toMatch(/<script|<img/);
  });
});
