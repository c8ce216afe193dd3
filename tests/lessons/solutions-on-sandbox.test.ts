/**
 * Every lesson's solution, replayed over real TCP on 127.0.0.1 against the server the lesson
 * names, through the same client driver and pacer that play "Show solution" in the browser:
 * each one meets its lesson's goal, as it does against the simulator (course.test.ts).
 * - smtp-server lessons: the real sandbox (smtp-server) set up as the lesson says.
 * - lessons with another `server.personality`: that personality behind a real TCP listener
 *   (what `smtp-lab sandbox --personality` serves) and, for `postfix`, the lab's real Postfix
 *   on 127.0.0.1:25 too. Without it (a developer's machine) those replays are skipped with one
 *   warning; in CI (SMTP_LAB_REQUIRE_POSTFIX=1) its absence fails.
 * One server per lesson, so state a server keeps between connections (greylisting) carries
 * over, as in the app.
 */
import { describe, expect, it } from 'vitest';
import { mergeServerConfig, playLessonScript, type Lesson } from '../../protocol/lessons/index.ts';
import type { TransportFactory } from '../../protocol/transport.ts';
import { createSandbox } from '../../server/sandbox/create-sandbox.ts';
import { createSimulatorListener } from '../../server/sandbox/simulator-listener.ts';
import { createTcpTransport } from '../../server/transport/tcp-transport.ts';
import { labPostfixForSuite, POSTFIX_PORT } from '../conformance/postfix-lab-server.ts';
import { loadCourse } from './load-course.ts';

const course = await loadCourse();
// Lessons whose target is a lab host are replayed on the lab network (solutions-on-lab-hosts.test.ts).
const serverLessons = course.lessons.filter((lesson) => lesson.target === undefined);
const personalityOf = (lesson: Lesson) => mergeServerConfig(lesson.server).personality;
const sandboxLessons = serverLessons.filter((lesson) => personalityOf(lesson) === 'smtp-server');
const personalityLessons = serverLessons.filter((lesson) => personalityOf(lesson) !== 'smtp-server');
const postfixLessons = serverLessons.filter((lesson) => personalityOf(lesson) === 'postfix');

const postfixAnswers = await labPostfixForSuite('postfix lesson solutions on the real Postfix');

const asRows = (lessons: readonly Lesson[]) => lessons.map((lesson) => [lesson.folder, lesson] as const);

function openTcp(port: number): TransportFactory {
  return createTcpTransport('127.0.0.1', port, { connectTimeoutMs: 5000, tls: { rejectUnauthorized: false } });
}

async function expectSolved(lesson: Lesson, open: TransportFactory): Promise<void> {
  const play = await playLessonScript(lesson, lesson.solution.connections, open, { replyTimeoutMs: 10_000 });
  expect(play.result.nextStep).toBeNull();
  expect(play.passed).toBe(true);
}

describe('lesson solutions over real TCP', () => {
  it('covers every lesson of the course, the postfix lessons among them', () => {
    expect(course.lessons.length).toBeGreaterThanOrEqual(16);
    expect(sandboxLessons.length + personalityLessons.length).toBe(serverLessons.length);
    expect(postfixLessons.length).toBeGreaterThanOrEqual(3);
  });

  it.each(asRows(sandboxLessons))('%s is solved by its solution on the real sandbox', async (_folder, lesson) => {
    const sandbox = createSandbox({ config: mergeServerConfig(lesson.server) });
    const address = await sandbox.listen(0, '127.0.0.1');
    try {
      await expectSolved(lesson, openTcp(address.port));
    } finally {
      await sandbox.close();
    }
  });

  it.each(asRows(personalityLessons))('%s is solved by its solution on its personality behind a TCP listener', async (_folder, lesson) => {
    const errors: Error[] = [];
    const listener = createSimulatorListener({ config: mergeServerConfig(lesson.server), onMessage: () => {}, onError: (error) => errors.push(error) });
    const address = await listener.listen(0, '127.0.0.1');
    try {
      await expectSolved(lesson, openTcp(address.port));
      expect(errors).toEqual([]);
    } finally {
      await listener.close();
    }
  });
});


describe.skipIf(!postfixAnswers)('postfix lesson solutions on the real Postfix', () => {
  it.each(asRows(postfixLessons))('%s is solved by its solution on the lab Postfix', async (_folder, lesson) => {
    await expectSolved(lesson, openTcp(POSTFIX_PORT));
  });
});
