import { describe, expect, it } from 'vitest';
import { parseProgress } from '../../../web/src/lessons/progress-schema.ts';
import { emptyProgress, lessonStatus, markCompleted, progressToJson, updateLesson, type CourseProgress } from '../../../web/src/lessons/progress.ts';
import { LocalProgressStore, PROGRESS_STORAGE_KEY } from '../../../web/src/lessons/progress-store.ts';

const AT = new Date('2025-03-01T10:00:00.000Z');

function someProgress() {
  let progress = updateLesson(emptyProgress(), 'client-and-server', (entry) => ({ ...entry, completedAt: '2025-03-01T10:05:00.000Z', hintsUsed: 2 }), AT);
  progress = updateLesson(progress, 'the-greeting', (entry) => entry, AT);
  return { ...progress, current: 'the-greeting' };
}

describe('progress', () => {
  it('knows done, in progress and not started', () => {
    const progress = someProgress();
    expect(lessonStatus(progress, 'client-and-server')).toBe('done');
    expect(lessonStatus(progress, 'the-greeting')).toBe('in-progress');
    expect(lessonStatus(progress, 'ehlo-and-helo')).toBe('not-started');
    expect(progress.lessons['the-greeting']).toEqual({ startedAt: AT.toISOString(), completedAt: null, hintsUsed: 0, solutionShown: false, completedWithSolution: false });
  });

  it('keeps "completed with the solution" apart, until a completion of the learner\'s own', () => {
    const first = updateLesson(emptyProgress(), 'the-greeting', (entry) => markCompleted(entry, '2025-03-01T10:05:00.000Z', true), AT);
    expect(lessonStatus(first, 'the-greeting')).toBe('done-with-solution');
    // Typing it again after another look at the solution changes nothing.
    const again = updateLesson(first, 'the-greeting', (entry) => markCompleted(entry, '2025-03-01T10:09:00.000Z', true), AT);
    expect(again.lessons['the-greeting']).toMatchObject({ completedAt: '2025-03-01T10:05:00.000Z', completedWithSolution: true });
    const own = updateLesson(again, 'the-greeting', (entry) => markCompleted(entry, '2025-03-01T10:20:00.000Z', false), AT);
    expect(lessonStatus(own, 'the-greeting')).toBe('done');
    expect(own.lessons['the-greeting']?.completedAt).toBe('2025-03-01T10:05:00.000Z');
    // Watching the solution afterwards does not take the learner's own completion back.
    const later = updateLesson(own, 'the-greeting', (entry) => markCompleted(entry, '2025-03-01T10:30:00.000Z', true), AT);
    expect(lessonStatus(later, 'the-greeting')).toBe('done');
  });

  it('survives an export and import round trip unchanged', () => {
    const progress = updateLesson(someProgress(), 'ehlo-and-helo', (entry) => markCompleted({ ...entry, solutionShown: true }, AT.toISOString(), true), AT);
    const parsed = parseProgress(progressToJson(progress));
    expect(parsed).toEqual({ ok: true, progress, notes: [] });
  });

  it('reads a version 1 file (before "with the solution") as completions of the learner\'s own', () => {
    const v1 = {
      format: 'smtp-lab-progress',
      version: 1,
      current: 'the-greeting',
      lessons: { 'client-and-server': { startedAt: AT.toISOString(), completedAt: AT.toISOString(), hintsUsed: 0, solutionShown: true } },
    };
    const parsed = parseProgress(JSON.stringify(v1));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.progress.version).toBe(2);
    expect(parsed.progress.lessons['client-and-server']).toMatchObject({ completedWithSolution: false, solutionShown: true });
    expect(lessonStatus(parsed.progress, 'client-and-server')).toBe('done');
  });

  it.each([
    ['text that is not JSON', '{"format": "smtp-lab-progress",'],
    ['JSON of something else', JSON.stringify({ name: 'a shopping list' })],
    ['a version that is not a number', JSON.stringify({ format: 'smtp-lab-progress', version: 'one', lessons: {} })],
    ['a file far too big to be progress', `"${'x'.repeat(1_000_001)}"`],
  ])('refuses %s as "not an SMTP Lab progress file"', (_what, text) => {
    expect(parseProgress(text)).toEqual({ ok: false, error: 'This file is not an SMTP Lab progress file.' });
  });

  it('says when a file comes from a newer version, or its list of lessons is unreadable', () => {
    expect(parseProgress(JSON.stringify({ ...emptyProgress(), version: 3 }))).toEqual({
      ok: false,
      error: 'This file was made by a newer version of SMTP Lab. Update SMTP Lab, then import it again.',
    });
    expect(parseProgress(JSON.stringify({ ...emptyProgress(), lessons: 'all of them' }))).toEqual({
      ok: false,
      error: 'This SMTP Lab progress file is damaged: its list of lessons cannot be read.',
    });
  });

  it('skips unknown lessons and damaged records, naming them in plain words, and keeps the rest', () => {
    const file = JSON.parse(progressToJson(someProgress())) as { current: string; lessons: Record<string, unknown> };
    file.lessons['lesson-from-elsewhere'] = file.lessons['client-and-server'];
    file.lessons['the-greeting'] = { startedAt: 'yesterday', completedAt: null, hintsUsed: -1, solutionShown: false };
    const known = new Set(['client-and-server', 'the-greeting', 'ehlo-and-helo']);
    const parsed = parseProgress(JSON.stringify(file), known);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.notes).toEqual([
      "Lesson 'lesson-from-elsewhere' is unknown and was skipped.",
      "Lesson 'the-greeting' is damaged in this file and was skipped.",
    ]);
    expect(Object.keys(parsed.progress.lessons)).toEqual(['client-and-server']);
    expect(parsed.progress.current).toBe('the-greeting');
    const many: CourseProgress = { ...emptyProgress(), lessons: {} };
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) many.lessons[id] = someProgress().lessons['the-greeting']!;
    const skipped = parseProgress(JSON.stringify({ ...many, current: 'a' }), known);
    expect(skipped.ok && skipped.notes).toEqual(["Lessons 'a', 'b', 'c', 'd', 'e' and 2 more are unknown and were skipped."]);
    expect(skipped.ok && skipped.progress.current).toBeNull();
  });
});

describe('LocalProgressStore', () => {
  it('saves and loads the progress', async () => {
    localStorage.clear();
    const store = new LocalProgressStore(localStorage);
    expect(await store.load()).toEqual(emptyProgress());
    await store.save(someProgress());
    expect(await new LocalProgressStore(localStorage).load()).toEqual(someProgress());
  });

  it('starts afresh when the stored text is damaged', async () => {
    localStorage.setItem(PROGRESS_STORAGE_KEY, '{"format":"smtp-lab-progress","version":7}');
    expect(await new LocalProgressStore(localStorage).load()).toEqual(emptyProgress());
  });

  it('loads what an earlier version saved (no "with the solution" flag)', async () => {
    const done = { startedAt: AT.toISOString(), completedAt: AT.toISOString(), hintsUsed: 1, solutionShown: false };
    localStorage.setItem(PROGRESS_STORAGE_KEY, JSON.stringify({ format: 'smtp-lab-progress', version: 1, current: 'client-and-server', lessons: { 'client-and-server': done } }));
    const loaded = await new LocalProgressStore(localStorage).load();
    expect(loaded.current).toBe('client-and-server');
    expect(loaded.lessons['client-and-server']).toEqual({ ...done, completedWithSolution: false });
  });
});
