/**
 * Vite plugin: the course compiled at build time. It reads every lessons/<folder>/index.md
 * and solution.smtp, parses them with the lesson engine, renders the lesson text and hints to
 * HTML with markdown-it, and serves the result as the module `virtual:smtp-lab-lessons`. So
 * yaml, the frontmatter schemas and markdown-it never reach the browser. A folder's check.ts
 * stays a real module, imported by the generated code. The dev server reloads the module
 * whenever a lesson file is added, changed or removed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { buildCourse, sourcesFromFiles } from '../protocol/lessons/course.ts';
import type { CompiledCourse, CompiledLesson } from './src/lessons/compiled-course.ts';
import { renderInlineMarkdown, renderLessonMarkdown } from './src/lessons/markdown.ts';

export const COMPILED_LESSONS_ID = 'virtual:smtp-lab-lessons';
/** The `\0` prefix tells other plugins (and Vite's file handling) that no file is behind it. */
const RESOLVED_ID = `\0${COMPILED_LESSONS_ID}`;

/** Files the course is made from: a folder directly under the lessons folder, and one of these names. */
const LESSON_FILE = /^[^/\\]+[/\\](index\.md|solution\.smtp|check\.ts)$/;

/** The course from the files in `lessonsDir`, the same data the lesson engine gives at runtime. */
export function compileCourse(lessonsDir: string): { readonly course: CompiledCourse; readonly checkFiles: ReadonlyMap<string, string> } {
  const files: Record<string, string> = {};
  const checkFiles = new Map<string, string>();
  for (const entry of readdirSync(lessonsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of ['index.md', 'solution.smtp']) {
      const path = join(lessonsDir, entry.name, name);
      if (existsSync(path)) files[`${entry.name}/${name}`] = readFileSync(path, 'utf8');
    }
    const check = join(lessonsDir, entry.name, 'check.ts');
    if (existsSync(check)) checkFiles.set(entry.name, check);
  }
  // Checks are functions: the generated module imports them, so here every check is null.
  const { lessons, problems } = buildCourse(sourcesFromFiles(files));
  const compiled = lessons.map((lesson): CompiledLesson => ({
    lesson: { ...lesson, check: null },
    html: { body: renderLessonMarkdown(lesson.body), hints: lesson.hints.map(renderInlineMarkdown) },
  }));
  return { course: { lessons: compiled, problems }, checkFiles };
}

/** The generated module: the compiled data as one JSON string (parsed faster than an object literal) plus the check imports. */
function moduleCode(course: CompiledCourse, checkFiles: ReadonlyMap<string, string>): string {
  const imports: string[] = [];
  const entries: string[] = [];
  [...checkFiles].forEach(([folder, path], index) => {
    imports.push(`import { check as check${index} } from ${JSON.stringify(path)};`);
    entries.push(`${JSON.stringify(folder)}: check${index}`);
  });
  return [
    ...imports,
    `const checks = { ${entries.join(', ')} };`,
    `const data = JSON.parse(${JSON.stringify(JSON.stringify(course))});`,
    'for (const { lesson } of data.lessons) lesson.check = checks[lesson.folder] ?? null;',
    'export const compiledCourse = data;',
    '',
  ].join('\n');
}

export function compiledLessons(lessonsDir: string): Plugin {
  const isLessonFile = (file: string): boolean => LESSON_FILE.test(relative(lessonsDir, file).split(sep).join('/'));
  return {
    name: 'smtp-lab:compiled-lessons',
    resolveId(id) {
      return id === COMPILED_LESSONS_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { course, checkFiles } = compileCourse(lessonsDir);
      for (const problem of course.problems) this.warn(`lesson ${problem.folder} left out: ${problem.errors.join('; ')}`);
      // A new lesson folder is seen by the dev server's watcher (configureServer, hotUpdate).
      for (const lesson of course.lessons) {
        this.addWatchFile(join(lessonsDir, lesson.lesson.folder, 'index.md'));
        this.addWatchFile(join(lessonsDir, lesson.lesson.folder, 'solution.smtp'));
      }
      return moduleCode(course, checkFiles);
    },
    configureServer(server) {
      // The lessons live outside Vite's root (web/), so its watcher needs telling.
      server.watcher.add(lessonsDir);
    },
    hotUpdate({ file, modules }) {
      if (!isLessonFile(file)) return undefined;
      const module = this.environment.moduleGraph.getModuleById(RESOLVED_ID);
      if (module === undefined) return undefined;
      this.environment.moduleGraph.invalidateModule(module);
      // `modules`: a changed check.ts is also a module of its own.
      return [...modules, module];
    },
  };
}
