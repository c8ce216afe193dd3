/**
 * The Journey view's readings of what the server concluded: SPF terms in evaluation order,
 * DNS answers in presentation form (MX by preference), and the DSN state in words.
 */
import { describe, expect, it } from 'vitest';
import { spfSteps } from '../../../web/src/journey/auth-steps.ts';
import { dsnText, lookupAnswer, lookupPurpose } from '../../../web/src/journey/journey-text.ts';

const steps = (record: string, mechanism: string | null) => spfSteps(record, mechanism).map((step) => `${step.text} ${step.state}${step.gives === null ? '' : ` ${step.gives}`}`);

describe('spfSteps', () => {
  it('marks the first matching mechanism; terms before it did not match, terms after it were never reached (RFC 7208 §4.6.2)', () => {
    expect(steps('v=spf1 ip4:192.0.2.10 include:_spf.example.net ~all', 'include:_spf.example.net')).toEqual([
      'ip4:192.0.2.10 no-match pass',
      'include:_spf.example.net matched pass',
      '~all not-reached softfail',
    ]);
  });

  it('matches a mechanism whatever qualifier mailauth reports it with, and keeps modifiers apart', () => {
    expect(steps('v=spf1 a -all exp=explain.example.com', 'all')).toEqual(['a no-match pass', '-all matched fail', 'exp=explain.example.com modifier']);
  });

  it('with no match at all, every mechanism is checked and none decides (the result is then neutral)', () => {
    expect(steps('v=spf1 ip4:198.51.100.1 mx', null)).toEqual(['ip4:198.51.100.1 no-match pass', 'mx no-match pass']);
  });
});

describe('lookupAnswer and lookupPurpose', () => {
  it('lists MX answers by preference as the sender tried them, a null MX as "0 ."', () => {
    expect(lookupAnswer({ name: 'example.org', type: 'MX', answer: [{ exchange: 'mx2.example.org', priority: 20 }, { exchange: 'mx1.example.org', priority: 10 }] })).toEqual(['10 mx1.example.org', '20 mx2.example.org']);
    expect(lookupAnswer({ name: 'null-mx.example', type: 'MX', answer: [{ exchange: '', priority: 0 }] })).toEqual(['0 .']);
  });

  it('joins a TXT record split in strings, and says what an error means', () => {
    expect(lookupAnswer({ name: 'example.com', type: 'TXT', answer: [['v=spf1 ', 'ip4:192.0.2.10 -all']] })).toEqual(['v=spf1 ip4:192.0.2.10 -all']);
    expect(lookupAnswer({ name: 'gone.example', type: 'A', error: 'ENOTFOUND' })).toEqual(['no such name (NXDOMAIN)']);
    expect(lookupAnswer({ name: 'slow.example', type: 'TXT', error: 'ETIMEOUT' })).toEqual(['no answer: the lookup timed out']);
  });

  it('names what each question was for', () => {
    expect(lookupPurpose({ name: 'lab._domainkey.example.com', type: 'TXT', answer: [] })).toBe('The DKIM public key for selector lab (RFC 6376 §3.6.2)');
    expect(lookupPurpose({ name: '_dmarc.example.com', type: 'TXT', answer: [] })).toBe('The DMARC policy of example.com (RFC 7489 §6.1)');
    expect(lookupPurpose({ name: 'example.com', type: 'TXT', answer: [] })).toBe('The SPF record of example.com (RFC 7208 §4.4)');
  });
});

describe('dsnText', () => {
  const row = { id: 1, recipient: 'bob@example.net', lastReply: '550 5.7.1 rejected', dsn: 'due' } as const;
  it('says a refused message bounces to the envelope sender, a null sender is never bounced, and a delivered one says nothing', () => {
    expect(dsnText({ ...row, state: 'bounced' })).toMatch(/refused for good: a DSN .* is due to the envelope sender, not to the From address/);
    expect(dsnText({ ...row, state: 'bounced', dsn: 'none' })).toMatch(/no DSN was sent: the envelope sender was null \(<>\)/);
    expect(dsnText({ ...row, state: 'expired', dsn: 'sent' })).toMatch(/^It expired in the queue: a DSN .* went to/);
    expect(dsnText({ ...row, state: 'queued', lastReply: '451 4.7.1 Greylisted' })).toBe('Waiting in the outbound queue; last reply: 451 4.7.1 Greylisted.');
    expect(dsnText({ ...row, state: 'delivered' })).toBeNull();
    const outside = { ...row, recipient: 'friend@elsewhere.test', state: 'bounced', dsn: 'sent', lastReply: '550 5.1.2 <friend@elsewhere.test>: elsewhere.test: no such domain in the lab' } as const;
    expect(dsnText(outside)).toMatch(/^It was never relayed: elsewhere\.test is not a domain in the lab, .*: a DSN .* went to the envelope sender/);
    expect(dsnText(outside)).not.toContain('refused');
  });
});
