import { describe, expect, it } from 'vitest';
import { checkDisplayName, handleBase, nameKey, uniqueDisplayName, uniqueHandle } from '../../../server/classroom/display-names.ts';
import { JOIN_CODE_ALPHABET, newJoinCode, normalizeJoinCode } from '../../../server/classroom/join-code.ts';

describe('display names', () => {
  it('are trimmed, NFC-normalized and have white space collapsed', () => {
    expect(checkDisplayName('  Ana \t  María ')).toEqual({ ok: true, name: 'Ana María' });
    expect(checkDisplayName('Zoe\u0308')).toEqual({ ok: true, name: 'Zoë' });
  });

  it.each([
    ['', 'Type a name'],
    ['   ', 'Type a name'],
    ['x'.repeat(41), 'at most 40'],
    ['Ana\u0000', 'control characters'],
    ['Ana\u202eevil', 'control characters'],
    [42, 'as text'],
  ])('refuses %j', (input, message) => {
    const result = checkDisplayName(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('accepts 40 characters of any script, counted as characters not UTF-16 units', () => {
    expect(checkDisplayName('😀'.repeat(40)).ok).toBe(true);
  });

  it('are made unique within the class, ignoring case', async () => {
    const taken = new Set([nameKey('Ana'), nameKey('ana (2)')]);
    expect(await uniqueDisplayName('ANA', (key) => taken.has(key))).toBe('ANA (3)');
    expect(await uniqueDisplayName('Bo', (key) => taken.has(key))).toBe('Bo');
  });
});

describe('handles', () => {
  it('are ASCII letters and digits joined by dots', () => {
    expect(handleBase('Ana María')).toBe('ana.maria');
    expect(handleBase('Zoë O’Brien-Smith')).toBe('zoe.o.brien.smith');
    expect(handleBase('  _Max_ 2 ')).toBe('max.2');
    expect(handleBase('王小明')).toBe('student');
    expect(handleBase('a'.repeat(50))).toHaveLength(24);
  });

  it('are unique and never a reserved mailbox name', async () => {
    const taken = new Set(['ana', 'ana2']);
    expect(await uniqueHandle('Ana', (handle) => taken.has(handle))).toBe('ana3');
    expect(await uniqueHandle('Postmaster', () => false)).toBe('postmaster2');
    expect(await uniqueHandle('Instructor', () => false)).toBe('instructor2');
  });
});

describe('join codes', () => {
  it('are 6 characters from an alphabet without look-alikes', () => {
    for (let i = 0; i < 50; i++) expect(newJoinCode()).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{6}$`));
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('are read case-insensitively, with spaces and dashes ignored', () => {
    expect(normalizeJoinCode(' abc-d ef ')).toBe('ABCDEF');
  });
});
