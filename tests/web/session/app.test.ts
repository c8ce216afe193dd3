import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import App from '../../../web/src/App.svelte';

// Monaco needs a real browser; the plain console stands in for it here (the e2e tests use Monaco).
vi.mock('../../../web/src/console/monaco-console.ts', () => ({
  createConsoleEditor: () => {
    throw new Error('no Monaco in jsdom');
  },
}));

beforeAll(() => {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

async function type(line: string): Promise<void> {
  const input = screen.getByRole('textbox', { name: 'SMTP console' });
  await fireEvent.input(input, { target: { value: line } });
  await fireEvent.keyDown(input, { key: 'Enter' });
}

describe('App shell', () => {
  it('honours the accessibility contract and talks to the simulated server', async () => {
    render(App);
    expect(screen.getByRole('radio', { name: 'Simulated' })).toHaveProperty('checked', true);
    expect(screen.getByRole('radio', { name: 'Live' })).toHaveProperty('checked', false);
    const status = screen.getByRole('status', { name: 'Session state' });
    const log = screen.getByRole('log', { name: 'Transcript' });
    await vi.waitFor(() => expect(status.textContent).toContain('Greeted'));
    expect(log.querySelector('[data-from="server"]')?.textContent).toContain('220 sandbox.smtp-lab.test ESMTP');

    await type('EHLO client.example.com');
    await vi.waitFor(() => expect(status.textContent).toContain('Identified'));
    const clientLines = [...log.querySelectorAll('[data-from="client"]')].map((line) => line.textContent ?? '');
    expect(clientLines.some((text) => text.includes('EHLO client.example.com'))).toBe(true);

    await type('RCPT TO:<b@example.org>');
    await vi.waitFor(() => expect(log.textContent).toContain('503'));
    expect(status.textContent).toContain('Identified');
  });

  it('shows the statechart and the details as tabs on a laptop screen', async () => {
    render(App);
    const tabs = within(screen.getByRole('tablist', { name: 'Details' })).getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent?.trim())).toEqual(['Statechart', 'Explanation', 'Envelope', 'Mailbox', 'DNS', 'Trail']);
    await fireEvent.click(screen.getByRole('tab', { name: 'Mailbox' }));
    expect(screen.getByRole('tab', { name: 'Mailbox' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'Mailbox' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'DNS' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'DNS' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Trail' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'Trail' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Statechart' }).getAttribute('aria-selected')).toBe('true');
  });

  it('starts a new session when asked', async () => {
    render(App);
    const status = screen.getByRole('status', { name: 'Session state' });
    await vi.waitFor(() => expect(status.textContent).toContain('Greeted'));
    await type('QUIT');
    await vi.waitFor(() => expect(status.textContent).toContain('closed'));
    const notice = await vi.waitFor(() => screen.getByRole('group', { name: 'Connection closed' }));
    await fireEvent.click(within(notice).getByRole('button', { name: 'New session' }));
    await vi.waitFor(() => expect(status.textContent).toContain('Greeted'));
    expect(screen.queryByRole('group', { name: 'Connection closed' })).toBeNull();
  });

  it('holds a line typed after the close and sends it in a new session when the learner says so', async () => {
    render(App);
    const status = screen.getByRole('status', { name: 'Session state' });
    await vi.waitFor(() => expect(status.textContent).toContain('Greeted'));
    await type('QUIT');
    const notice = await vi.waitFor(() => screen.getByRole('group', { name: 'Connection closed' }));
    expect(notice.textContent).not.toMatch(/try again/i);
    await type('EHLO again.example.com');
    await vi.waitFor(() => expect(notice.textContent).toContain('EHLO again.example.com'));
    await fireEvent.click(within(notice).getByRole('button', { name: 'New session and send' }));
    await vi.waitFor(() => expect(status.textContent).toContain('Identified'));
    const clientLines = screen.getByRole('log', { name: 'Transcript' }).querySelectorAll('[data-from="client"]');
    expect([...clientLines].map((line) => line.textContent)).toEqual(['EHLO again.example.com']);
  });
});
