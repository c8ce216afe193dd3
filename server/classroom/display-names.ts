/**
 * Students' display names and the class addresses made from them. A name is what a person
 * types (any script, emoji, accents); a handle is its ASCII-safe form used as the local part
 * of the class address, so every mail client accepts it without SMTPUTF8 (RFC 6531).
 */

export const MAX_DISPLAY_NAME_LENGTH = 40;
const MAX_HANDLE_LENGTH = 24;

import { INSTRUCTOR_HANDLE } from './classroom-types.ts';

/** Local parts that mean something else on a mail server (RFC 2142) or in the class. */
const RESERVED_HANDLES = new Set(['postmaster', 'abuse', 'hostmaster', 'webmaster', 'mailer-daemon', 'nobody', 'root', 'admin', 'noreply', INSTRUCTOR_HANDLE]);

export type NameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly message: string };

/**
 * Cleans and checks a display name: NFC, white space runs collapsed to one space, 1 to 40
 * characters, no control characters and no bidirectional overrides (which can make a name
 * display as another one).
 */
export function checkDisplayName(input: unknown): NameCheck {
  if (typeof input !== 'string') return { ok: false, message: 'Give your name as text.' };
  const name = input.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) return { ok: false, message: 'Type a name so your instructor knows who you are.' };
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH) {
    return { ok: false, message: `Use at most ${MAX_DISPLAY_NAME_LENGTH} characters for your name.` };
  }
  if (/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(name)) {
    return { ok: false, message: 'Your name contains invisible control characters; type it again with letters and digits.' };
  }
  return { ok: true, name };
}

/** The key two names are compared by: "ANA", "ana" and "Ana" are the same person's name. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/**
 * A name not yet in use, from the checked name and a test for names taken: "Ana", then
 * "Ana (2)", "Ana (3)"…
 */
export async function uniqueDisplayName(name: string, taken: (key: string) => boolean | Promise<boolean>): Promise<string> {
  if (!(await taken(nameKey(name)))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const base = [...name].slice(0, MAX_DISPLAY_NAME_LENGTH - suffix.length).join('');
    const candidate = `${base}${suffix}`;
    if (!(await taken(nameKey(candidate)))) return candidate;
  }
}

/**
 * The ASCII base of a handle: accents dropped ("Zoë" → "zoe"), letters and digits kept,
 * every other run of characters one dot ("Ana María" → "ana.maria"); "student" when nothing
 * ASCII is left (a name in another script).
 */
export function handleBase(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, MAX_HANDLE_LENGTH)
    .replace(/\.+$/, '');
  return ascii === '' ? 'student' : ascii;
}

/** A handle not yet used and not reserved: "ana", then "ana2", "ana3"… */
export async function uniqueHandle(name: string, taken: (handle: string) => boolean | Promise<boolean>): Promise<string> {
  const base = handleBase(name);
  const free = async (handle: string) => !RESERVED_HANDLES.has(handle) && !(await taken(handle));
  if (await free(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`;
    if (await free(candidate)) return candidate;
  }
}

