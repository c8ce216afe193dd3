import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReceived } from '../../../protocol/mail/received/parse-received.ts';
import { withMeaning } from '../../../protocol/mail/received/received-protocols.ts';
import { BIG_GAP_MS, formatGap, readReceivedTrail } from '../../../protocol/mail/received/received-trail.ts';
import { PERSONALITIES } from '../../../protocol/simulator/personalities/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url), 'utf8');

describe('parseReceived', () => {
  it('reads the field the real Postfix 3.7 wrote (tests/fixtures/mail/postfix-delivered.eml)', () => {
    const [hop] = readReceivedTrail(fixture('postfix-delivered.eml')).hops;
    expect(hop?.stamp).toMatchObject({
      from: 'client.example', fromReverseName: 'unknown', fromAddress: '127.0.0.1',
      by: 'mx.lab.test', byComment: 'Postfix', with: 'ESMTP', id: '2A73516C00B', for: 'nobody@lab.test',
      dateText: 'Mon, 7 Dec 2026 14:32:40 +0000 (UTC)', time: Date.UTC(2026, 11, 7, 14, 32, 40), dateProblem: null,
    });
    expect(hop?.problems).toEqual([]);
  });

  it("reads the real Postfix's local-submission field, which has no from", () => {
    const [hop] = readReceivedTrail(fixture('postfix-bounce.eml')).hops;
    expect(hop?.stamp).toMatchObject({ from: null, by: 'mx.lab.test', byComment: 'Postfix', id: '1895716C00B', with: null });
    expect(hop?.problems).toEqual([]);
  });

  it('reads an address literal, an IPv6 one, and a semicolon-free field', () => {
    expect(parseReceived('from [192.0.2.1] by mx.example.com; Mon, 7 Dec 2026 14:00:00 +0000')).toMatchObject({ from: '[192.0.2.1]', fromAddress: '192.0.2.1' });
    expect(parseReceived('from a.example ([IPv6:2001:db8::1]) by b.example')).toMatchObject({ fromAddress: '2001:db8::1', by: 'b.example', dateText: null, time: null });
  });

  it('parses the Received field of every personality that writes one, in its own format', () => {
    const writers = Object.values(PERSONALITIES).filter((personality) => personality.receivedHeader !== null);
    expect(writers.map((personality) => personality.name).sort()).toEqual(['exchange', 'exim', 'gmail', 'postfix']);
    // What each layout writes in `with` and `id`, and whether it names a lone recipient.
    const layout: Record<string, { with: string; id: string; namesRecipient: boolean }> = {
      postfix: { with: 'ESMTPS', id: 'Q1234', namesRecipient: true },
      exim: { with: 'esmtps', id: 'Q1234', namesRecipient: true },
      gmail: { with: 'ESMTPS', id: 'Q1234', namesRecipient: true },
      exchange: { with: 'Microsoft SMTP Server', id: '15.20.8207.18', namesRecipient: false },
    };
    for (const personality of writers) {
      const expected = layout[personality.name]!;
      for (const recipients of [['bob@example.net'], ['bob@example.net', 'carol@example.net']]) {
        const field = personality.receivedHeader?.({
          helo: 'mx.example.com', clientAddress: '192.0.2.10', serverHostname: personality.labHostname, protocol: 'ESMTPS',
          queueId: 'Q1234', recipients, date: new Date(Date.UTC(2026, 11, 7, 14, 0, 0)), envelopeFrom: 'alice@example.com',
        }) ?? '';
        const [hop] = readReceivedTrail(field).hops;
        const from = personality.name === 'exim' ? { from: '[192.0.2.10]', fromHelo: 'mx.example.com' } : { from: 'mx.example.com' };
        expect(hop?.stamp, personality.name).toMatchObject({
          ...from, fromAddress: '192.0.2.10', by: personality.labHostname, with: expected.with, id: expected.id,
          for: recipients.length === 1 && expected.namesRecipient ? 'bob@example.net' : null, time: Date.UTC(2026, 11, 7, 14, 0, 0),
        });
        expect(hop?.problems, personality.name).toEqual([]);
      }
    }
  });
});

describe('readReceivedTrail', () => {
  it('orders the published formats of Sendmail, Exim, Exchange and Gmail bottom first, with the gaps', () => {
    const trail = readReceivedTrail(fixture('received-published-formats.txt'));
    expect(trail.hops.map((hop) => [hop.stamp.from, hop.stamp.by, hop.stamp.with, hop.stamp.fromAddress])).toEqual([
      ['client.example', 'mx.example', 'ESMTP', '203.0.113.5'],
      ['[203.0.113.5]', 'mx.example.org', 'esmtps', '203.0.113.5'],
      ['DB9PR01MB1234.eurprd01.prod.exchangelabs.com', 'AM0PR01MB5678.eurprd01.prod.exchangelabs.com', 'Microsoft SMTP Server', '2603:10a6:10:1a3::12'],
      ['mail-sor-f41.google.com', 'mx.google.com', 'SMTPS', '209.85.220.41'],
      [null, '2002:a05:7300:8a0c:b0:14f:2c3:a1b2', 'SMTP', null],
    ]);
    expect(trail.hops[1]?.stamp).toMatchObject({ fromHelo: 'client.example', id: '1tAbCd-000123-4F', for: 'bob@example.org' });
    expect(trail.hops[2]?.stamp.id).toBe('15.20.8207.18');
    expect(trail.hops[3]?.stamp).toMatchObject({ fromReverseName: 'mail-sor-f41.google.com', for: 'bob@gmail.com' });
    expect(trail.hops.map((hop) => hop.gapMs)).toEqual([null, 1000, 1000, 2000, 1000]);
    expect(trail.totalMs).toBe(5000);
    expect(trail.hops.flatMap((hop) => hop.problems)).toEqual([]);
  });

  it('flags a date going backwards, an unreadable or missing date, and a missing by', () => {
    const trail = readReceivedTrail([
      'Received: from c.example by d.example; Mon, 7 Dec 2026 13:59:00 +0000',
      'Received: from b.example by c.example; someday',
      'Received: from x.example with ESMTP',
      'Received: from a.example by b.example; Mon, 7 Dec 2026 14:00:00 +0000',
      'Received: from z.example by a.example; Mon, 7 Dec 2026 14:00:30 +0000',
      '',
    ].join('\r\n'));
    expect(trail.hops.map((hop) => hop.problems.map((problem) => problem.code))).toEqual([
      [], ['date-backwards'], ['no-by', 'no-date'], ['unreadable-date'], [],
    ]);
    expect(trail.hops[1]?.problems[0]?.message).toContain('dated 30 s before the previous one');
    expect(trail.totalMs).toBe(-90_000);
  });

  it('reads a whole message only up to its body, and skips leading blank lines from a paste', () => {
    const trail = readReceivedTrail('\n\nReceived: from a by b; Mon, 7 Dec 2026 14:00:00 +0000\nSubject: x\n\nReceived: from body by text\n');
    expect(trail.hops.map((hop) => hop.stamp.by)).toEqual(['b']);
    expect(trail.totalMs).toBeNull();
    expect(readReceivedTrail('Subject: nothing here\n').hops).toEqual([]);
  });
});

describe('formatGap and withMeaning', () => {
  it('writes gaps as a learner reads them', () => {
    expect(formatGap(0)).toBe('0 s');
    expect(formatGap(65_000)).toBe('1 min 5 s');
    expect(formatGap(BIG_GAP_MS)).toBe('1 min');
    expect(formatGap(7_384_000)).toBe('2 h 3 min');
    expect(formatGap(-30_000)).toBe('−30 s');
  });

  it('explains the RFC 3848 types whatever their case, and nothing else', () => {
    expect(withMeaning('esmtpsa')).toMatchObject({ tls: true, authenticated: true });
    expect(withMeaning('ESMTP')).toMatchObject({ tls: false, authenticated: false });
    expect(withMeaning('Microsoft SMTP Server')).toBeNull();
  });
});
