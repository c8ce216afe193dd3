/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import Transcript from '../../../web/src/visualizer/Transcript.svelte';
import { explainedEntry } from '../../../web/src/shell/transcript-helpers.ts';
import { completedConversation, startConversation } from './conversation.ts';

function renderTranscript(selectedIndex: number | null = null, tlsFromIndex: number | null = null) {
  const conversation = completedConversation();
  const onselect = vi.fn();
  const entries = conversation.transcript;
  render(Transcript, { entries, selectedIndex, onselect, tlsFromIndex });
  return { entries, onselect, log: screen.getByRole('log', { name: 'Transcript' }) };
}

describe('Transcript', () => {
  it('is a polite live region named Transcript', () => {
    const { log } = renderTranscript();
    expect(log.getAttribute('aria-live')).toBe('polite');
  });

  it('renders one element per wire line, eight for the EHLO reply', () => {
    const { log, entries } = renderTranscript();
    const ehloReply = entries.find((entry) => entry.reply?.lines.length === 8);
    expect(ehloReply).toBeDefined();
    const block = log.querySelector(`[data-index="${ehloReply?.index}"]`);
    const lines = block?.querySelectorAll('[data-from="server"]') ?? [];
    expect(lines).toHaveLength(8);
    expect(lines[7]?.textContent).toBe('250 SIZE 10485760');

    const serverLines = entries.filter((entry) => entry.from === 'server').reduce((sum, entry) => sum + (entry.reply?.lines.length ?? 1), 0);
    expect(log.querySelectorAll('[data-from="server"]')).toHaveLength(serverLines);
    expect(log.querySelectorAll('[data-from="client"]')).toHaveLength(entries.filter((entry) => entry.from === 'client').length);
    expect(log.querySelectorAll('[data-from="connection"]')).toHaveLength(1);
  });

  it('calls onselect on click, Enter and the arrow keys', async () => {
    const { log, entries, onselect } = renderTranscript(4);
    const mail = entries.find((entry) => entry.text.startsWith('MAIL FROM'));
    const line = log.querySelector<HTMLElement>(`[data-index="${mail?.index}"]`);
    expect(line).not.toBeNull();
    await fireEvent.click(line!);
    expect(onselect).toHaveBeenLastCalledWith(mail?.index);

    onselect.mockClear();
    await fireEvent.keyDown(line!, { key: 'Enter' });
    expect(onselect).toHaveBeenLastCalledWith(mail?.index);

    await fireEvent.keyDown(line!, { key: 'ArrowDown' });
    expect(onselect).toHaveBeenLastCalledWith((mail?.index ?? 0) + 1);
  });

  it('links a reply to the command it answers and marks rejections', () => {
    const conversation = completedConversation();
    conversation.send('RCPT TO:<late@example.com>');
    const entries = conversation.transcript;
    render(Transcript, { entries, selectedIndex: null, onselect: () => {}, tlsFromIndex: null });
    const rejection = entries.at(-1);
    expect(rejection?.reply?.code).toBe(503);
    const block = screen.getByRole('log').querySelector<HTMLElement>(`[data-index="${rejection?.index}"]`);
    expect(within(block!).getByText('rejected')).toBeTruthy();
    expect(within(block!).getByText('answers RCPT')).toBeTruthy();
  });

  it('shows what the server stores for a dot-stuffed line', () => {
    const { log } = renderTranscript();
    const stuffed = [...log.querySelectorAll('[data-from="client"]')].find((line) => line.textContent?.startsWith('..'));
    expect(stuffed?.textContent).toBe('..the line above started with a dot');
    expect(stuffed?.parentElement?.textContent).toContain('the server stores .the line above started with a dot');
  });

  it('says smtp-server keeps a single leading dot that was not stuffed', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', '.profile');
    render(Transcript, { entries: conversation.transcript, selectedIndex: null, onselect: () => {}, tlsFromIndex: null, server: 'smtp-server' });
    const line = [...screen.getByRole('log').querySelectorAll('[data-from="client"]')].find((element) => element.textContent === '.profile');
    expect(line?.parentElement?.textContent).toContain('not dot-stuffed → smtp-server keeps .profile (RFC 5321: profile)');
  });

  it('claims nothing of smtp-server when another server, or an unknown one, is talking', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', '.profile');
    const flagOn = (server: 'postfix' | null): string => {
      const { container } = render(Transcript, { entries: conversation.transcript, selectedIndex: null, onselect: () => {}, tlsFromIndex: null, server });
      const text = [...container.querySelectorAll('[data-from="client"]')].find((element) => element.textContent === '.profile')?.parentElement?.textContent ?? '';
      cleanup();
      return text;
    };
    expect(flagOn('postfix')).toContain('not dot-stuffed → Postfix stores profile, as RFC 5321 says');
    expect(flagOn(null)).toContain('not dot-stuffed → RFC 5321: the server stores profile (not every server does)');
    expect(flagOn(null)).not.toContain('smtp-server');
  });

  it('marks the lines sent inside TLS', () => {
    const conversation = completedConversation();
    conversation.send('STARTTLS');
    conversation.startTls();
    conversation.send('EHLO client.example.com');
    const entries = conversation.transcript;
    const tlsFromIndex = entries.findIndex((entry) => entry.text.startsWith('TLS established'));
    render(Transcript, { entries, selectedIndex: null, onselect: () => {}, tlsFromIndex });
    const log = screen.getByRole('log');
    expect(within(log).getByText('Encrypted from here on (TLS)')).toBeTruthy();
    const encrypted = [...log.querySelectorAll('.encrypted')].map((element) => Number((element as HTMLElement).dataset['index']));
    expect(encrypted).toEqual(entries.filter((entry) => entry.index >= tlsFromIndex).map((entry) => entry.index));
  });

  it('shows a long message as its kept lines and the line that counts the rest', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA');
    conversation.send(...Array.from({ length: 500 }, (_, n) => `line ${n + 1}`), '.');
    expect(conversation.messages).toHaveLength(1);
    render(Transcript, { entries: conversation.transcript, selectedIndex: null, onselect: vi.fn(), tlsFromIndex: null });
    const log = screen.getByRole('log', { name: 'Transcript' });
    const block = log.querySelector<HTMLElement>('.data-block');
    expect(block?.getAttribute('aria-label')).toBe('Message data, 70 lines kept');
    const elided = block?.querySelector('.data-line.elided');
    expect(elided?.textContent).toContain('… 430 more lines (');
    expect(elided?.textContent).toContain(') not kept');
  });
});

describe('Transcript: refused commands explain themselves', () => {
  it('shows the grammar diagnosis under a line the server refused with 500 or 501, and nothing under a well-formed refused line', () => {
    const conversation = startConversation();
    conversation.send('EHOL client.example.com', 'EHLO client.example.com', 'MAIL FROM: bob@x', 'RCPT TO:<late@example.com>');
    const entries = conversation.transcript;
    render(Transcript, { entries, selectedIndex: null, onselect: () => {}, tlsFromIndex: null });
    const notes = screen.getAllByRole('note', { name: 'Why it was refused' });
    expect(notes).toHaveLength(2);
    expect(notes[0]?.textContent).toContain('Did you mean EHLO?');
    expect(notes[0]?.querySelector('code')?.textContent).toBe('EHLO client.example.com');
    expect(notes[1]?.textContent).toContain('angle brackets');
    const rcpt = entries.find((entry) => entry.text.startsWith('RCPT'));
    expect(entries[rcpt?.answeredBy ?? -1]?.reply?.code).toBe(503);
    expect(notes.every((note) => note.closest('[data-index]')?.getAttribute('data-index') !== String(rcpt?.index))).toBe(true);
  });

  it('puts the refused line in the Explanation panel while it is the latest exchange', () => {
    const conversation = startConversation();
    conversation.send('EHOL client.example.com');
    const refused = conversation.transcript.find((entry) => entry.text.startsWith('EHOL'));
    expect(explainedEntry(conversation.transcript, null)).toBe(refused);
    conversation.send('EHLO client.example.com');
    expect(explainedEntry(conversation.transcript, null)).toBe(conversation.transcript.at(-1));
  });
});
