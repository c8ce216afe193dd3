import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { progressFromServer, reportsBetween, ServerProgressStore } from '../../../web/src/classroom/server-progress-store.ts';
import { CourseController } from '../../../web/src/lessons/course-controller.svelte.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import { emptyProgress, type CourseProgress } from '../../../web/src/lessons/progress.ts';
import { LabSession } from '../../../web/src/session/lab-session.svelte.ts';
import { FakeClassServer } from './fake-server.ts';

const T = '2026-11-27T10:00:00.000Z';
/** The server's answer to a progress report: the lesson's record as it now stands. */
const ok = (lessonId: string) => ({
  status: 200,
  body: { progress: { lessonId, completedAt: null, completedWithSolution: false, attempts: 0, hintsUsed: 0, updatedAt: '2026-11-27T10:00:00.000Z' } },
});

describe('progress from and to the class server', () => {
  it('reads the server records as course progress', () => {
    const progress = progressFromServer(
      [
        { lessonId: 'client-and-server', completedAt: T, completedWithSolution: false, attempts: 1, hintsUsed: 2, updatedAt: T },
        { lessonId: 'the-greeting', completedAt: null, completedWithSolution: false, attempts: 0, hintsUsed: 0, updatedAt: T },
        { lessonId: 'ehlo-and-helo', completedAt: T, completedWithSolution: true, attempts: 1, hintsUsed: 0, updatedAt: T },
      ],
      'the-greeting',
    );
    expect(progress.current).toBe('the-greeting');
    expect(progress.lessons['client-and-server']).toEqual({ startedAt: T, completedAt: T, hintsUsed: 2, solutionShown: false, completedWithSolution: false });
    expect(progress.lessons['the-greeting']?.completedAt).toBeNull();
    expect(progress.lessons['ehlo-and-helo']).toMatchObject({ completedAt: T, completedWithSolution: true });
  });

  it('reports only the lessons that changed, the current lesson last', () => {
    const fresh = { startedAt: T, completedAt: null, hintsUsed: 0, solutionShown: false, completedWithSolution: false };
    const saved: CourseProgress = { ...emptyProgress(), current: 'a', lessons: { a: fresh } };
    const next: CourseProgress = {
      ...saved,
      current: 'b',
      lessons: {
        b: fresh,
        a: { ...fresh, completedAt: T, hintsUsed: 1 },
      },
    };
    expect(reportsBetween(saved, next)).toEqual([
      { lessonId: 'a', report: { completed: true, withSolution: false, hintsUsed: 1 } },
      { lessonId: 'b', report: { completed: false, hintsUsed: 0 } },
    ]);
    expect(reportsBetween(next, next)).toEqual([]);
    // Showing the solution alone is not kept by the server: nothing to send.
    expect(reportsBetween(next, { ...next, lessons: { ...next.lessons, b: { ...fresh, solutionShown: true } } })).toEqual([]);
  });

  it('reports a completion with the solution, and its later turn into one of the learner\'s own', () => {
    const fresh = { startedAt: T, completedAt: null, hintsUsed: 0, solutionShown: true, completedWithSolution: false };
    const started: CourseProgress = { ...emptyProgress(), current: 'a', lessons: { a: fresh } };
    const withSolution: CourseProgress = { ...started, lessons: { a: { ...fresh, completedAt: T, completedWithSolution: true } } };
    expect(reportsBetween(started, withSolution)).toEqual([{ lessonId: 'a', report: { completed: true, withSolution: true, hintsUsed: 0 } }]);
    const own: CourseProgress = { ...started, lessons: { a: { ...fresh, completedAt: T, completedWithSolution: false } } };
    expect(reportsBetween(withSolution, own)).toEqual([{ lessonId: 'a', report: { completed: true, withSolution: false, hintsUsed: 0 } }]);
  });

  it('sends failed reports again with the next save, and takes a closed lesson as settled', async () => {
    let failing = true;
    const server = new FakeClassServer()
      .on('PUT /api/progress/a', () => (failing ? { status: 503, body: { error: { code: 'unavailable', message: 'Restarting.' } } } : ok('a')))
      .on('PUT /api/progress/b', { status: 409, body: { error: { code: 'lesson_closed', message: 'Your instructor has not opened this lesson yet.' } } });
    const store = new ServerProgressStore(new ClassroomApi(server.fetch), emptyProgress());
    const entry = { startedAt: T, completedAt: T, hintsUsed: 0, solutionShown: false, completedWithSolution: false };
    const first: CourseProgress = { ...emptyProgress(), current: 'a', lessons: { a: entry } };
    await expect(store.save(first)).rejects.toThrow('Restarting.');
    failing = false;
    const second: CourseProgress = { ...first, current: 'b', lessons: { ...first.lessons, b: { ...entry, completedAt: null } } };
    await store.save(second);
    expect(server.made('PUT /api/progress/a').map((request) => request.body)).toEqual([
      { completed: true, withSolution: false, hintsUsed: 0 },
      { completed: true, withSolution: false, hintsUsed: 0 },
    ]);
    await store.save(second);
    expect(server.made('PUT /api/progress/a')).toHaveLength(2);
    expect(server.made('PUT /api/progress/b')).toHaveLength(1);
    expect(store.failureMessage).toContain('class server');
  });
});

describe('CourseController in a class', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('opens only the lessons the instructor opened and reports the lesson opened to the server', async () => {
    const server = new FakeClassServer().on('PUT /api/progress/the-greeting', ok('the-greeting'));
    const session = new LabSession();
    const store = new ServerProgressStore(new ClassroomApi(server.fetch), progressFromServer([], 'ehlo-and-helo'));
    const course = new CourseController(loadCourse(), session, store);
    cleanups.push(() => (course.dispose(), session.dispose()));
    course.setOpenLessons(['the-greeting']);
    await course.start({ openCurrent: true });
    // The saved current lesson is closed: the first open one opens instead.
    expect(course.lesson?.id).toBe('the-greeting');
    expect(course.isOpen('client-and-server')).toBe(false);
    expect(course.nextLesson).toBeNull();
    course.open('client-and-server');
    expect(course.lesson?.id).toBe('the-greeting');
    expect(course.notice).toBe('Your instructor has not opened this lesson yet.');
    await vi.waitFor(() => expect(server.made('PUT /api/progress/the-greeting')).toHaveLength(1));
    course.setOpenLessons(null);
    expect(course.nextLesson?.id).toBe('ehlo-and-helo');
  });
});
