import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { LessonResult } from '../../../protocol/lessons/index.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import Hints from '../../../web/src/lessons/Hints.svelte';
import LessonList from '../../../web/src/lessons/LessonList.svelte';
import LessonView from '../../../web/src/lessons/LessonView.svelte';
import { renderInlineMarkdown } from '../../../web/src/lessons/markdown.ts';
import ObjectiveBar from '../../../web/src/lessons/ObjectiveBar.svelte';
import ProgressTools from '../../../web/src/lessons/ProgressTools.svelte';
import { parseProgress } from '../../../web/src/lessons/progress-schema.ts';
import { emptyProgress, progressToJson, type LessonStatus } from '../../../web/src/lessons/progress.ts';
import { restingLessonProps } from './resting-lesson-props.ts';

const { lessons } = loadCourse();
const [first, second, third] = lessons;
if (first === undefined || second === undefined || third === undefined) throw new Error('the course needs three lessons');

describe('the bundled course', () => {
  it('has every lesson folder, valid, in course order', () => {
    expect(loadCourse().problems).toEqual([]);
    expect(lessons.length).toBe(33);
    expect(lessons.map((lesson) => lesson.order)).toEqual([...lessons.map((lesson) => lesson.order)].sort((a, b) => a - b));
    expect(lessons.find((lesson) => lesson.id === 'envelope-and-headers')?.check).toBeTypeOf('function');
  });
});

describe('LessonList', () => {
  it('lists the lessons in order with their status in words, and opens one', async () => {
    const statuses: Record<string, LessonStatus> = { [first.id]: 'done', [second.id]: 'in-progress' };
    const onopen = vi.fn();
    render(LessonList, { lessons, statusOf: (id: string) => statuses[id] ?? 'not-started', current: second.id, onopen });
    const items = within(screen.getByRole('list', { name: 'Lessons' })).getAllByRole('button');
    expect(items).toHaveLength(lessons.length);
    expect(items[0]?.textContent).toContain(first.title);
    expect(items[0]?.textContent).toContain('Done');
    expect(items[1]?.textContent).toContain('In progress');
    expect(items[1]?.getAttribute('aria-current')).toBe('true');
    expect(items[2]?.textContent).toContain('Not started');
    expect(items[0]?.getAttribute('aria-current')).toBeNull();
    await fireEvent.click(items[2] as HTMLElement);
    expect(onopen).toHaveBeenCalledWith(third.id);
  });

  it('marks a lesson done with the solution apart from one done alone, in words and in the mark\'s shape', () => {
    const statuses: Record<string, LessonStatus> = { [first.id]: 'done', [second.id]: 'done-with-solution' };
    render(LessonList, { lessons, statusOf: (id: string) => statuses[id] ?? 'not-started', current: third.id, onopen: vi.fn() });
    const items = within(screen.getByRole('list', { name: 'Lessons' })).getAllByRole('button');
    const status = (item: HTMLElement | undefined) => item?.querySelector('.status')?.textContent;
    expect(status(items[0])).toBe('Done');
    expect(status(items[1])).toBe('Done with the solution');
    expect(items[1]?.getAttribute('data-status')).toBe('done-with-solution');
    // Both get the check; the ring differs (CSS by data-status). The mark itself is hidden from screen readers.
    expect(items[1]?.querySelector('.mark svg')).not.toBeNull();
    expect(items[1]?.querySelector('.mark')?.getAttribute('aria-hidden')).toBe('true');
  });
});

describe('LessonView "Show solution"', () => {
  const props = restingLessonProps(second, 2, lessons.length);

  it('asks first: Cancel plays nothing and gives focus back, Show plays it once', async () => {
    const onsolution = vi.fn();
    render(LessonView, { ...props, onsolution });
    const show = screen.getByRole('button', { name: 'Show solution' });
    await fireEvent.click(show);
    const ask = screen.getByRole('group', { name: /Show the solution\?/ });
    expect(ask.textContent).toContain('counts as completed with the solution');
    // Focus on Cancel, so a second Enter cannot play it by accident.
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(onsolution).not.toHaveBeenCalled();
    expect(screen.queryByRole('group', { name: /Show the solution\?/ })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Show solution' }));

    await fireEvent.click(screen.getByRole('button', { name: 'Show solution' }));
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(screen.queryByRole('group', { name: /Show the solution\?/ })).toBeNull();
    expect(onsolution).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole('button', { name: 'Show solution' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Show the solution' }));
    expect(onsolution).toHaveBeenCalledTimes(1);
  });

  it("tells a learner who did the lesson alone that their completion stays, and marks one with the solution", async () => {
    const view = render(LessonView, { ...props, completedAt: '2025-03-01T10:00:00.000Z', onsolution: vi.fn() });
    await fireEvent.click(screen.getByRole('button', { name: 'Show solution' }));
    expect(screen.getByRole('group', { name: /Show the solution\?/ }).textContent).toContain('You completed this lesson yourself, and that stays.');
    view.unmount();
    render(LessonView, { ...props, completedAt: '2025-03-01T10:00:00.000Z', withSolution: true, passed: true, onsolution: vi.fn() });
    expect(document.querySelector('.kicker')?.textContent).toMatch(/completed .+ with the solution/);
    expect(document.body.textContent).toContain('Goal met with the solution. Start over and type it yourself to count it as your own.');
  });
});

describe('ProgressTools import', () => {
  const known = new Set(lessons.map((lesson) => lesson.id));

  async function importFile(text: string, name = 'progress.json'): Promise<string> {
    const input = screen.getByLabelText('Progress file to import') as HTMLInputElement;
    Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name, { type: 'application/json' })] });
    await fireEvent.change(input);
    await vi.waitFor(() => expect(document.querySelector('.message')).not.toBeNull());
    return document.querySelector('.message')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  it.each([
    ['a file that is not progress', 'my holiday photos', 'This file is not an SMTP Lab progress file.'],
    ['a newer version', JSON.stringify({ ...emptyProgress(), version: 9 }), 'This file was made by a newer version of SMTP Lab. Update SMTP Lab, then import it again.'],
  ])('refuses %s in plain words, as an alert', async (_what, text, message) => {
    render(ProgressTools, { onexport: vi.fn(), onimport: (content: string) => Promise.resolve(parseProgress(content, known)) });
    expect(await importFile(text)).toBe(message);
    expect(screen.getByRole('alert').textContent).toContain(message);
  });

  it('imports and names the lessons it skipped', async () => {
    render(ProgressTools, { onexport: vi.fn(), onimport: (content: string) => Promise.resolve(parseProgress(content, known)) });
    const entry = { startedAt: '2025-01-01T00:00:00.000Z', completedAt: null, hintsUsed: 0, solutionShown: false, completedWithSolution: false };
    const text = progressToJson({ ...emptyProgress(), lessons: { [first.id]: entry, 'x-files': entry } });
    expect(await importFile(text, 'mine.json')).toBe("Imported your progress from mine.json. Lesson 'x-files' is unknown and was skipped.");
    expect(screen.getByRole('status')).toBeTruthy();
  });
});

describe('Hints', () => {
  it('reveals the hints one at a time and says how many are left', async () => {
    const onreveal = vi.fn();
    // The app gets its hints as HTML, rendered from the lessons' markdown at build time.
    const hints = ['Gentle.', 'Clearer: use `NOOP`.', 'Type `NOOP`, then `QUIT`.'].map(renderInlineMarkdown);
    const view = render(Hints, { hints, shown: 0, onreveal });
    expect(screen.queryByText('Gentle.')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Show a hint (3 left)' }));
    expect(onreveal).toHaveBeenCalledTimes(1);
    await view.rerender({ hints, shown: 2, onreveal });
    const list = screen.getByRole('list', { name: 'Hints' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Hint 1 of 3 Gentle.',
      'Hint 2 of 3 Clearer: use NOOP.',
    ]);
    expect(list.querySelector('code')?.textContent).toBe('NOOP');
    expect(screen.getByRole('button', { name: 'Show the next hint (1 left)' })).toBeTruthy();
    await view.rerender({ hints, shown: 3, onreveal });
    expect(screen.queryByRole('button', { name: /hint/ })).toBeNull();
  });
});

const NOT_YET: LessonResult = {
  passed: false,
  conditions: [
    {
      passed: false,
      label: 'In this order: the server answers NOOP with 250, then the server answers QUIT with 221',
      message: 'Not yet: the server has not answered QUIT with 221 yet.',
      children: [
        { passed: true, label: 'The server answers NOOP with 250', message: 'The server answers NOOP with 250', children: [] },
        { passed: false, label: 'The server answers QUIT with 221', message: 'Not yet: …', children: [] },
      ],
    },
  ],
  nextStep: 'Not yet: the server has not answered QUIT with 221 yet.',
};

describe('ObjectiveBar', () => {
  const base = { lesson: first, position: 1, next: second, playing: false, step: null, onstop: () => undefined };

  it('keeps the objective and the next step in view while the goal is not met', () => {
    render(ObjectiveBar, { ...base, result: NOT_YET, passed: false, onnext: () => undefined });
    const bar = screen.getByRole('region', { name: 'Lesson objective' });
    expect(bar.textContent).toContain(first.objective);
    expect(bar.textContent).toContain('Not yet: the server has not answered QUIT with 221 yet.');
    expect(bar.textContent).toContain('(1 of 2 done)');
    expect(within(bar).queryByRole('button', { name: /Next lesson/ })).toBeNull();
  });

  it('shows what was learned and the next lesson on success', async () => {
    const onnext = vi.fn();
    render(ObjectiveBar, { ...base, result: { passed: true, conditions: [], nextStep: null }, passed: true, onnext });
    const success = screen.getByRole('group', { name: 'Lesson complete' });
    expect(success.textContent).toContain('Lesson complete');
    expect(success.textContent).toContain(first.learned);
    await fireEvent.click(within(success).getByRole('button', { name: /Next lesson/ }));
    expect(onnext).toHaveBeenCalledTimes(1);
  });

  it('says when the lesson was completed with the solution, and how to make it their own', () => {
    render(ObjectiveBar, { ...base, result: { passed: true, conditions: [], nextStep: null }, passed: true, withSolution: true, onnext: () => undefined });
    const success = screen.getByRole('group', { name: 'Lesson complete' });
    expect(success.textContent).toContain('Lesson complete with the solution.');
    expect(success.textContent).toContain('Start over and type it yourself to count it as your own.');
    expect(success.textContent).not.toContain('Well done');
  });

  it('says the course is finished after the last lesson', () => {
    render(ObjectiveBar, { ...base, next: null, result: { passed: true, conditions: [], nextStep: null }, passed: true, onnext: () => undefined });
    expect(screen.getByRole('group', { name: 'Lesson complete' }).textContent).toContain('You finished the course.');
    expect(screen.queryByRole('button', { name: /Next lesson/ })).toBeNull();
  });
});
