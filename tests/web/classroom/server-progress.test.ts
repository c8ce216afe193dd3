import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { progressFromServer, reportsBetween, ServerProgressStore } from '../../../web/src/classroom/server-progress-store.ts';
import { CourseController } from '../../../web/src/lessons/course-controller.svelte.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import { emptyProgress, type CourseProgress } from '../../../web/src/lessons/progress.ts';
import { LabSession } from '../../../web/src/lib/session/lab-session.svelte.ts';
import { FakeClassServer } from './fake-server.ts';

const T = '2026-11-27T10:00:00.000Z';
const ok = (body: unknown = { progress: {} }) => ({ status: 200, body });

describe('progress from and to the class server', () => {
  it('reads the server records as course progress', () => {
    const progress = progressFromServer(
      [
        { lessonId: 'client-and-server', completedAt: T, attempts: 1, hintsUsed: 2, updatedAt: T },
        { lessonId: 'the-greeting', completedAt: null, attempts: 0, hintsUsed: 0, updatedAt: T },
      ],
      'the-greeting',
    );
    expect(progress.current).toBe('the-greeting');
    expect(progress.lessons['client-and-server']).toEqual({ startedAt: T, completedAt: T, hintsUsed: 2, solutionShown: false });
    expect(progress.lessons['the-greeting']?.completedAt).toBeNull();
  });

  it('reports only the lessons that changed, the current lesson last', () => {
    const saved: CourseProgress = { ...emptyProgress(), current: 'a', lessons: { a: { startedAt: T, completedAt: null, hintsUsed: 0, solutionShown: false } } };
    const next: CourseProgress = {
      ...saved,
      current: 'b',
      lessons: {
        b: { startedAt: T, completedAt: null, hintsUsed: 0, solutionShown: false },
        a: { startedAt: T, completedAt: T, hintsUsed: 1, solutionShown: false },
      },
    };
    expect(reportsBetween(saved, next)).toEqual([
      { lessonId: 'a', report: { completed: true, hintsUsed: 1 } },
      { lessonId: 'b', report: { completed: false, hintsUsed: 0 } },
    ]);
    expect(reportsBetween(next, next)).toEqual([]);
    // Showing the solution alone is not kept by the server: nothing to send.
    expect(reportsBetween(next, { ...next, lessons: { ...next.lessons, b: { startedAt: T, completedAt: null, hintsUsed: 0, solutionShown: true } } })).toEqual([]);
  });

  it('sends failed reports again with the next save, and takes a closed lesson as settled', async () => {
    let failing = true;
    const server = new FakeClassServer()
      .on('PUT /api/progress/a', () => (failing ? { status: 503, body: { error: { code: 'unavailable', message: 'Restarting.' } } } : ok()))
      .on('PUT /api/progress/b', { status: 409, body: { error: { code: 'lesson_closed', message: 'Your instructor has not opened this lesson yet.' } } });
    const store = new ServerProgressStore(new ClassroomApi(server.fetch), emptyProgress());
    const entry = { startedAt: T, completedAt: T, hintsUsed: 0, solutionShown: false };
    const first: CourseProgress = { ...emptyProgress(), current: 'a', lessons: { a: entry } };
    await expect(store.save(first)).rejects.toThrow('Restarting.');
    failing = false;
    const second: CourseProgress = { ...first, current: 'b', lessons: { ...first.lessons, b: { ...entry, completedAt: null } } };
    await store.save(second);
    expect(server.made('PUT /api/progress/a').map((request) => request.body)).toEqual([
      { completed: true, hintsUsed: 0 },
      { completed: true, hintsUsed: 0 },
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
    const server = new FakeClassServer().on('PUT /api/progress/the-greeting', ok());
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
