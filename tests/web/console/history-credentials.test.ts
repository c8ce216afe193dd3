import { describe, expect, it } from 'vitest';
import { base64Utf8, encodeLogin, encodePlain } from '../../../web/src/console/credentials.ts';
import { CommandHistory } from '../../../web/src/console/history.ts';
import { quickFixLine } from '../../../web/src/console/quick-fix.ts';
import { parseCommand } from '../../../protocol/commands/index.ts';

describe('CommandHistory', () => {
  it('browses older and newer lines and restores the draft', () => {
    const history = new CommandHistory();
    history.add('EHLO a');
    history.add('MAIL FROM:<a@b.c>');
    history.add('MAIL FROM:<a@b.c>');
    history.add('   ');
    expect(history.entries).toEqual(['EHLO a', 'MAIL FROM:<a@b.c>']);
    expect(history.previous('RC')).toBe('MAIL FROM:<a@b.c>');
    expect(history.previous('ignored')).toBe('EHLO a');
    expect(history.previous('ignored')).toBeNull();
    expect(history.next()).toBe('MAIL FROM:<a@b.c>');
    expect(history.next()).toBe('RC');
    expect(history.next()).toBeNull();
  });

  it('keeps at most `limit` entries', () => {
    const history = new CommandHistory(2);
    for (const line of ['a', 'b', 'c']) history.add(line);
    expect(history.entries).toEqual(['b', 'c']);
  });
});

describe('credentials', () => {
  it('encodes PLAIN as \\0user\\0password (RFC 4616)', () => {
    expect(encodePlain('student', 'learn-smtp')).toBe('AHN0dWRlbnQAbGVhcm4tc210cA==');
  });

  it('encodes LOGIN answers separately, UTF-8 included', () => {
    expect(encodeLogin('alice', 'wonderland')).toEqual({ user: 'YWxpY2U=', password: 'd29uZGVybGFuZA==' });
    expect(base64Utf8('jörg')).toBe('asO2cmc=');
  });
});

describe('quickFixLine', () => {
  it('takes the corrected line from "Write it as" fixes only when it parses', () => {
    const parsed = parseCommand('RCPT bob@x.org');
    if (parsed.ok) throw new Error('expected an error');
    expect(quickFixLine(parsed.error, 'RCPT bob@x.org')).toBe('RCPT TO:<bob@x.org>');
    const unknown = parseCommand('FOO');
    if (unknown.ok) throw new Error('expected an error');
    expect(quickFixLine(unknown.error, 'FOO')).toBe('EHLO client.example.com');
  });
});
