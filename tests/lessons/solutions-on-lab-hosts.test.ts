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
  it('covers at least four lessons', async () => {
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

/** The delivered copies' header sections after a lesson's solution, in one mailbox of its learner. */
async function headersAfterSolution(folder: string, mailbox: string): Promise<string[]> {
  const lesson = course.lessons.find((candidate) => candidate.folder === folder);
  if (lesson === undefined) throw new Error(`${folder} did not parse`);
  const namespace = freshLearner(lesson);
  expect((await playLessonScript(lesson, lesson.solution.connections, lab.learnerConnections(lesson, namespace))).passed).toBe(true);
  const { messages } = await lab.messages.list(namespace, { mailbox });
  return Promise.all(messages.map(async (message) => (await lab.messages.raw(namespace, message.id))?.toString('utf8').split('\r\n\r\n')[0] ?? ''));
}

/** Every field of a header section named `name`, in order, unfolded. */
function fields(head: string, name: string): string[] {
  return [...head.matchAll(new RegExp(`^${name}: [^]*?(?=\\r\\n\\S|(?![^]))`, 'gm'))].map((match) => match[0].replace(/\r\n\s+/g, ' '));
}

/** The delivered copies' Authentication-Results after a lesson's solution, in bob@example.net's mailbox. */
async function deliveredAfterSolution(folder: string): Promise<string[]> {
  return (await headersAfterSolution(folder, 'bob@example.net')).map((head) => fields(head, 'Authentication-Results')[0] ?? '');
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

  it('MX fallback: the copy reached bob@example.org through mx2.example.org, whose Received header is on top', async () => {
    const heads = await headersAfterSolution('29-mx-priority-and-fallback', 'bob@example.org');
    expect(heads).toHaveLength(1);
    expect(fields(heads[0]!, 'Received')[0]).toMatch(/^Received: from mail\.outside\.example \(203\.0\.113\.99\) by mx2\.example\.org /);
  });

  it('bounces: the DSN reaches the envelope sender, and SPF checks the null sender as postmaster@ the HELO name', async () => {
    const heads = await headersAfterSolution('30-bounces-go-to-the-envelope-sender', 'bob@example.net');
    expect(heads).toHaveLength(1);
    expect(fields(heads[0]!, 'Content-Type')[0]).toMatch(/multipart\/report; report-type=delivery-status/);
    expect(fields(heads[0]!, 'Authentication-Results')[0]).toMatch(/spf=none .*smtp\.mailfrom=postmaster@mail\.outside\.example/);
  });

  it('Received trail: mx.example.net\'s header, with the connection\'s address, sits above the one the sender wrote', async () => {
    const heads = await headersAfterSolution('31-reading-a-received-trail', 'carol@example.net');
    expect(heads).toHaveLength(1);
    const trail = fields(heads[0]!, 'Received');
    expect(trail).toHaveLength(2);
    expect(trail[0]).toMatch(/^Received: from mail\.outside\.example \(unknown \[203\.0\.113\.99\]\) by mx\.example\.net \(Postfix\)/);
    expect(trail[1]).toBe('Received: from mail.example.com ([192.0.2.10]) by relay.example.com with ESMTP; Mon, 1 Jan 2024 09:00:00 +0000');
  });

  it('DKIM: without the key nothing verifies; with it the untouched copy passes DKIM and DMARC, and the footer copy was refused', async () => {
    const results = await deliveredAfterSolution('32-dkim-what-is-signed-and-what-breaks-it');
    expect(results.map((result) => /dkim=(\w+)(?: \(([^)]*)\))?/.exec(result)?.slice(1, 3).join(' ')).sort()).toEqual(['neutral no key', 'pass ']);
    const passed = results.find((result) => /dkim=pass/.test(result));
    expect(passed).toMatch(/dkim=pass .*header\.i=@news\.example.*dmarc=pass \(p=REJECT\) header\.from=news\.example/);
    expect(results.join('\n')).not.toMatch(/body hash/);
  });

  it('null MX: the bounce from <> reaches bob@example.net, and nothing from null-mx.example was delivered', async () => {
    const heads = await headersAfterSolution('33-null-mx', 'bob@example.net');
    expect(heads).toHaveLength(1);
    expect(fields(heads[0]!, 'From')).toEqual(['From: Mail Delivery System <MAILER-DAEMON@mail.outside.example>']);
    expect(fields(heads[0]!, 'Authentication-Results')[0]).toMatch(/smtp\.mailfrom=postmaster@mail\.outside\.example/);
  });
});
