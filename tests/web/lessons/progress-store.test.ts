import { describe, expect, it } from 'vitest';
import { parseProgress } from '../../../web/src/lessons/progress-schema.ts';
import { emptyProgress, lessonStatus, progressToJson, updateLesson } from '../../../web/src/lessons/progress.ts';
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
    expect(progress.lessons['the-greeting']).toEqual({ startedAt: AT.toISOString(), completedAt: null, hintsUsed: 0, solutionShown: false });
  });

  it('survives an export and import round trip unchanged', () => {
    const progress = someProgress();
    const parsed = parseProgress(progressToJson(progress));
    expect(parsed).toEqual({ ok: true, progress });
  });

  it('refuses a file that is not JSON, with a clear message', () => {
    expect(parseProgress('{"format": "smtp-lab-progress",')).toEqual({ ok: false, error: 'This file is not a progress file: it is not JSON.' });
  });

  it('refuses JSON of the wrong shape and says where', () => {
    const bad = JSON.parse(progressToJson(someProgress())) as { lessons: Record<string, { hintsUsed: unknown }> };
    const entry = bad.lessons['client-and-server'];
    if (entry === undefined) throw new Error('fixture lost its lesson');
    entry.hintsUsed = -1;
    const parsed = parseProgress(JSON.stringify(bad));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(/^This file is not SMTP Lab progress \(at lessons\.client-and-server\.hintsUsed\): /);
    const other = parseProgress(JSON.stringify({ name: 'a shopping list' }));
    expect(other.ok ? '' : other.error).toMatch(/^This file is not SMTP Lab progress/);
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
});
