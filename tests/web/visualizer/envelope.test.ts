/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import EnvelopePanel from '../../../web/src/visualizer/EnvelopePanel.svelte';
import { completedConversation, SAMPLE_MESSAGE_LINES, startConversation } from './conversation.ts';

describe('EnvelopePanel', () => {
  it('shows the envelope beside the headers, with the Bcc-style recipient flagged', () => {
    const conversation = completedConversation();
    const { container } = render(EnvelopePanel, { summary: conversation.summary, messageText: null });
    const envelope = container.querySelector('.envelope')!;
    const headers = container.querySelector('.headers')!;
    expect(envelope.textContent).toContain('<bounces@example.com>');
    expect(envelope.textContent).toContain('<bob@example.org>');
    expect(envelope.textContent).toContain('<carol@example.net>');
    expect(headers.textContent).toContain('Alice <alice@example.com>');
    expect(headers.textContent).toContain('Bob <bob@example.org>');
    expect(headers.textContent).not.toContain('carol');
    expect(headers.textContent).toContain('Lunch on Friday?');
    expect(screen.getAllByText('not in the headers')).toHaveLength(1);
    expect(screen.getByText(/carol@example\.net gets a copy without appearing in the headers/)).toBeTruthy();
    expect(screen.getByText(/queued as Q00001/)).toBeTruthy();
  });

  it('reads the headers of the draft while the message is being written', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com', 'MAIL FROM:<>', 'RCPT TO:<bob@example.org>', 'DATA', ...SAMPLE_MESSAGE_LINES.slice(0, 3));
    expect(conversation.state).toBe('data');
    const draft = SAMPLE_MESSAGE_LINES.slice(0, 3).join('\r\n');
    const { container } = render(EnvelopePanel, { summary: conversation.summary, messageText: draft });
    expect(screen.getByText('The open mail transaction.')).toBeTruthy();
    expect(container.querySelector('.envelope')?.textContent).toContain('<>');
    expect(screen.getByText(/The null sender/)).toBeTruthy();
    expect(container.querySelector('.headers')?.textContent).toContain('Lunch on Friday?');
    expect(screen.queryByText('not in the headers')).toBeNull();
  });
});
