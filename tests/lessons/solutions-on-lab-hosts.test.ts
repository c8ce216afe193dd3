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
    expect(labLessons.length).toBeGreaterThanOrEqual(4);
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

/** The delivered copies' Authentication-Results after a lesson's solution, in its learner's mailbox. */
async function deliveredAfterSolution(folder: string): Promise<string[]> {
  const lesson = course.lessons.find((candidate) => candidate.folder === folder);
  if (lesson === undefined) throw new Error(`${folder} did not parse`);
  const namespace = freshLearner(lesson);
  expect((await playLessonScript(lesson, lesson.solution.connections, lab.learnerConnections(lesson, namespace))).passed).toBe(true);
  return lab.messages.list(namespace, { mailbox: 'bob@example.net' }).messages.map((message) => {
    const head = lab.messages.raw(namespace, message.id)?.toString('utf8').split('\r\n\r\n')[0] ?? '';
    return /^Authentication-Results: [^]*?(?=\r\n\S)/m.exec(head)?.[0].replace(/\r\n\s+/g, ' ') ?? '';
  });
}

describe('what the lessons say of the delivered copy', () => {
  it('SPF from the receiving side: SPF and DMARC pass for example.com once 203.0.113.99 is in its SPF', async () => {
    const results = await deliveredAfterSolution('25-spf-from-the-receiving-side');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatch(/spf=pass .*smtp\.mailfrom=alice@example\.com/);
    expect(results[0]).toMatch(/dmarc=pass .*header\.from=example\.com/);
  });

  it('DMARC policy: the p=none copy is delivered with SPF and DMARC failing', async () => {
    const results = await deliveredAfterSolution('27-dmarc-policy-from-the-receiving-side');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatch(/spf=fail .*dmarc=fail \(p=NONE\) header\.from=p-none\.example/);
  });

  it('the myth: the lookalike domain passes SPF and DMARC, the bank\'s own domain delivered nothing', async () => {
    const results = await deliveredAfterSolution('28-spf-and-dkim-authenticate-domains');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatch(/spf=pass .*dmarc=pass \(p=REJECT\) header\.from=example-com\.example/);
  });
});
