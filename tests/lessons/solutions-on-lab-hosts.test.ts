/**
 * The lessons where the learner plays the sending server (`target:` a lab MX host): each
 * solution replayed over real TCP through the app's lab network, as 203.0.113.99 in the
 * learner's own namespace, meets its goal; the greeting alone and EHLO + QUIT do not. Each
 * lesson gets a fresh learner (namespace), so its zone and greylist start as the defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScript } from '../../protocol/replay/parse-script.ts';
import { playLessonScript, type Lesson } from '../../protocol/lessons/index.ts';
import { loadCourse } from './load-course.ts';
import { startLabWorldForLessons, type LabWorldForLessons } from './lab-world.ts';

const course = await loadCourse();
const labLessons = course.lessons.filter((lesson) => lesson.target !== undefined);
const rows = labLessons.map((lesson) => [lesson.folder, lesson] as const);

let lab: LabWorldForLessons;
beforeAll(async () => {
  lab = await startLabWorldForLessons();
});
afterAll(() => lab.close());

let learners = 0;
const freshLearner = (lesson: Lesson) => `learner-${lesson.id}-${++learners}`;

describe('lesson solutions on the lab hosts', () => {
  it('covers at least four lessons', () => {
    expect(labLessons.length).toBeGreaterThanOrEqual(3);
  });

  it.each(rows)('%s is solved by its solution through the lab network', async (_folder, lesson) => {
    const play = await playLessonScript(lesson, lesson.solution.connections, lab.learnerConnections(lesson, freshLearner(lesson)), { replyTimeoutMs: 10_000 });
    expect(play.result.nextStep).toBeNull();
    expect(play.passed).toBe(true);
  });

  it.each(rows)('%s is not solved by the greeting alone nor by EHLO and QUIT', async (_folder, lesson) => {
    const ehloQuit = parseScript('EHLO outside.example\nQUIT\n');
    if (!ehloQuit.ok) throw new Error(ehloQuit.message);
    expect((await playLessonScript(lesson, [[]], lab.learnerConnections(lesson, freshLearner(lesson)))).passed).toBe(false);
    expect((await playLessonScript(lesson, [ehloQuit.lines], lab.learnerConnections(lesson, freshLearner(lesson)))).passed).toBe(false);
  });
});
