import { describe, expect, it } from 'vitest';
import { dsnHumanText } from '../../../../protocol/mail/dsn/dsn-human-text.ts';
import type { DsnInput, DsnRecipient } from '../../../../protocol/mail/dsn/dsn-types.ts';

const report = (recipient: DsnRecipient): DsnInput => ({
  reportingMta: 'mail.example.com',
  arrivalDate: new Date('2026-12-07T14:00:00Z'),
  recipients: [recipient],
  originalHeaders: 'Subject: hi\r\n',
  originalEnvelopeFrom: 'alice@example.com',
  to: 'alice@example.com',
  from: 'MAILER-DAEMON@mail.example.com',
  date: new Date('2026-12-07T14:00:03Z'),
  messageId: 'dsn1@mail.example.com',
});

describe('dsnHumanText', () => {
  it('quotes a server only when one answered; without a Remote-MTA the reason is the mail system\'s own', () => {
    const answered = dsnHumanText(report({ finalRecipient: 'dave@example.net', action: 'failed', status: '5.1.1', remoteMta: 'mx.example.net', diagnosticCode: 'smtp; 550 5.1.1 unknown' }));
    expect(answered).toContain('The server mx.example.net answered:\r\n    550 5.1.1 unknown');
    expect(answered).toContain('check its spelling and that the mailbox exists');
    const local = dsnHumanText(report({ finalRecipient: 'friend@elsewhere.test', action: 'failed', status: '5.1.2', diagnosticCode: 'smtp; 550 5.1.2 <friend@elsewhere.test>: elsewhere.test: no such domain in the lab' }));
    expect(local).not.toMatch(/server .*answered/);
    expect(local).toContain('No server was reached; the reason given:\r\n    550 5.1.2');
  });

  it('advises on the domain, not the mailbox, for X.1.2 and a null MX (X.1.10, RFC 7505)', () => {
    const noDomain = dsnHumanText(report({ finalRecipient: 'a@elsewhere.test', action: 'failed', status: '5.1.2' }));
    expect(noDomain).toContain('What to do: The domain after the @ takes no mail here');
    expect(noDomain).not.toContain('mailbox exists');
    const nullMx = dsnHumanText(report({ finalRecipient: 'a@null-mx.example', action: 'failed', status: '5.1.10' }));
    expect(nullMx).toContain('null MX (RFC 7505)');
  });

  it('says a message too big for the receiver (X.3.4) is too big, not a fault of the receiving system', () => {
    const tooBig = dsnHumanText(report({ finalRecipient: 'bob@example.net', action: 'failed', status: '5.3.4', remoteMta: 'mx.example.net', diagnosticCode: 'smtp; 552 5.3.4 Message size exceeds fixed limit' }));
    expect(tooBig).toContain('What to do: The message is bigger than the receiving system takes');
    expect(tooBig).not.toContain('a problem of its own');
  });
});
