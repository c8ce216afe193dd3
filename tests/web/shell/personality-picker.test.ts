import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { PERSONALITY_NAMES } from '../../../protocol/simulator/personalities/index.ts';
import ConnectionStatus from '../../../web/src/shell/ConnectionStatus.svelte';
import PersonalityPicker from '../../../web/src/shell/PersonalityPicker.svelte';

describe('PersonalityPicker', () => {
  it('offers every personality by its label, says how sure we are of the chosen one, and reports a pick', async () => {
    const onpick = vi.fn();
    const { rerender } = render(PersonalityPicker, { personality: 'smtp-server', fromLesson: false, onpick });
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Simulated server answers like' });
    expect([...select.options].map((option) => option.value)).toEqual([...PERSONALITY_NAMES]);
    expect([...select.options].map((option) => option.textContent)).toContain('Postfix 3.7');
    expect(select.value).toBe('smtp-server');
    expect(select.disabled).toBe(false);
    const evidence = document.getElementById(select.getAttribute('aria-describedby') ?? '');
    expect(evidence?.textContent?.trim()).toBe('verified against smtp-server 3.21');

    await fireEvent.change(select, { target: { value: 'postfix' } });
    expect(onpick).toHaveBeenCalledWith('postfix');

    await rerender({ personality: 'postfix', fromLesson: false, onpick });
    expect(select.value).toBe('postfix');
    expect(evidence?.textContent?.trim()).toBe('verified against Postfix 3.7');
  });

  it("shows the lesson's server and cannot be changed while the lesson picks it", () => {
    render(PersonalityPicker, { personality: 'postfix', fromLesson: true, onpick: vi.fn() });
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Simulated server answers like' });
    expect(select.value).toBe('postfix');
    expect(select.disabled).toBe(true);
    expect(document.getElementById('personality-evidence')?.textContent).toContain("this lesson's server");
  });
});

describe('ConnectionStatus', () => {
  it('names the personality in simulated mode only', async () => {
    const open = { status: 'open', message: 'Connected' } as const;
    const { rerender } = render(ConnectionStatus, { state: open, mode: 'simulated', personality: 'postfix' });
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toContain('Simulator (Postfix 3.7):');
    await rerender({ state: open, mode: 'live', personality: 'postfix' });
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).not.toContain('Postfix');
  });
});
