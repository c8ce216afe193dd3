import { describe, expect, it } from 'vitest';
import { parseAuthResponse } from '../../../protocol/commands/index.ts';

describe('parseAuthResponse', () => {
  it('treats * as a cancel (RFC 4954 §4)', () => {
    expect(parseAuthResponse('*')).toEqual({ kind: 'cancel' });
    expect(parseAuthResponse(' * ')).toEqual({ kind: 'cancel' });
  });

  it('decodes base64 to UTF-8 text, keeping NULs', () => {
    expect(parseAuthResponse('AGFsaWNlAHNlY3JldA==')).toEqual({ kind: 'base64', value: 'AGFsaWNlAHNlY3JldA==', decoded: '\0alice\0secret' });
    expect(parseAuthResponse('w6k=')).toEqual({ kind: 'base64', value: 'w6k=', decoded: 'é' });
  });

  it('accepts an empty line as an empty response', () => {
    expect(parseAuthResponse('')).toEqual({ kind: 'base64', value: '', decoded: '' });
  });

  it('accepts base64 without padding, as smtp-server does', () => {
    expect(parseAuthResponse('YQ')).toEqual({ kind: 'base64', value: 'YQ', decoded: 'a' });
  });

  it('points at the first character outside the base64 alphabet', () => {
    const response = parseAuthResponse('alice!');
    expect(response.kind).toBe('invalid');
    if (response.kind !== 'invalid') return;
    expect(response.error.code).toBe('invalid-base64');
    expect(response.error.range).toEqual({ start: 5, end: 6 });
    expect(response.error.fix).toContain('"*"');
  });

  it('refuses padding in the middle and a wrong length', () => {
    const middle = parseAuthResponse('AAA=BBBB');
    expect(middle.kind === 'invalid' && middle.error.range).toEqual({ start: 3, end: 4 });
    const length = parseAuthResponse('YWxpY');
    expect(length.kind === 'invalid' && length.error.range).toEqual({ start: 0, end: 5 });
  });

  it('explains that "=" is only for the AUTH line itself', () => {
    const response = parseAuthResponse('=');
    expect(response.kind === 'invalid' && response.error.message).toContain('empty line');
  });

  it('refuses control characters', () => {
    const response = parseAuthResponse('YWxp\u0000Y2U=');
    expect(response.kind === 'invalid' && response.error.code).toBe('control-character');
  });
});
