import { describe, expect, it } from 'vitest';
import { parseCommand, type CommandSyntaxError } from '../../../protocol/commands/index.ts';

function errorOf(line: string): CommandSyntaxError {
  const result = parseCommand(line);
  if (result.ok) throw new Error(`expected an error for ${line}`);
  return result.error;
}

function warningsOf(line: string): readonly CommandSyntaxError[] {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`expected ${line} to parse: ${result.error.message}`);
  return result.warnings;
}

describe('learner-facing messages', () => {
  it('asks for angle brackets, with the learner\'s own address in the fix', () => {
    const error = errorOf('MAIL FROM:carol@example.net');
    expect(error.message).toBe('The address must be inside angle brackets.');
    expect(error.fix).toBe('Write it as `MAIL FROM:<carol@example.net>`.');
  });

  it('uses a default address when the learner gave none', () => {
    expect(errorOf('MAIL FROM:').fix).toBe('Write it as `MAIL FROM:<alice@example.com>`.');
    expect(errorOf('RCPT TO:').fix).toBe('Write it as `RCPT TO:<bob@example.com>`.');
  });

  it('turns "MAIL alice@x" into MAIL FROM:<alice@x>', () => {
    const error = errorOf('MAIL alice@x');
    expect(error.code).toBe('missing-from-keyword');
    expect(error.fix).toBe('Write it as `MAIL FROM:<alice@x>`.');
  });

  it('explains an empty RCPT TO:', () => {
    expect(errorOf('RCPT TO:').message).toContain('recipient\'s address is missing');
  });

  it('says EHLO names the client\'s own host, not an email address', () => {
    expect(errorOf('EHLO').message).toContain('your client\'s own host');
    expect(errorOf('EHLO').message).toContain('[192.0.2.1]');
    const [warning] = warningsOf('EHLO alice@example.com');
    expect(warning?.message).toContain('not your email address');
    expect(warning?.fix).toContain('MAIL FROM:<alice@example.com>');
  });

  it('suggests the verb for a typo, keeping the rest of the line', () => {
    const error = errorOf('EHLLO client.example.com');
    expect(error.message).toContain('Did you mean EHLO?');
    expect(error.fix).toBe('Write it as `EHLO client.example.com`.');
    expect(errorOf('RCTP TO:<b@example.com>').message).toContain('Did you mean RCPT?');
    expect(errorOf('RESET').message).toContain('Did you mean RSET?');
  });

  it('suggests FROM for "MAIL FORM:"', () => {
    const error = errorOf('MAIL FORM:<alice@example.com>');
    expect(error.message).toContain('Did you mean MAIL FROM:?');
    expect(error.fix).toBe('Write it as `MAIL FROM:<alice@example.com>`.');
  });

  it('says that MAIL TO: should be RCPT TO:', () => {
    expect(errorOf('MAIL TO:<bob@example.com>').message).toContain('RCPT TO:');
  });

  it('explains the lone dot and the missing END command', () => {
    expect(errorOf('END DATA').message).toContain('There is no END command');
    expect(errorOf('.').message).toContain('only after DATA');
  });

  it('explains a space after the colon as an RFC rule that servers tolerate', () => {
    const [warning] = warningsOf('MAIL FROM: <alice@example.com>');
    expect(warning?.code).toBe('space-after-colon');
    expect(warning?.message).toContain('RFC 5321');
    expect(warning?.range).toEqual({ start: 10, end: 11 });
  });

  it('names the control character it found', () => {
    expect(errorOf('EHLO\tx').message).toContain('tab (U+0009)');
    expect(errorOf('NOOP \u0001').message).toContain('U+0001');
  });

  it('warns about long lines with the sandbox limit, and keeps AUTH to the RFC 5321 limit', () => {
    const [long] = warningsOf(`NOOP ${'x'.repeat(600)}`);
    expect(long?.code).toBe('line-too-long');
    expect(long?.message).toContain('2048');
    expect(long?.range).toEqual({ start: 510, end: 605 });
    const [huge] = warningsOf(`NOOP ${'x'.repeat(3000)}`);
    expect(huge?.message).toContain('421');
    const [auth] = warningsOf(`AUTH PLAIN ${'A'.repeat(600)}`);
    expect(auth?.message).toContain('RFC 4954');
    expect(auth?.message).toContain('334');
  });

  it('counts octets, not characters, against the line limit', () => {
    expect(warningsOf(`NOOP ${'é'.repeat(252)}`)).toEqual([]);
    expect(warningsOf(`NOOP ${'é'.repeat(253)}`).map((w) => w.code)).toEqual(['line-too-long']);
  });

  it('shows how PLAIN credentials are encoded when AUTH has two words too many', () => {
    const error = errorOf('AUTH PLAIN alice secret');
    expect(error.message).toContain('\\0user\\0password');
    expect(error.fix).toContain('AGFsaWNlAHNlY3JldA==');
  });

  it('offers the base64 of the user name for AUTH LOGIN with plain text', () => {
    expect(errorOf('AUTH LOGIN alice').fix).toContain('AUTH LOGIN YWxpY2U=');
  });

  it('keeps quoted examples short for huge lines', () => {
    const error = errorOf(`MAIL FROM:${'a'.repeat(100_000)}`);
    expect(error.fix.length).toBeLessThan(200);
  });
});

describe('error metadata', () => {
  it('names the verb when the line began with a known one', () => {
    const result = parseCommand('EHLO\tclient');
    expect(!result.ok && result.error.verb).toBe('EHLO');
    const unknown = parseCommand('FOO bar');
    expect(!unknown.ok && unknown.error.verb).toBeNull();
  });
});

describe('envelope commands typed without their verb', () => {
  it('adds MAIL or RCPT in front of FROM:<…> and TO:<…>', () => {
    expect(errorOf('FROM:<a@b.example>').fix).toBe('Write it as `MAIL FROM:<a@b.example>`.');
    expect(errorOf('to:<b@c.example>').fix).toBe('Write it as `RCPT to:<b@c.example>`.');
    expect(errorOf('From: Alice <a@b.example>').message).toContain('belongs inside the message, after DATA');
  });

  it('points at a doubled closing bracket', () => {
    const error = errorOf('MAIL FROM:<alice@example.com>>');
    expect(error.range).toEqual({ start: 29, end: 30 });
    expect(error.fix).toBe('Write it as `MAIL FROM:<alice@example.com>`.');
  });
});
