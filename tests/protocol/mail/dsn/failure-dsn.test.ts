import { describe, expect, it } from 'vitest';
import { dsnHumanText } from '../../../../protocol/mail/dsn/dsn-human-text.ts';
import { failureDiagnostic, failureDsnInput } from '../../../../protocol/mail/dsn/failure-dsn.ts';

describe('failureDiagnostic: who said it (RFC 3464 §2.3.5, §2.3.6)', () => {
  it('types a remote server\'s reply as smtp and names it as the Remote-MTA', () => {
    expect(failureDiagnostic('550 5.1.1 <dave@example.net>: Recipient address rejected: User unknown', 'mx.example.net')).toEqual({
      remoteMta: 'mx.example.net',
      diagnosticCode: 'smtp; 550 5.1.1 <dave@example.net>: Recipient address rejected: User unknown',
    });
  });

  it('types the relay\'s own words as X-SMTP-Lab, with no Remote-MTA, even when they look like a reply', () => {
    expect(failureDiagnostic('556 5.1.10 Recipient address has null MX (RFC 7505: null-mx.example takes no mail)', null)).toEqual({
      remoteMta: null,
      diagnosticCode: 'X-SMTP-Lab; 556 5.1.10 Recipient address has null MX (RFC 7505: null-mx.example takes no mail)',
    });
    // A host was tried but never replied: it is not a Remote-MTA's answer.
    expect(failureDiagnostic('cannot connect to mx.example.net [198.51.100.20]: connect ECONNREFUSED', 'mx.example.net')).toEqual({
      remoteMta: null,
      diagnosticCode: 'X-SMTP-Lab; cannot connect to mx.example.net [198.51.100.20]: connect ECONNREFUSED',
    });
    expect(failureDiagnostic('', null)).toEqual({ remoteMta: null, diagnosticCode: null });
  });

  it('the human part quotes the lab\'s words without their type', () => {
    const input = failureDsnInput({
      reportingMta: 'mail.example.com',
      mailerDaemonHost: 'mail.example.com',
      originalSender: 'alice@example.com',
      finalRecipient: 'bob@loop.example',
      status: '5.4.6',
      ...failureDiagnostic('554 5.4.6 mail for loop.example loops back to myself', null),
      arrivalDate: new Date(0),
      date: new Date(0),
      originalHeaders: 'Subject: hi',
      messageId: 'dsn.1@mail.example.com',
    });
    const text = dsnHumanText(input);
    expect(text).toContain('No server was reached; the reason given:');
    expect(text).toContain('    554 5.4.6 mail for loop.example loops back to myself');
    expect(text).not.toContain('X-SMTP-Lab');
  });
});
