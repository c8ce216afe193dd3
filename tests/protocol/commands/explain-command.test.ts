import { describe, expect, it } from 'vitest';
import { explainCommand, parseCommand, VERB_INFO, VERBS } from '../../../protocol/commands/index.ts';

function explain(line: string): string {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`${line}: ${result.error.message}`);
  return explainCommand(result.command);
}

describe('explainCommand', () => {
  it('explains MAIL with its sender and SIZE', () => {
    expect(explain('MAIL FROM:<a@b.example> SIZE=1000')).toBe(
      'Starts a new mail transaction with envelope sender <a@b.example> (the return path where bounces go; not the From: header). SIZE=1000 declares the message size in advance (RFC 1870) so the server can refuse early.',
    );
  });

  it('explains the null reverse-path', () => {
    const text = explain('MAIL FROM:<>');
    expect(text).toContain('null reverse-path');
    expect(text).toContain('RFC 5321 §4.5.5');
  });

  it('decodes AUTH PLAIN and shows only the password length', () => {
    const text = explain('AUTH PLAIN AGFsaWNlAHNlY3JldA==');
    expect(text).toContain('encoding, not encryption');
    expect(text).toContain('"alice"');
    expect(text).toContain('password of 6 characters');
    expect(text).not.toContain('secret');
  });

  it('says a malformed PLAIN response will be refused', () => {
    expect(explain('AUTH PLAIN YWxpY2U=')).toContain('something other than the three NUL-separated fields');
  });

  it('explains how DATA ends', () => {
    const text = explain('DATA');
    expect(text).toContain('only a dot');
    expect(text).toContain('no "END DATA" command');
  });

  it('explains RCPT parameters and the postmaster address', () => {
    expect(explain('RCPT TO:<b@x.example> NOTIFY=FAILURE,DELAY')).toContain('on failure, when delivery is delayed');
    expect(explain('RCPT TO:<b@x.example> ORCPT=rfc822;b+2Bx@x.example')).toContain('b+x@x.example');
    expect(explain('RCPT TO:<Postmaster>')).toContain('every server must accept');
  });

  it('explains the remaining verbs with their arguments', () => {
    expect(explain('EHLO client.example.com')).toContain('client.example.com');
    expect(explain('EHLO client.example.com')).toContain('not an email address');
    expect(explain('QUIT')).toContain('221');
    expect(explain('VRFY alice')).toContain('"alice"');
    expect(explain('STARTTLS')).toContain('EHLO');
    expect(explain('BDAT 86 LAST')).toContain('86 octets');
    expect(explain('AUTH LOGIN YWxpY2U=')).toContain('"alice"');
    expect(explain('NOOP ping')).toContain('"ping" is ignored');
  });
});

describe('VERB_INFO', () => {
  it.each(VERBS)('%s has an example that parses to the same verb', (verb) => {
    const info = VERB_INFO[verb];
    const result = parseCommand(info.example);
    expect(result.ok && result.command.verb).toBe(verb);
    expect(result.ok && result.warnings).toEqual([]);
    expect(info.syntax.startsWith(verb)).toBe(true);
    expect(info.rfc).toMatch(/^RFC \d+ §/);
  });

  it('names the extensions that must be advertised', () => {
    expect(VERB_INFO.AUTH.extension).toBe('AUTH');
    expect(VERB_INFO.STARTTLS.extension).toBe('STARTTLS');
    expect(VERB_INFO.BDAT.extension).toBe('CHUNKING');
    expect(VERB_INFO.MAIL.extension).toBeNull();
  });
});
