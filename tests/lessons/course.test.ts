/**
 * Every lesson in lessons/: valid frontmatter, valid links, a solution that parses and, replayed
 * headlessly against the simulator set up as the lesson says, meets the goal; a goal that is
 * not met at the start, nor by a bare EHLO + QUIT.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../protocol/replay/parse-script.ts';
import { playLessonScript, type Lesson } from '../../protocol/lessons/index.ts';
import { lessonFolders, loadCourse, readLessonSource } from './load-course.ts';
import { openLessonServer } from './lesson-server.ts';
import { parseLesson } from '../../protocol/lessons/index.ts';

const course = await loadCourse();
const folders = lessonFolders();
const lessonsByFolder = new Map(course.lessons.map((lesson) => [lesson.folder, lesson]));

/** Hosts whose pages a lesson may link to: the RFC publishers. */
const ALLOWED_HOSTS = new Set(['www.rfc-editor.org', 'rfc-editor.org', 'datatracker.ietf.org']);

const markdown = new MarkdownIt({ html: false });

function linksOf(body: string): string[] {
  const hrefs: string[] = [];
  const visit = (tokens: ReturnType<typeof markdown.parse>): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') hrefs.push(String(token.attrGet('href') ?? ''));
      if (token.children) visit(token.children);
    }
  };
  visit(markdown.parse(body, {}));
  return hrefs;
}

function lessonNamed(folder: string): Lesson {
  const lesson = lessonsByFolder.get(folder);
  if (!lesson) throw new Error(`${folder} did not parse`);
  return lesson;
}

const EHLO_QUIT = parseScript('EHLO laptop.example\nQUIT\n');

describe('the course', () => {
  it('has at least 16 lessons and every folder parses without problems', () => {
    expect(course.problems).toEqual([]);
    expect(course.lessons.length).toBe(folders.length);
    expect(course.lessons.length).toBeGreaterThanOrEqual(16);
  });

  it('numbers its lessons 1, 2, 3… in folder order', () => {
    expect(course.lessons.map((lesson) => lesson.order)).toEqual(course.lessons.map((_, index) => index + 1));
  });
});

describe.each(folders)('lesson %s', (folder) => {
  it('has valid frontmatter, at least two hints and a learned text', async () => {
    const source = await readLessonSource(folder);
    const parsed = parseLesson(folder, source.indexMd, source.solution ?? '', source.check ?? null);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    const lesson = lessonNamed(folder);
    expect(lesson.hints.length).toBeGreaterThanOrEqual(2);
    expect(lesson.learned.length).toBeGreaterThan(20);
  });

  it('links only to other lessons and to RFC pages over https', () => {
    const lesson = lessonNamed(folder);
    for (const href of linksOf(lesson.body)) {
      if (href.startsWith('../')) {
        const target = /^\.\.\/([^/#]+)\/?(#.*)?$/.exec(href)?.[1];
        expect(target && lessonsByFolder.has(target), `${href} names no lesson folder`).toBe(true);
        continue;
      }
      const url = new URL(href);
      expect(url.protocol, href).toBe('https:');
      expect(ALLOWED_HOSTS.has(url.hostname), `${href} is not an RFC page`).toBe(true);
    }
  });

  it('uses no raw HTML in its text (the web renders with HTML disabled)', () => {
    const tokens = new MarkdownIt({ html: true }).parse(lessonNamed(folder).body, {});
    const html = tokens.flatMap((token) => [token, ...(token.children ?? [])]).filter((token) => token.type.startsWith('html_'));
    expect(html.map((token) => token.content)).toEqual([]);
  });

  // A lesson on a lab host needs the lab network (SPF, DKIM, DMARC): solutions-on-lab-hosts.test.ts replays it.
  const onLabHost = lessonNamed(folder).target !== undefined;

  it.skipIf(onLabHost)('is solved by its solution, replayed against the simulator set up for it', async () => {
    const lesson = lessonNamed(folder);
    const play = await playLessonScript(lesson, lesson.solution.connections, openLessonServer(lesson));
    expect(play.result.nextStep).toBeNull();
    expect(play.passed).toBe(true);
  });

  it.skipIf(onLabHost)('is not solved at the start (greeting only) nor by EHLO and QUIT', async () => {
    const lesson = lessonNamed(folder);
    const start = await playLessonScript(lesson, [[]], openLessonServer(lesson));
    expect(start.passed).toBe(false);
    expect(start.result.nextStep).toMatch(/^Not yet: /);
    if (!EHLO_QUIT.ok) throw new Error(EHLO_QUIT.message);
    const ehloQuit = await playLessonScript(lesson, [EHLO_QUIT.lines], openLessonServer(lesson));
    expect(ehloQuit.passed).toBe(false);
  });
});

describe('lesson 21 (testing popular claims)', () => {
  const lesson = lessonNamed('21-testing-popular-claims');
  const withDataLine = (line: string) =>
    parseScript(`END DATA\nEHLO laptop.example\nMAIL FROM:<a@example.com>\nRCPT TO:<b@example.org>\nDATA\nSubject: Claims\n<empty>\n${line}\n.\n`);

  it('is not solved by a single leading dot, which smtp-server keeps without dot-stuffing', async () => {
    const script = withDataLine('.hidden in plain sight');
    if (!script.ok) throw new Error(script.message);
    const play = await playLessonScript(lesson, [script.lines], openLessonServer(lesson));
    expect(play.passed).toBe(false);
    expect(play.result.nextStep).toMatch(/stuffed with a second dot/);
  });

  it('is solved once the line is sent dot-stuffed', async () => {
    const script = withDataLine('..hidden in plain sight');
    if (!script.ok) throw new Error(script.message);
    expect((await playLessonScript(lesson, [script.lines], openLessonServer(lesson))).passed).toBe(true);
  });
});
