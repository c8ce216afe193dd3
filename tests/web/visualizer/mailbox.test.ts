/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import Mailbox from '../../../web/src/visualizer/Mailbox.svelte';
import { completedConversation, HTML_MESSAGE_LINES, mailboxMessages } from './conversation.ts';

/** Two accepted messages: the plain lunch note, then the HTML report. */
function twoMessages() {
  const conversation = completedConversation();
  conversation.send('MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>', 'DATA', ...HTML_MESSAGE_LINES, '.');
  const messages = mailboxMessages(conversation);
  expect(messages).toHaveLength(2);
  return messages;
}

describe('Mailbox', () => {
  it('lists messages newest first and opens the newest', async () => {
    render(Mailbox, { messages: twoMessages() });
    const rows = within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('button');
    expect(rows.map((row) => row.querySelector('.subject')?.textContent)).toEqual(['Report with attachment', 'Lunch on Friday?']);
    expect(await screen.findByText('Hello Bob, the report is attached.')).toBeTruthy();
  });

  it('shows HTML only in a sandboxed iframe, never running its script in the page', async () => {
    render(Mailbox, { messages: twoMessages() });
    await screen.findByText('Hello Bob, the report is attached.');
    await fireEvent.click(screen.getByRole('tab', { name: 'HTML' }));
    const frame = screen.getByTitle('HTML part of the message (sandboxed)') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.getAttribute('srcdoc')).toContain('<p id="greeting">');
    expect(frame.getAttribute('sandbox')).not.toMatch(/allow-(same-origin|scripts)/);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(document.getElementById('greeting')).toBeNull();
    expect(document.body.dataset['pwned']).toBeUndefined();
  });

  it('shows the raw source as text and lists attachments', async () => {
    render(Mailbox, { messages: twoMessages() });
    await screen.findByText('Hello Bob, the report is attached.');
    await fireEvent.click(screen.getByRole('tab', { name: 'Raw' }));
    const raw = screen.getByRole('tabpanel').querySelector('pre');
    expect(raw?.textContent).toContain('<script>window.parent.document.body.dataset.pwned');
    expect(raw?.querySelector('script, p, b')).toBeNull();

    await fireEvent.click(screen.getByRole('tab', { name: 'Attachments' }));
    const attachment = screen.getByText('report.csv').closest('li');
    expect(attachment?.textContent).toContain('text/csv · 21 B');
  });

  it('moves between tabs with the arrow keys and deletes through the callback', async () => {
    const ondelete = vi.fn();
    const messages = twoMessages();
    render(Mailbox, { messages, ondelete });
    await screen.findByText('Hello Bob, the report is attached.');
    const text = screen.getByRole('tab', { name: 'Text' });
    await fireEvent.keyDown(text, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'HTML' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(ondelete).toHaveBeenCalledWith(messages[1]?.id);
  });

  it('says how to fill an empty mailbox', () => {
    render(Mailbox, { messages: [] });
    expect(screen.getByText(/No messages yet/)).toBeTruthy();
  });
});
