/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { explanationBlocks, type ExplanationBlock } from '../../../web/src/visualizer/explanation/paragraphs.ts';
import ExplanationPanel from '../../../web/src/visualizer/ExplanationPanel.svelte';
import { startConversation } from './conversation.ts';

/** The words of the blocks, in order, as one string (list separators aside). */
const wordsOf = (blocks: readonly ExplanationBlock[]): string =>
  blocks
    .flatMap((block) => (block.kind === 'paragraph' ? [block.text] : block.items))
    .join(' ')
    .replace(/;/g, '');

describe('explanationBlocks', () => {
  it('keeps a short explanation as one paragraph', () => {
    expect(explanationBlocks('The server says hello (RFC 5321 §4.1.1.1).')).toEqual([{ kind: 'paragraph', text: 'The server says hello (RFC 5321 §4.1.1.1).' }]);
    expect(explanationBlocks('  ')).toEqual([]);
  });

  it('splits a long one between sentences, never after e.g., i.e. or inside a section number', () => {
    const text =
      '550 Requested action not taken: mailbox unavailable (enhanced code 5.1.1: permanent failure, bad destination mailbox address). ' +
      'The server refuses the command for good, e.g. the mailbox does not exist, i.e. Nobody reads it (RFC 5321 §4.2.2). ' +
      'Do not retry unchanged: check the address, or send through a server that accepts mail for you.';
    const blocks = explanationBlocks(text);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      expect(block.kind).toBe('paragraph');
      if (block.kind === 'paragraph') expect(block.text).toMatch(/[.)]$/);
    }
    expect(blocks.map((block) => (block.kind === 'paragraph' ? block.text : '')).join(' ')).toBe(text);
    expect(blocks.some((block) => block.kind === 'paragraph' && /e\.g\. the mailbox does not exist, i\.e\. Nobody reads it \(RFC 5321 §4\.2\.2\)\./.test(block.text))).toBe(true);
  });

  it("makes the EHLO reply's extensions a list, one item each, every word kept", () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com');
    const reply = conversation.transcript.find((entry) => entry.from === 'server' && entry.text.startsWith('250-'));
    if (reply === undefined) throw new Error('no EHLO reply');
    const blocks = explanationBlocks(reply.explanation);
    expect(blocks[0]).toEqual({ kind: 'paragraph', text: expect.stringMatching(/^250: the server accepted your EHLO and supports these \d+ extensions\.$/) });
    const list = blocks.find((block) => block.kind === 'list');
    expect(list?.kind === 'list' ? list.items.map((item) => item.split(':')[0]) : []).toEqual(
      expect.arrayContaining(['PIPELINING', '8BITMIME', 'SMTPUTF8', 'STARTTLS', 'AUTH PLAIN LOGIN', 'SIZE 10485760']),
    );
    expect(wordsOf(blocks).split(/\s+/)).toEqual(reply.explanation.replace(/;/g, '').split(/\s+/));
  });
});

describe('ExplanationPanel paragraphs', () => {
  it('shows a long explanation as short paragraphs and a list, with its RFC links kept', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com');
    const reply = conversation.transcript.find((entry) => entry.from === 'server' && entry.text.startsWith('250-')) ?? null;
    render(ExplanationPanel, { entry: reply, personality: 'smtp-server' });
    const panel = screen.getByRole('region', { name: 'Explanation' });
    const main = panel.querySelector('.main');
    if (main === null) throw new Error('no explanation text');
    expect(main.querySelectorAll('p').length).toBeGreaterThanOrEqual(1);
    const items = within(main as HTMLElement).getAllByRole('listitem');
    expect(items.length).toBeGreaterThanOrEqual(6);
    for (const item of items) expect(item.textContent?.length ?? 0).toBeLessThan(200);
    expect(screen.getByRole('link', { name: 'RFC 2920' }).getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc2920');
    expect(screen.getByRole('link', { name: 'RFC 3207' })).toBeTruthy();
  });
});
