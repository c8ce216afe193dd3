/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ExplanationPanel from '../../../web/src/visualizer/ExplanationPanel.svelte';
import StateBadge from '../../../web/src/visualizer/StateBadge.svelte';
import { completedConversation } from './conversation.ts';

describe('StateBadge', () => {
  it('is a status named Session state whose text is the label', () => {
    const { summary } = completedConversation();
    render(StateBadge, { label: summary.label });
    expect(screen.getByRole('status', { name: 'Session state' }).textContent?.trim()).toBe('Identified: ready for a mail transaction');
  });
});

describe('StateBadge markdown', () => {
  it('renders `code` and **bold** as elements, and markup as text', () => {
    render(StateBadge, { label: 'Writing the message: end it with a line holding only `.` **now** <b>x</b>' });
    const badge = screen.getByRole('status', { name: 'Session state' });
    expect(badge.querySelector('code')?.textContent).toBe('.');
    expect(badge.querySelector('strong')?.textContent).toBe('now');
    expect(badge.querySelector('b')).toBeNull();
    expect(badge.textContent).toContain('<b>x</b>');
    expect(badge.textContent).not.toContain('`');
  });
});

describe('ExplanationPanel', () => {
  it('explains a reply with its code class, enhanced code and RFC link', () => {
    const { transcript } = completedConversation();
    const reply = transcript.find((entry) => entry.reply?.enhanced?.text === '2.1.5');
    render(ExplanationPanel, { entry: reply ?? null, personality: 'smtp-server' });
    expect(screen.getByText('Server → client')).toBeTruthy();
    expect(screen.getByText(/Success: the command was carried out/)).toBeTruthy();
    expect(screen.getByText('2.1.5')).toBeTruthy();
    expect(screen.getByText('2.1.5').closest('.row')?.textContent).toMatch(/Destination address valid/i);
    const link = screen.getByRole('link', { name: /RFC 5321 §4\.2\.\d/ });
    expect(link.getAttribute('href')).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc5321#section-4\.2\.\d$/);
  });

  it('explains a command with its reference and notes', () => {
    const { transcript } = completedConversation();
    const stuffed = transcript.find((entry) => entry.text.startsWith('..'));
    render(ExplanationPanel, { entry: stuffed ?? null, personality: 'smtp-server' });
    expect(screen.getByText(/Dot-stuffed. RFC 5321 §4.5.2: the server removes the first dot, storing `.the line above/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'RFC 5321 §4.5.2' }).getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2');
  });

  it('invites a selection when nothing is selected', () => {
    render(ExplanationPanel, { entry: null, personality: 'smtp-server' });
    expect(screen.getByText(/Select a line in the transcript/)).toBeTruthy();
  });
});
