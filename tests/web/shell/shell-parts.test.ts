import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import Notice from '../../../web/src/shell/Notice.svelte';
import { PageMedia } from '../../../web/src/shell/page-media.svelte.ts';
import TabList from '../../../web/src/shell/TabList.svelte';

const PANELS = [
  { id: 'course', label: 'Course', controls: 'course-panel' },
  { id: 'conversation', label: 'Conversation', controls: 'conversation-main' },
  { id: 'details', label: 'Details', controls: 'side-panel', badge: 2 },
];

describe('TabList', () => {
  it('moves the selection and the focus with the arrow keys, Home and End, and names each tab’s panel', async () => {
    render(TabList, { tabs: PANELS, label: 'Panels', selected: 'course', look: 'spread' });
    const list = screen.getByRole('tablist', { name: 'Panels' });
    expect(list.dataset.look).toBe('spread');
    const tab = (name: RegExp) => screen.getByRole('tab', { name });
    expect(tab(/^Course/).getAttribute('aria-controls')).toBe('course-panel');
    expect(tab(/^Details/).textContent?.replace(/\s+/g, ' ').trim()).toBe('Details 2');
    expect([...list.querySelectorAll('[role="tab"]')].map((button) => button.getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);

    await fireEvent.keyDown(tab(/^Course/), { key: 'ArrowRight' });
    expect(tab(/^Conversation/).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab(/^Conversation/));
    await fireEvent.keyDown(tab(/^Conversation/), { key: 'End' });
    expect(tab(/^Details/).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(tab(/^Details/), { key: 'ArrowRight' });
    expect(tab(/^Course/).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(tab(/^Course/), { key: 'a' });
    expect(tab(/^Course/).getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(tab(/^Details/));
    expect(tab(/^Details/).getAttribute('aria-selected')).toBe('true');
    expect(tab(/^Course/).getAttribute('aria-selected')).toBe('false');
  });

  it('gives a tab an id only when its panel is labelled by it', () => {
    render(TabList, { tabs: [{ id: 'a', label: 'A', controls: 'panel-a', buttonId: 'tab-a' }, { id: 'b', label: 'B', controls: 'panel-b' }], label: 'Two', selected: 'a' });
    expect(screen.getByRole('tab', { name: 'A' }).id).toBe('tab-a');
    expect(screen.getByRole('tab', { name: 'B' }).hasAttribute('id')).toBe(false);
  });
});

describe('Notice', () => {
  const text = (words: string) => createRawSnippet(() => ({ render: () => `<span>${words}</span>` }));

  it('tints the box by its kind and passes on the role', () => {
    render(Notice, { kind: 'error', role: 'alert', children: text('The class server is not answering.') });
    const notice = screen.getByRole('alert');
    expect(notice.textContent).toBe('The class server is not answering.');
    expect(notice.dataset.kind).toBe('error');
    expect(notice.style.getPropertyValue('--tint')).toBe('var(--color-danger)');
    expect(notice.style.getPropertyValue('--tint-soft')).toBe('var(--color-danger-soft)');
  });

  it('has no role unless given one', () => {
    const { container } = render(Notice, { kind: 'warning', children: text('Too many requests: wait a minute.') });
    const notice = container.querySelector('p');
    expect(notice?.hasAttribute('role')).toBe(false);
    expect(notice?.style.getPropertyValue('--tint')).toBe('var(--color-warning)');
  });
});

/** A window whose width and colour scheme the test sets; its media queries answer like a browser's. */
class TestWindow {
  width = 1440;
  dark = false;
  readonly #lists: { query: string; listeners: Set<(event: MediaQueryListEvent) => void> }[] = [];

  matchMedia = (query: string): MediaQueryList => {
    const listeners = new Set<(event: MediaQueryListEvent) => void>();
    this.#lists.push({ query, listeners });
    const answer = (): boolean => this.#answer(query);
    return {
      media: query,
      get matches() {
        return answer();
      },
      addEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => listeners.add(listener),
      removeEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => listeners.delete(listener),
    } as unknown as MediaQueryList;
  };

  /** Changes the window and tells every query whose answer changed, as a browser does. */
  change(next: { width?: number; dark?: boolean }): void {
    const before = this.#lists.map(({ query }) => this.#answer(query));
    this.width = next.width ?? this.width;
    this.dark = next.dark ?? this.dark;
    this.#lists.forEach(({ query, listeners }, index) => {
      const matches = this.#answer(query);
      if (matches !== before[index]) for (const listener of listeners) listener({ matches, media: query } as MediaQueryListEvent);
    });
  }

  listenerCount(): number {
    return this.#lists.reduce((sum, list) => sum + list.listeners.size, 0);
  }

  #answer(query: string): boolean {
    if (query === '(prefers-color-scheme: dark)') return this.dark;
    const min = /min-width: ([\d.]+)px/.exec(query);
    const max = /max-width: ([\d.]+)px/.exec(query);
    return (min === null || this.width >= Number(min[1])) && (max === null || this.width <= Number(max[1]));
  }
}

describe('PageMedia', () => {
  it('follows the layout, a very wide screen and the colour scheme until stopped', () => {
    const win = new TestWindow();
    const media = new PageMedia();
    const stop = media.watch(win);
    expect([media.layout, media.veryWide, media.dark]).toEqual(['wide', false, false]);
    win.change({ width: 1920, dark: true });
    expect([media.layout, media.veryWide, media.dark]).toEqual(['wide', true, true]);
    win.change({ width: 1024 });
    expect([media.layout, media.veryWide]).toEqual(['medium', false]);
    win.change({ width: 390 });
    expect(media.layout).toBe('narrow');
    stop();
    expect(win.listenerCount()).toBe(0);
    win.change({ width: 1440, dark: false });
    expect([media.layout, media.dark]).toEqual(['narrow', true]);
  });
});
