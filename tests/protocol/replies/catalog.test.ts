import { describe, expect, it } from 'vitest';
import {
  ENHANCED_CODE_ENTRIES,
  explainEnhancedCode,
  explainReplyCode,
  REPLY_CODE_CATALOG,
} from '../../../protocol/replies/index.ts';
import type { ReplyCodeEntry } from '../../../protocol/replies/index.ts';

// RFC 5321 §4.2.3, plus the codes AUTH (RFC 4954), STARTTLS (RFC 3207) and null MX (RFC 7504) add.
const GENERAL_CODES = [
  211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 550, 551, 552, 553,
  554, 555, 235, 334, 432, 454, 530, 534, 535, 538, 521, 556,
];
const COMMAND_CODES: Array<[number, string]> = [
  [220, 'STARTTLS'],
  [454, 'STARTTLS'],
  [501, 'STARTTLS'],
  [454, 'AUTH'],
  [500, 'AUTH'],
  [501, 'AUTH'],
  [503, 'AUTH'],
  [504, 'AUTH'],
  [552, 'MAIL'],
  [452, 'MAIL'],
  [552, 'DATA'],
  [452, 'RCPT'],
  [552, 'RCPT'],
];

function expectComplete(entry: ReplyCodeEntry): void {
  for (const field of [entry.title, entry.meaning, entry.typicalCause, entry.clientAction]) {
    expect(field.trim().length).toBeGreaterThan(0);
  }
  expect(entry.rfc).toMatch(/^RFC \d{3,4}( §[\d.]+)?/);
}

describe('reply code catalog', () => {
  it.each(GENERAL_CODES)('explains %i with every field and an RFC reference', (code) => {
    const entry = explainReplyCode(code);
    expect(entry.code).toBe(code);
    expect(entry.command).toBeUndefined();
    expect(entry.title).not.toMatch(/^Unlisted/);
    expectComplete(entry);
  });

  it.each(COMMAND_CODES)('explains %i in answer to %s', (code, command) => {
    const entry = explainReplyCode(code, command.toLowerCase());
    expect(entry).toMatchObject({ code, command });
    expectComplete(entry);
  });

  it('falls back to the general meaning for other commands', () => {
    expect(explainReplyCode(220, 'EHLO')).toBe(explainReplyCode(220));
    expect(explainReplyCode(220, 'STARTTLS')).not.toBe(explainReplyCode(220));
  });

  it('has one entry per code and command', () => {
    const keys = REPLY_CODE_CATALOG.map((e) => `${e.code} ${e.command ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of REPLY_CODE_CATALOG) expectComplete(entry);
  });

  it('explains every integer from 200 to 599', () => {
    for (let code = 200; code <= 599; code++) {
      const entry = explainReplyCode(code);
      expect(entry.code).toBe(code);
      expectComplete(entry);
    }
  });

  it('builds unlisted codes from their first two digits', () => {
    expect(explainReplyCode(212)).toMatchObject({ title: 'Unlisted code (information)', rfc: 'RFC 5321 §4.2.1' });
    expect(explainReplyCode(212).meaning).toMatch(/^Success/);
    expect(explainReplyCode(422).title).toBe('Unlisted code (about the connection)');
    expect(explainReplyCode(422).meaning).toMatch(/^Temporary failure/);
    expect(explainReplyCode(559).title).toBe('Unlisted code (about the mail system)');
    expect(explainReplyCode(507).title).toBe('Unlisted code (about syntax)');
    expect(explainReplyCode(280).title).toMatch(/second digit 8, which RFC 5321 does not define/);
  });

  it('explains non-codes without throwing', () => {
    for (const code of [0, 99, 600, 1000, -1, 250.5, Number.NaN]) {
      expect(explainReplyCode(code).title).toBe('Not an SMTP reply code');
    }
  });

  it('uses the RFC wording for the titles learners meet most', () => {
    expect(explainReplyCode(250).title).toBe('Requested mail action okay, completed');
    expect(explainReplyCode(421).title).toBe('<domain> Service not available, closing transmission channel');
    expect(explainReplyCode(552).title).toBe('Requested mail action aborted: exceeded storage allocation');
    expect(explainReplyCode(552).rfc).toContain('RFC 1870');
    expect(explainReplyCode(555).title).toBe('MAIL FROM/RCPT TO parameters not recognized or not implemented');
    expect(explainReplyCode(251).title).toBe('User not local; will forward to <forward-path>');
    expect(explainReplyCode(551).title).toBe('User not local; please try <forward-path>');
    expect(explainReplyCode(452, 'RCPT').rfc).toBe('RFC 5321 §4.5.3.1.10');
    expect(explainReplyCode(220, 'STARTTLS').title).toBe('Ready to start TLS');
    expect(explainReplyCode(535).title).toBe('Authentication credentials invalid');
    expect(explainReplyCode(538).title).toBe('Encryption required for requested authentication mechanism');
  });

  it('says where smtp-server differs from the RFC', () => {
    expect(explainReplyCode(500).smtpServer).toContain('Error: command not recognized');
    expect(explainReplyCode(500).smtpServer).toContain('421');
    expect(explainReplyCode(252).smtpServer).toContain('Try to send something');
    expect(explainReplyCode(538).smtpServer).toContain('Must issue a STARTTLS command first');
  });
});

// At least these registry entries must be explained (RFC 3463, RFC 4954, RFC 5248 registry).
const REQUIRED_DETAILS = [
  'X.0.0',
  ...Array.from({ length: 11 }, (_, d) => `X.1.${d}`),
  ...Array.from({ length: 5 }, (_, d) => `X.2.${d}`),
  ...Array.from({ length: 6 }, (_, d) => `X.3.${d}`),
  ...Array.from({ length: 8 }, (_, d) => `X.4.${d}`),
  ...Array.from({ length: 7 }, (_, d) => `X.5.${d}`),
  ...Array.from({ length: 10 }, (_, d) => `X.6.${d}`),
  ...Array.from({ length: 28 }, (_, d) => `X.7.${d}`),
];

describe('enhanced status code catalog', () => {
  it.each(REQUIRED_DETAILS)('explains %s', (code) => {
    const entry = ENHANCED_CODE_ENTRIES.get(code);
    expect(entry?.code).toBe(code);
    expect(entry?.title.length).toBeGreaterThan(0);
    expect(entry?.meaning.length).toBeGreaterThan(0);
    expect(entry?.rfc).toMatch(/^RFC \d{4}/);
  });

  it('keys every entry by its own code', () => {
    for (const [key, entry] of ENHANCED_CODE_ENTRIES) {
      expect(entry.code).toBe(key);
      expect(key).toMatch(/^X\.[0-7]\.\d{1,3}$/);
    }
  });

  const known: Array<[string, string]> = [
    ['5.7.8', 'Authentication credentials invalid'],
    ['5.7.11', 'Encryption required for requested authentication mechanism'],
    ['5.3.4', 'Message too big for system'],
    ['4.7.0', 'Other or undefined security status'],
    ['5.5.1', 'Invalid command'],
    ['5.5.2', 'Syntax error'],
    ['5.5.4', 'Invalid command arguments'],
    ['5.1.1', 'Bad destination mailbox address'],
    ['5.1.3', 'Bad destination mailbox address syntax'],
    ['2.1.5', 'Destination address valid'],
    ['4.5.3', 'Too many recipients'],
    ['5.1.10', 'Recipient address has null MX'],
  ];
  it.each(known)('explains %s as %s', (code, title) => {
    expect(explainEnhancedCode(code).detail?.title).toBe(title);
  });

  it('explains class and subject', () => {
    const explained = explainEnhancedCode('4.2.2');
    expect(explained.classMeaning).toMatch(/^Persistent transient failure/);
    expect(explained.subjectMeaning).toMatch(/^Mailbox status/);
    expect(explained.detail?.title).toBe('Mailbox full');
    expect(explainEnhancedCode('2.0.0').classMeaning).toBe('Success');
    expect(explainEnhancedCode('5.0.0').classMeaning).toMatch(/^Permanent failure/);
  });

  it('accepts a parsed code', () => {
    expect(explainEnhancedCode({ statusClass: 5, subject: 7, detail: 8, text: '5.7.8' }).detail?.code).toBe('X.7.8');
  });

  it('has no detail for unregistered codes, and says so for non-codes', () => {
    expect(explainEnhancedCode('5.7.999').detail).toBeNull();
    expect(explainEnhancedCode('5.9.1').subjectMeaning).toMatch(/Subject 9/);
    expect(explainEnhancedCode('hello')).toEqual({
      classMeaning: expect.stringMatching(/^Not an enhanced status code/),
      subjectMeaning: '',
      detail: null,
    });
  });

  it('leaves out the deprecated X.6.10', () => {
    expect(ENHANCED_CODE_ENTRIES.has('X.6.10')).toBe(false);
  });
});
