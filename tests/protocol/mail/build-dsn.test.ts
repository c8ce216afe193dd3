import { readFileSync } from 'node:fs';
import { simpleParser as mailparserParse, type Attachment } from 'mailparser';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildDsn } from '../../../protocol/mail/dsn/build-dsn.ts';
import type { DsnInput } from '../../../protocol/mail/dsn/dsn-types.ts';
import { shouldBounce } from '../../../protocol/mail/dsn/should-bounce.ts';
import { readHeaderFields } from '../../../protocol/mail/header-fields.ts';

// keepDeliveryStatus: the report part as an attachment, not appended to the text.
const simpleParser = (source: string | Buffer) => mailparserParse(source, { keepDeliveryStatus: true });

const REMOTE_WORDS = '550 5.1.1 <dave@example.net>: Recipient address rejected: User unknown in local recipient table';
const ORIGINAL_HEADERS = [
  'Received: from client.example (unknown [192.0.2.50])',
  '\tby mx.example.com (Postfix) with ESMTPSA id 4A1B2C3D;',
  '\tMon,  7 Dec 2026 14:00:00 +0000 (UTC)',
  'From: Alice <alice@example.com>',
  'To: dave@example.net',
  'Subject: Lunch on Friday?',
  'Message-ID: <lunch-1@example.com>',
  '',
].join('\r\n');

const failed: DsnInput = {
  reportingMta: 'mx.example.com',
  arrivalDate: new Date('2026-12-07T14:00:00Z'),
  originalEnvelopeId: 'QQ314159',
  recipients: [{
    finalRecipient: 'dave@example.net',
    action: 'failed',
    status: '5.1.1',
    remoteMta: 'mx.example.net',
    diagnosticCode: `smtp; ${REMOTE_WORDS}`,
    lastAttemptDate: new Date('2026-12-07T14:00:02Z'),
  }],
  originalHeaders: ORIGINAL_HEADERS,
  originalEnvelopeFrom: 'alice@example.com',
  to: 'alice@example.com',
  from: 'MAILER-DAEMON@mx.example.com',
  date: new Date('2026-12-07T14:00:03Z'),
  messageId: '20261207140003.dsn1@mx.example.com',
};

/** The header blocks of a message/delivery-status body (RFC 3464 §2.1), each as name → value. */
function statusBlocks(body: string): Map<string, string>[] {
  return body.trim().split(/\r\n\r\n/).map((block) => new Map(readHeaderFields(block).map(({ name, value }) => [name.toLowerCase(), value])));
}

const byType = (attachments: Attachment[], type: string): string => {
  const found = attachments.find((attachment) => attachment.contentType === type);
  if (found === undefined) throw new Error(`no ${type} part among ${attachments.map((a) => a.contentType).join(', ')}`);
  return found.content.toString('utf8');
};

describe('buildDsn', () => {
  it('writes a multipart/report that mailparser reads into every RFC 3464 field', async () => {
    const raw = buildDsn(failed);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.from?.value[0]?.address).toBe('MAILER-DAEMON@mx.example.com');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe('alice@example.com');
    expect(parsed.messageId).toBe('<20261207140003.dsn1@mx.example.com>');
    expect(parsed.date?.toISOString()).toBe('2026-12-07T14:00:03.000Z');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    const contentType = parsed.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(contentType.value).toBe('multipart/report');
    expect(contentType.params['report-type']).toBe('delivery-status');

    expect(parsed.text).toContain('<dave@example.net>: could not be delivered (status 5.1.1).');
    expect(parsed.text).toContain(`The server mx.example.net answered:\n    ${REMOTE_WORDS}`);
    expect(parsed.text).toContain('What to do: The address itself was refused');
    expect(parsed.text).toContain('<alice@example.com>, the envelope sender (MAIL FROM)');

    const [perMessage, recipient, ...rest] = statusBlocks(byType(parsed.attachments, 'message/delivery-status'));
    expect(rest).toEqual([]);
    expect(Object.fromEntries(perMessage ?? [])).toEqual({
      'reporting-mta': 'dns; mx.example.com',
      'original-envelope-id': 'QQ314159',
      'arrival-date': 'Mon, 7 Dec 2026 14:00:00 +0000',
    });
    expect(Object.fromEntries(recipient ?? [])).toEqual({
      'final-recipient': 'rfc822; dave@example.net',
      action: 'failed',
      status: '5.1.1',
      'remote-mta': 'dns; mx.example.net',
      'diagnostic-code': `smtp; ${REMOTE_WORDS}`,
      'last-attempt-date': 'Mon, 7 Dec 2026 14:00:02 +0000',
    });
    expect(byType(parsed.attachments, 'text/rfc822-headers')).toBe(`${ORIGINAL_HEADERS.trimEnd()}\r\n`);
  });

  it('reads the same in postal-mime, the parser the page uses', async () => {
    const email = await PostalMime.parse(buildDsn(failed), { attachmentEncoding: 'utf8' });
    expect(email.subject).toBe('Undelivered Mail Returned to Sender');
    expect(email.text).toContain(REMOTE_WORDS);
    const types = email.attachments.map((attachment) => attachment.mimeType);
    expect(types).toEqual(['message/delivery-status', 'text/rfc822-headers']);
    expect(String(email.attachments[0]?.content)).toContain(`Diagnostic-Code: smtp; ${REMOTE_WORDS}`);
    expect(String(email.attachments[1]?.content)).toContain('Subject: Lunch on Friday?');
  });

  it('keeps CRLF line ends, lines within 998 octets, and a long remote reply exact after unfolding', async () => {
    const longWords = `550 5.7.1 ${'policy words '.repeat(120).trim()}`;
    const raw = buildDsn({ ...failed, recipients: [{ ...failed.recipients[0]!, status: '5.7.1', diagnosticCode: `smtp; ${longWords}` }] });
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    const [, recipient] = statusBlocks(byType(parsed.attachments, 'message/delivery-status'));
    expect(recipient?.get('diagnostic-code')).toBe(`smtp; ${longWords}`);
    expect(parsed.text).toContain("What to do: The receiver's policy or security checks refused it");
  });

  it('reports a 4xx as delayed, with Will-Retry-Until, and says nothing needs doing yet', async () => {
    const raw = buildDsn({
      ...failed,
      recipients: [{
        finalRecipient: 'bob@example.org',
        action: 'delayed',
        status: '4.7.1',
        remoteMta: 'mx1.example.org',
        diagnosticCode: 'smtp; 450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/',
        lastAttemptDate: new Date('2026-12-07T14:05:00Z'),
        willRetryUntil: new Date('2026-12-12T14:00:00Z'),
      }],
    });
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Delayed Mail (still being retried)');
    expect(parsed.text).toContain('has not been delivered yet');
    expect(parsed.text).toContain('this system will retry until Sat, 12 Dec 2026 14:00:00 +0000');
    const [, recipient] = statusBlocks(byType(parsed.attachments, 'message/delivery-status'));
    expect(recipient?.get('action')).toBe('delayed');
    expect(recipient?.get('will-retry-until')).toBe('Sat, 12 Dec 2026 14:00:00 +0000');
    expect(recipient?.get('diagnostic-code')).toContain('Greylisted, see https://postgrey.schweikert.ch/');
  });

  it('writes one block per recipient, separated by empty lines', async () => {
    const raw = buildDsn({
      ...failed,
      recipients: [
        failed.recipients[0]!,
        { finalRecipient: 'carol@example.net', action: 'delivered', status: '2.0.0', remoteMta: 'mx.example.net', diagnosticCode: 'smtp; 250 2.0.0 Ok: queued as 7904A16C052' },
        { finalRecipient: 'erin@example.org', action: 'delayed', status: '4.4.1', diagnosticCode: 'connection refused by mx1.example.org' },
      ],
    });
    const parsed = await simpleParser(raw);
    const blocks = statusBlocks(byType(parsed.attachments, 'message/delivery-status'));
    expect(blocks.map((block) => block.get('final-recipient'))).toEqual([undefined, 'rfc822; dave@example.net', 'rfc822; carol@example.net', 'rfc822; erin@example.org']);
    expect(blocks.map((block) => block.get('action'))).toEqual([undefined, 'failed', 'delivered', 'delayed']);
    // A code given without its type is an SMTP one (RFC 3464 §2.3.6).
    expect(blocks[3]?.get('diagnostic-code')).toBe('smtp; connection refused by mx1.example.org');
    expect(blocks[3]?.has('remote-mta')).toBe(false);
    expect(parsed.text).toContain('<carol@example.net>: was delivered (status 2.0.0).');
  });

  it('chooses a boundary that none of the parts contains', async () => {
    const boundary = '=_dsn_20261207140003.dsn1_mx.example.com';
    const raw = buildDsn({ ...failed, originalHeaders: `${ORIGINAL_HEADERS}X-Trap: --${boundary}\r\n` });
    expect(raw).toContain(`boundary="${boundary}_1"`);
    const parsed = await simpleParser(raw);
    expect(byType(parsed.attachments, 'text/rfc822-headers')).toContain(`X-Trap: --${boundary}`);
  });

  it('keeps line breaks in a value from starting a new header field', () => {
    const raw = buildDsn({ ...failed, to: 'alice@example.com\r\nBcc: mallory@example.net' });
    expect(raw).not.toMatch(/^Bcc:/m);
  });

  it('refuses a status that does not match the action or is not an RFC 3463 code', () => {
    const recipient = failed.recipients[0]!;
    expect(() => buildDsn({ ...failed, recipients: [{ ...recipient, status: '4.1.1' }] })).toThrow(/failed needs a 5\.x\.x status/);
    expect(() => buildDsn({ ...failed, recipients: [{ ...recipient, status: '550' }] })).toThrow(/not an enhanced status code/);
    expect(() => buildDsn({ ...failed, recipients: [] })).toThrow(/at least one recipient/);
  });

  it('has the structure of the bounce the real Postfix 3.7 wrote (tests/fixtures/mail/postfix-bounce.eml)', async () => {
    const postfix = await simpleParser(readFileSync(new URL('../../fixtures/mail/postfix-bounce.eml', import.meta.url)));
    const ours = await simpleParser(buildDsn(failed));
    for (const name of ['auto-submitted', 'mime-version']) expect(ours.headers.get(name)).toEqual(postfix.headers.get(name));
    const reportType = (parsed: typeof ours) => (parsed.headers.get('content-type') as { params: Record<string, string> }).params['report-type'];
    expect(reportType(ours)).toBe(reportType(postfix));
    expect(ours.subject).toBe(postfix.subject);
    const perRecipientNames = (parsed: typeof ours) => [...(statusBlocks(byType(parsed.attachments, 'message/delivery-status'))[1]?.keys() ?? [])];
    // Postfix adds Original-Recipient; both have the RFC 3464 required fields in the same order.
    const required = ['final-recipient', 'action', 'status'];
    expect(perRecipientNames(postfix).filter((name) => required.includes(name))).toEqual(required);
    expect(perRecipientNames(ours).filter((name) => required.includes(name))).toEqual(required);
  });
});

describe('shouldBounce', () => {
  it('never bounces a message whose envelope sender is the null path', () => {
    expect(shouldBounce('<>')).toBe(false);
    expect(shouldBounce('')).toBe(false);
    expect(shouldBounce(' <> ')).toBe(false);
    expect(shouldBounce('alice@example.com')).toBe(true);
    expect(shouldBounce('<alice@example.com>')).toBe(true);
  });
});
