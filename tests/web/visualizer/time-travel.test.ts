/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import TimeTravel from '../../../web/src/visualizer/TimeTravel.svelte';
import { completedConversation } from './conversation.ts';

function setup(position: number | null) {
  const length = completedConversation().transcript.length;
  const props = { length, position, onchange: vi.fn(), onexport: vi.fn(), onsharelink: vi.fn() };
  render(TimeTravel, props);
  return { ...props, length };
}

describe('TimeTravel', () => {
  it('follows the newest line (Latest): only stepping back is possible', async () => {
    const { onchange, length } = setup(null);
    expect((screen.getByRole('button', { name: 'Step forward' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Latest' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('slider', { name: 'Position in the transcript' }).getAttribute('aria-valuetext')).toBe(`Latest: all ${length} lines`);
    await fireEvent.click(screen.getByRole('button', { name: 'Step back' }));
    expect(onchange).toHaveBeenLastCalledWith(length - 1);
  });

  it('moves with the slider and returns to the latest line at its end', async () => {
    const { onchange, length } = setup(3);
    const slider = screen.getByRole('slider', { name: 'Position in the transcript' }) as HTMLInputElement;
    expect(slider.value).toBe('3');
    expect(slider.getAttribute('aria-valuetext')).toBe(`After line 3 of ${length}`);
    await fireEvent.input(slider, { target: { value: '7' } });
    expect(onchange).toHaveBeenLastCalledWith(7);
    await fireEvent.input(slider, { target: { value: String(length) } });
    expect(onchange).toHaveBeenLastCalledWith(null);
  });

  it('is usable from the keyboard: native controls in tab order', async () => {
    const { onchange, onexport, onsharelink } = setup(3);
    const controls = screen.getByRole('group', { name: 'Time travel' }).querySelectorAll<HTMLElement>('button, input');
    for (const control of controls) expect(control.tabIndex).toBe(0);
    await fireEvent.click(screen.getByRole('button', { name: 'Step forward' }));
    expect(onchange).toHaveBeenLastCalledWith(4);
    await fireEvent.click(screen.getByRole('button', { name: 'Latest' }));
    expect(onchange).toHaveBeenLastCalledWith(null);
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Copy replay link' }));
    expect(onexport).toHaveBeenCalledOnce();
    expect(onsharelink).toHaveBeenCalledOnce();
  });
});
