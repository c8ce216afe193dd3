/**
 * Lessons written for smtp-server on another server: which ones can still be met there,
 * found by playing each lesson's own solution against the simulator answering like it.
 */
import { describe, expect, it } from 'vitest';
import { PERSONALITY_NAMES } from '../../../protocol/simulator/personalities/index.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import {
  personalityMismatch,
  personalityNoticeText,
  shortName,
  solutionMeetsGoalOn,
} from '../../../web/src/lessons/personality-fit.ts';

const { lessons } = loadCourse();
const lessonIn = (folder: string) => {
  const lesson = lessons.find((candidate) => candidate.folder === folder);
  if (lesson === undefined) throw new Error(`no lesson ${folder}`);
  return lesson;
};
// Lessons on a lab host (`target`) run only live, against that host: tests/lessons/solutions-on-lab-hosts.test.ts.
const unpinned = lessons.filter((lesson) => lesson.server.personality === undefined && lesson.target === undefined);

describe('personalityMismatch', () => {
  it('names the pick only when the lesson sets no server of its own and the pick is not smtp-server', () => {
    const plain = lessonIn('11-auth-plain-and-login');
    const pinned = lessonIn('22-servers-differ');
    expect(pinned.server.personality).toBeDefined();
    expect(personalityMismatch(plain, 'postfix')).toBe('postfix');
    expect(personalityMismatch(plain, 'gmail')).toBe('gmail');
    expect(personalityMismatch(plain, 'smtp-server')).toBeNull();
    expect(personalityMismatch(pinned, 'postfix')).toBeNull();
  });
});

describe('personalityNoticeText', () => {
  it('names both servers, and says plainly whether the goal can be met', () => {
    expect(personalityNoticeText('postfix', null)).toBe(
      'This lesson was written for smtp-server; you are talking to Postfix. Some replies will differ from the text.',
    );
    expect(personalityNoticeText('postfix', false)).toMatch(/the lesson's own solution does not meet them on Postfix\. Switch to smtp-server to complete this lesson\.$/);
    expect(personalityNoticeText('exim', true)).toMatch(/The goal can still be met here: the lesson's own solution meets it on Exim\.$/);
    expect(shortName('exchange')).toBe('Exchange-like');
  });
});

describe('solutionMeetsGoalOn', () => {
  it('is true for every lesson of the course on smtp-server, the server they were written for', async () => {
    expect(unpinned.length).toBeGreaterThanOrEqual(21);
    for (const lesson of unpinned) expect(await solutionMeetsGoalOn(lesson, 'smtp-server'), lesson.folder).toBe(true);
  });

  it('finds the goals that need smtp-server: lesson 11 looks for the sandbox\'s 530 "log in first", which Postfix (no AUTH) never sends', async () => {
    expect(await solutionMeetsGoalOn(lessonIn('11-auth-plain-and-login'), 'postfix')).toBe(false);
    expect(await solutionMeetsGoalOn(lessonIn('02-the-greeting'), 'postfix')).toBe(false);
    // Lesson 1 only asks for a greeting and a QUIT: every server gives those.
    for (const name of PERSONALITY_NAMES) expect(await solutionMeetsGoalOn(lessonIn('01-client-and-server'), name), name).toBe(true);
    // Lesson 2's 503 to MAIL before EHLO: Gmail-like and Exchange-like refuse it as smtp-server does.
    expect(await solutionMeetsGoalOn(lessonIn('02-the-greeting'), 'gmail')).toBe(true);
  });

  it('meets lessons 1 and 3 only on every server (what lessons/README.md says)', async () => {
    const everywhere: string[] = [];
    for (const lesson of unpinned) {
      const met = await Promise.all(PERSONALITY_NAMES.map((name) => solutionMeetsGoalOn(lesson, name)));
      if (met.every(Boolean)) everywhere.push(lesson.folder);
    }
    expect(everywhere).toEqual(['01-client-and-server', '03-ehlo-and-helo']);
  });
});
