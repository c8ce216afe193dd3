import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import WatchPanel from '../../../web/src/instructor/WatchPanel.svelte';
import ProjectedTranscript from '../../../web/src/instructor/ProjectedTranscript.svelte';
import { WatchedSessions } from '../../../web/src/instructor/watched-sessions.ts';
import { entry } from './fixtures.ts';
import { ehlo, ehloReply, greeting, noop, noopReply, opened } from './wire-events.ts';

const lines = (log: HTMLElement) => [...log.querySelectorAll('[data-from]')].map((line) => `${line.getAttribute('data-from')}: ${line.textContent?.replace(/\s+/g, ' ').trim().slice(0, 24)}`);

describe('WatchedSessions', () => {
  it('builds the transcript from the snapshot, then follows the live messages', () => {
    const watched = new WatchedSessions('ana');
    watched.applySnapshot([{ sessionId: 's1', startedAt: '2026-11-27T10:00:00.000Z', events: [opened, greeting, ehlo, ehloReply], omittedEvents: 0 }]);
    const [first] = watched.list();
    expect(first?.view.summary.state).toMatch(/^identified/);
    expect(first?.view.transcript.map((item) => item.from)).toEqual(['connection', 'server', 'client', 'server']);

    expect(watched.applyMessage({ type: 'session.event', sessionId: 's1', event: noop })).toBe(true);
    expect(watched.applyMessage({ type: 'session.event', sessionId: 's1', event: noopReply })).toBe(true);
    expect(watched.list()[0]?.view.transcript.at(-1)?.text).toContain('250 2.0.0 OK');
    // A malformed event is not applied.
    expect(watched.applyMessage({ type: 'session.event', sessionId: 's1', event: { type: 'client.line' } })).toBe(false);

    watched.applyMessage({ type: 'session.closed', sessionId: 's1', reason: 'the learner closed it', by: 'client' });
    watched.applyMessage({ type: 'session.opened', sessionId: 's2', target: 'sandbox', label: 'Sandbox' });
    watched.applyMessage({ type: 'session.event', sessionId: 's2', event: opened });
    const list = watched.list();
    expect(list.map((session) => [session.sessionId, session.closed])).toEqual([
      ['s2', null],
      ['s1', 'the learner closed it'],
    ]);
    watched.dispose();
    expect(watched.list()).toEqual([]);
  });
});

describe('WatchPanel and the projection', () => {
  it("shows the student's newest session read-only, and projects it", async () => {
    const watched = new WatchedSessions('ana');
    watched.applySnapshot([{ sessionId: 's1', startedAt: '2026-11-27T10:00:00.000Z', events: [opened, greeting, ehlo, ehloReply], omittedEvents: 1234 }]);
    const onproject = vi.fn();
    const onclose = vi.fn();
    render(WatchPanel, { entry: entry('Ana'), sessions: watched.list(), onclose, onproject });
    expect(screen.getByRole('heading', { name: "Ana's console" })).toBeTruthy();
    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(lines(log)).toEqual(['connection: Connected to 127.0.0.1:2', 'server: 220 sandbox ESMTP', 'client: EHLO ana.example', 'server: 250-sandbox Hello', 'server: 250 8BITMIME']);
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(document.body.textContent).toContain('1,234 earlier events of this session are not shown');
    await fireEvent.click(screen.getByRole('button', { name: 'Project' }));
    expect(onproject).toHaveBeenCalledWith('s1');
    await fireEvent.click(screen.getByRole('button', { name: 'Stop watching' }));
    expect(onclose).toHaveBeenCalled();
  });

  it('says when the student has no live session', () => {
    render(WatchPanel, { entry: entry('Bo'), sessions: [], onclose: vi.fn(), onproject: vi.fn() });
    expect(document.body.textContent).toContain('Bo has no live SMTP session right now');
    expect(screen.getByRole('button', { name: 'Project' })).toHaveProperty('disabled', true);
  });

  it('projects full screen and leaves with Escape', async () => {
    const watched = new WatchedSessions('ana');
    watched.applySnapshot([{ sessionId: 's1', startedAt: '2026-11-27T10:00:00.000Z', events: [opened, greeting], omittedEvents: 0 }]);
    const onexit = vi.fn();
    render(ProjectedTranscript, { name: 'Ana', session: watched.list()[0]!, onexit });
    expect(screen.getByRole('dialog', { name: "Ana's console" })).toBeTruthy();
    expect(screen.getByRole('log', { name: 'Transcript' }).textContent).toContain('220 sandbox ESMTP');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Exit projection' }));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onexit).toHaveBeenCalled();
  });
});
