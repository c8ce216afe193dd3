import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { LessonResult } from '../../../protocol/lessons/index.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import Hints from '../../../web/src/lessons/Hints.svelte';
import LessonList from '../../../web/src/lessons/LessonList.svelte';
import { renderInlineMarkdown } from '../../../web/src/lessons/markdown.ts';
import ObjectiveBar from '../../../web/src/lessons/ObjectiveBar.svelte';
import type { LessonStatus } from '../../../web/src/lessons/progress.ts';

const { lessons } = loadCourse();
const [first, second, third] = lessons;
if (first === undefined || second === undefined || third === undefined) throw new Error('the course needs three lessons');

describe('the bundled course', () => {
  it('has every lesson folder, valid, in course order', () => {
    expect(loadCourse().problems).toEqual([]);
    expect(lessons.length).toBe(21);
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

  it('says the course is finished after the last lesson', () => {
    render(ObjectiveBar, { ...base, next: null, result: { passed: true, conditions: [], nextStep: null }, passed: true, onnext: () => undefined });
    expect(screen.getByRole('group', { name: 'Lesson complete' }).textContent).toContain('You finished the course.');
    expect(screen.queryByRole('button', { name: /Next lesson/ })).toBeNull();
  });
});
