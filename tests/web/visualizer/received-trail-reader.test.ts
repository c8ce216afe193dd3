/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../../web/src/session/view-types.ts';
import Mailbox from '../../../web/src/visualizer/Mailbox.svelte';
import ReceivedTrailReader from '../../../web/src/visualizer/trail/ReceivedTrailReader.svelte';
import POSTFIX_DELIVERED from '../../fixtures/mail/postfix-delivered.eml?raw';

const TWO_HOPS = [
  'Received: from mx.example.com (unknown [192.0.2.10])',
  '\tby mx.example.net (Postfix) with ESMTPS id 7904A16C052',
  '\tfor <bob@example.net>; Mon,  7 Dec 2026 14:05:00 +0000 (UTC)',
  'Received: from laptop.example.com (unknown [192.0.2.50])',
  '\tby mx.example.com (Postfix) with ESMTPSA id 4A1B2C3D',
  '\tfor <bob@example.net>; Mon,  7 Dec 2026 14:00:00 +0000 (UTC)',
  'Subject: Lunch',
  '',
].join('\r\n');

const hopCards = () => within(screen.getByRole('region', { name: 'Received trail' })).getAllByRole('listitem');

describe('ReceivedTrailReader', () => {
  it('shows pasted hops bottom first, with the gap and a long wait highlighted', async () => {
    render(ReceivedTrailReader, { idPrefix: 't' });
    expect(screen.getByText(/Paste a header to read its trail/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText(/Message header/), { target: { value: TWO_HOPS } });
    const hops = hopCards();
    expect(hops.map((hop) => hop.querySelector('h4')?.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Hop 1 laptop.example.com → mx.example.com',
      'Hop 2 mx.example.com → mx.example.net',
    ]);
    expect(hops[0]?.textContent).toContain('ESMTPSA — EHLO over TLS with a login');
    const gap = hops[1]?.querySelector('.gap');
    expect(gap?.textContent).toContain('+5 min since the previous hop: a long wait');
    expect(gap?.classList.contains('slow')).toBe(true);
    expect(screen.getByText(/2 hops, 5 min from the first to the last/)).toBeTruthy();
  });

  it('flags a hop dated before the previous one', async () => {
    const swapped = TWO_HOPS.replace('14:05:00', '13:59:00');
    render(ReceivedTrailReader, { idPrefix: 't', initial: swapped });
    const [, second] = hopCards();
    expect(second?.querySelector('.gap.backwards')?.textContent).toContain('dated before the previous hop');
    expect(within(second as HTMLElement).getByRole('note').textContent).toContain('dated 1 min before the previous one');
  });

  it('is reachable from an open message, starting from its header (the real Postfix delivery)', async () => {
    const raw = POSTFIX_DELIVERED;
    const message: MailboxMessage = {
      id: 'sim-1', source: 'simulated', receivedAt: '2026-12-07T14:32:40.000Z', mailFrom: 'sender@example.com',
      rcptTo: ['nobody@lab.test'], queueId: 'Q1', size: raw.length, raw, rawUrl: null, htmlUrl: null, messageUrl: null, headline: null,
    };
    render(Mailbox, { messages: [message] });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Headers' }));
    await fireEvent.click(await screen.findByRole('button', { name: /Read the Received trail/ }));
    expect(screen.getByRole('button', { name: /Back to the header fields/ })).toBeTruthy();
    const [hop] = hopCards();
    expect(hop?.querySelector('h4')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Hop 1 client.example → mx.lab.test');
    expect(hop?.textContent).toContain('127.0.0.1 (no reverse DNS name)');
    expect(hop?.textContent).toContain('2A73516C00B');
  });
});
