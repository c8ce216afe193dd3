/**
 * The class join code: short enough to read off a projector, from an alphabet without look-alikes
 * (no 0/O, 1/I/L), so 31^6 ≈ 887 million codes. With joins limited per address (see
 * attempt-limits.ts) guessing one is hopeless.
 */
import { randomInt } from 'node:crypto';

export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

/** A fresh random join code. */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** What a student typed, as a code: upper case, spaces and dashes ignored ("abc-def" → "ABCDEF"). */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}
