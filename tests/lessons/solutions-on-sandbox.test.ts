/**
 * Every lesson's solution, replayed against the real sandbox (smtp-server over TCP on
 * 127.0.0.1) set up as the lesson says, through the same client driver and pacer that play
 * "Show solution" in the browser: each one meets its lesson's goal, as it does against the
 * simulator (course.test.ts). One sandbox per lesson, so state a server keeps between
 * connections (greylisting) carries over, as in the app.
 */
import { describe, expect, it } from 'vitest';
import { mergeServerConfig, playLessonScript } from '../../protocol/lessons/index.ts';
import { createSandbox } from '../../server/sandbox/create-sandbox.ts';
import { createTcpTransport } from '../../server/transport/tcp-transport.ts';
import { loadCourse } from './load-course.ts';

const course = await loadCourse();

describe('lesson solutions on the real sandbox', () => {
  it('covers every lesson of the course', () => {
    expect(course.lessons.length).toBeGreaterThanOrEqual(16);
  });

  it.each(course.lessons.map((lesson) => [lesson.folder, lesson] as const))('%s is solved by its solution', async (_folder, lesson) => {
    const sandbox = createSandbox({ config: mergeServerConfig(lesson.server) });
    const address = await sandbox.listen(0, '127.0.0.1');
    try {
      const open = createTcpTransport('127.0.0.1', address.port, { connectTimeoutMs: 5000, tls: { rejectUnauthorized: false } });
      const play = await playLessonScript(lesson, lesson.solution.connections, open, { replyTimeoutMs: 10_000 });
      expect(play.result.nextStep).toBeNull();
      expect(play.passed).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
