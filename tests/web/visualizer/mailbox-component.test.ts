/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { byteView } from '../../../web/src/mail/byte-view.ts';
import { localPager } from '../../../web/src/mail/mailbox-pages.ts';
import type { MailboxMessage } from '../../../web/src/session/view-types.ts';
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

/** `count` simulated messages, "Note 1" the oldest. */
function notes(count: number): MailboxMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `sim-${i + 1}`,
    source: 'simulated' as const,
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    mailFrom: i === 0 ? 'first@example.net' : 'a@example.com',
    rcptTo: ['b@example.org'],
    queueId: `Q${i + 1}`,
    size: 40,
    raw: `From: a@example.com\r\nTo: b@example.org\r\nSubject: Note ${i + 1}\r\n\r\nHi\r\n`,
    rawUrl: null,
    htmlUrl: null,
    messageUrl: null,
    headline: null,
  }));
}

const rowSubjects = () =>
  within(screen.getByRole('list', { name: 'Messages' }))
    .getAllByRole('button')
    .map((row) => row.querySelector('.subject')?.textContent);

afterEach(() => vi.unstubAllGlobals());

describe('Mailbox', () => {
  it('lists messages newest first and opens the newest on its HTML view', async () => {
    render(Mailbox, { messages: twoMessages() });
    await screen.findByRole('list', { name: 'Messages' });
    expect(rowSubjects()).toEqual(['Report with attachment', 'Lunch on Friday?']);
    const frame = (await screen.findByTitle('HTML part of the message (sandboxed)')) as HTMLIFrameElement;
    expect(screen.getByRole('tab', { name: 'HTML' }).getAttribute('aria-selected')).toBe('true');
    expect(frame.getAttribute('srcdoc')).toContain('<p id="greeting">');
  });

  it('opens a message without HTML on its text', async () => {
    const messages = twoMessages();
    render(Mailbox, { messages });
    await screen.findByRole('list', { name: 'Messages' });
    await fireEvent.click(screen.getByText('Lunch on Friday?'));
    expect(screen.getByRole('tab', { name: 'Text' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows HTML only in a sandboxed iframe, never running its script in the page', async () => {
    render(Mailbox, { messages: twoMessages() });
    const frame = (await screen.findByTitle('HTML part of the message (sandboxed)')) as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.getAttribute('sandbox')).not.toMatch(/allow-(same-origin|scripts)/);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(document.getElementById('greeting')).toBeNull();
    expect(document.body.dataset['pwned']).toBeUndefined();
  });

  it('shows the raw source as text with a download, and lists attachments', async () => {
    render(Mailbox, { messages: twoMessages() });
    await screen.findByTitle('HTML part of the message (sandboxed)');
    await fireEvent.click(screen.getByRole('tab', { name: 'Raw' }));
    const raw = await within(screen.getByRole('tabpanel')).findByText(/window\.parent\.document/);
    expect(raw.tagName).toBe('PRE');
    expect(raw.querySelector('script, p, b')).toBeNull();
    expect(screen.getByRole('link', { name: 'Download .eml' }).getAttribute('download')).toMatch(/\.eml$/);

    await fireEvent.click(screen.getByRole('tab', { name: 'Attachments' }));
    const attachment = screen.getByText('report.csv').closest('li');
    expect(attachment?.textContent).toContain('text/csv · 21 B');
  });

  it('moves between tabs with the arrow keys and deletes through the callback', async () => {
    const ondelete = vi.fn();
    const messages = twoMessages();
    render(Mailbox, { messages, ondelete });
    await screen.findByTitle('HTML part of the message (sandboxed)');
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'HTML' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Raw' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(ondelete).toHaveBeenCalledWith(messages[1]?.id);
  });

  it('says how to fill an empty mailbox', async () => {
    render(Mailbox, { messages: [] });
    expect(await screen.findByText(/No messages yet/)).toBeTruthy();
  });

  it('pages through every simulated message and searches them', async () => {
    render(Mailbox, { messages: notes(120) });
    await screen.findByRole('list', { name: 'Messages' });
    expect(rowSubjects()).toHaveLength(50);
    expect(screen.getByText('Newest 50 of 120')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Older messages (70 more)' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Older messages (20 more)' }));
    await vi.waitFor(() => expect(rowSubjects()).toHaveLength(120));
    expect(rowSubjects().at(-1)).toBe('Note 1');
    expect(screen.queryByRole('button', { name: /Older messages/ })).toBeNull();

    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search the mailbox' }), { target: { value: 'first@example' } });
    await fireEvent.submit(screen.getByRole('search'));
    await vi.waitFor(() => expect(rowSubjects()).toEqual(['Note 1']));
    expect(screen.getByText('1 of 120 messages match')).toBeTruthy();
  });

  it('deletes all only after a confirmation', async () => {
    const ondeleteall = vi.fn();
    render(Mailbox, { messages: notes(3), ondeleteall });
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete all…' }));
    expect(ondeleteall).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete all…' }));
    expect(screen.getByRole('group', { name: 'Confirm deleting all messages' }).textContent).toContain('Delete all 3 messages?');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete all' }));
    expect(ondeleteall).toHaveBeenCalledTimes(1);
  });

  it('shows the message full width and back, by its button or Escape', async () => {
    render(Mailbox, { messages: notes(2) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Full width' }));
    expect(screen.queryByRole('list', { name: 'Messages' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Exit full width' }));
    expect(screen.getByRole('list', { name: 'Messages' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Full width' }));
    (document.activeElement as HTMLElement | null)?.blur();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByRole('list', { name: 'Messages' })).toBeTruthy();
    // Focus goes back to the toggle, not to the page's start.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Full width' }));
  });

  it('tells a student their sent copies from the mail delivered to them', async () => {
    const [first, second] = notes(2);
    const received = { ...first!, rcptTo: ['ana@class.smtp-lab.test'] };
    render(Mailbox, { messages: [received, second!], ownAddress: 'Ana@class.smtp-lab.test' });
    await screen.findByRole('list', { name: 'Messages' });
    const rows = within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('button');
    expect(rows.map((row) => row.querySelector('.tag')?.textContent)).toEqual(['Sent by you', 'Received']);
  });
});

describe('Mailbox in live mode', () => {
  const live: MailboxMessage = {
    id: '9',
    source: 'live',
    receivedAt: '2025-01-01T10:00:00.000Z',
    mailFrom: 'cr@example.com',
    rcptTo: ['b@example.org'],
    queueId: 'Q9',
    size: 30,
    raw: null,
    rawUrl: '/api/messages/9/raw',
    htmlUrl: null,
    messageUrl: '/api/messages/9',
    headline: { from: 'cr@example.com', to: 'b@example.org', subject: 'Bare CR ✓', date: null, bareCr: true, parsed: true },
  };
  /** The stored bytes: a bare CR and a windows-1252 "é" (E9), not UTF-8. */
  const stored = new Uint8Array([...new TextEncoder().encode('Subject: caf'), 0xe9, 0x0d, ...new TextEncoder().encode('x ✓\r\n')]);

  function serve(): ReturnType<typeof vi.fn> {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/messages/9') {
        return Response.json({ headers: [{ key: 'Subject', value: 'Bare CR ✓' }], subject: 'Bare CR ✓', from: 'cr@example.com', to: 'b@example.org',
          date: null, text: 'From the server’s parse', htmlUrl: null, remoteImagesBlocked: 0, attachments: [], rawDownloadUrl: '/api/messages/9/raw?download=1',
          bareCr: true, parseError: null, parsed: true });
      }
      if (url === '/api/messages/9/raw') return new Response(stored);
      throw new Error(`unexpected fetch ${url}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
  }

  it("tells the copy a lab MX delivered from the sandbox's own capture of the same message", async () => {
    serve();
    const capture: MailboxMessage = { ...live, id: '8', receivedAt: '2025-01-01T09:59:59.000Z', headline: { ...live.headline!, bareCr: false } };
    render(Mailbox, { messages: [capture, { ...live, mailbox: 'b@example.org', headline: { ...live.headline!, bareCr: false } }] });
    await screen.findByRole('list', { name: 'Messages' });
    const rows = within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('button');
    expect(rows.map((row) => row.querySelector('.tag')?.textContent ?? null)).toEqual(['Delivered to a lab mailbox', null]);
    const detail = screen.getByRole('article', { name: 'Message' });
    expect(detail.textContent).toContain('Delivered to the lab mailbox b@example.org');
    expect(detail.textContent).not.toContain('Captured by the sandbox');
  });

  it("shows the server's parse, the bare-CR flag, no valid Date, and the stored bytes with undecodable ones marked", async () => {
    const fetchMock = serve();
    const pager = vi.fn(async () => ({ messages: [live], hasMore: false, nextBefore: null, matched: 1, total: 1 }));
    render(Mailbox, { messages: [live], pager });
    expect(await screen.findByText('From the server’s parse')).toBeTruthy();
    const row = within(screen.getByRole('list', { name: 'Messages' })).getByRole('button');
    expect(row.textContent).toContain('Bare CR ✓');
    expect(row.textContent).toContain('bare CR line endings: servers differ in how they read this');
    expect(screen.getByText(/no valid Date header/)).toBeTruthy();
    expect(pager).toHaveBeenCalledWith({ q: '', before: null, limit: 50 });

    await fireEvent.click(screen.getByRole('tab', { name: 'Raw' }));
    const mark = await screen.findByTitle('byte 0xE9: not valid UTF-8 here');
    expect(mark.textContent).toBe('⟨E9⟩');
    expect(mark.closest('pre')?.textContent).toBe('Subject: caf⟨E9⟩\rx ✓\r\n');
    expect(screen.getByRole('link', { name: 'Download .eml' }).getAttribute('href')).toBe('/api/messages/9/raw?download=1');
    // The server's parse only: the raw bytes are fetched for the Raw tab, never parsed in the page.
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/messages/9', '/api/messages/9/raw']);
  });

  it('asks the server to search, and for older pages with its cursor', async () => {
    serve();
    const pager = vi.fn(async ({ before }: { before: string | null }) =>
      before === null
        ? { messages: [live], hasMore: true, nextBefore: '1735725600000.9', matched: 2, total: 2 }
        : { messages: [{ ...live, id: '8', headline: { ...live.headline!, subject: 'Older one', bareCr: false } }], hasMore: false, nextBefore: null, matched: 2, total: 2 },
    );
    render(Mailbox, { messages: [live], pager });
    await fireEvent.click(await screen.findByRole('button', { name: 'Older messages (1 more)' }));
    expect(await screen.findByText('Older one')).toBeTruthy();
    expect(pager).toHaveBeenLastCalledWith({ q: '', before: '1735725600000.9', limit: 50 });
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search the mailbox' }), { target: { value: ' older ' } });
    await fireEvent.submit(screen.getByRole('search'));
    await vi.waitFor(() => expect(pager).toHaveBeenLastCalledWith({ q: 'older', before: null, limit: 50 }));
  });
});

describe('byteView', () => {
  it('keeps valid UTF-8 as text and marks each invalid byte, overlongs and surrogates included', () => {
    const bytes = new Uint8Array([0x41, 0xc3, 0xa9, 0xe9, 0x42, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f]);
    const view = byteView(bytes);
    expect(view.segments.map((segment) => (segment.kind === 'text' ? segment.text : `⟨${segment.hex}⟩`)).join('')).toBe(
      'Aé⟨E9⟩B⟨C0⟩⟨AF⟩⟨ED⟩⟨A0⟩⟨80⟩😀⟨F0⟩⟨9F⟩',
    );
    expect(view.undecodable).toBe(8);
    expect(byteView(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).segments).toEqual([{ kind: 'text', text: '\uFEFFA' }]);
  });
});

describe('localPager', () => {
  it('pages with the id cursor and searches From, To, Subject and the envelope', async () => {
    const read = localPager(notes(5));
    const first = await read({ q: '', before: null, limit: 2 });
    expect(first).toMatchObject({ hasMore: true, nextBefore: 'sim-4', matched: 5, total: 5 });
    const last = await read({ q: '', before: 'sim-2', limit: 2 });
    expect(last.messages.map((message) => message.id)).toEqual(['sim-1']);
    expect(last.hasMore).toBe(false);
    expect((await read({ q: 'NOTE 3', before: null, limit: 10 })).messages.map((message) => message.id)).toEqual(['sim-3']);
    expect((await read({ q: 'b@example.org', before: null, limit: 10 })).matched).toBe(5);
  });
});
