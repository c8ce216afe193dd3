/**
 * Which page this browser gets at start. One build serves every case: on its own (a static
 * host or `smtp-lab serve`) the learner app; on a classroom server the instructor's
 * dashboard at /instructor, the join page for a browser not in the class yet (at /join/CODE
 * with the code filled in), and the learner app in classroom mode for a student.
 */
import type { ClassroomInfo, StudentMe } from '../../../protocol/wire/classroom-contract.ts';
import type { ClassroomApi } from './classroom-api.ts';

export type PageRoute =
  | { readonly kind: 'solo' }
  /** `info` is null when the server runs no class. */
  | { readonly kind: 'instructor'; readonly info: ClassroomInfo | null }
  /** `note` says why a browser the class knows could not be let in. */
  | { readonly kind: 'join'; readonly code: string; readonly info: ClassroomInfo; readonly note: string | null }
  | { readonly kind: 'student'; readonly me: StudentMe };

/**
 * Where an earlier version kept the class token. A token in storage is readable by any script
 * on the page, so the HttpOnly cookie is now the only credential and a token left here is wiped.
 */
export const LEGACY_CLASS_TOKEN_KEY = 'smtp-lab.class-token';

/** Deletes a class token an earlier version left in `storage`. */
export function forgetLegacyClassToken(storage: Storage | null): void {
  try {
    storage?.removeItem(LEGACY_CLASS_TOKEN_KEY);
  } catch {
    // Storage that refuses access holds nothing of ours either.
  }
}

/** The join code in a `/join/CODE` path, or ''. */
export function joinCodeOf(path: string): string {
  const code = /^\/join\/([^/]+)\/?$/.exec(path)?.[1];
  if (code === undefined) return '';
  try {
    return decodeURIComponent(code);
  } catch {
    return '';
  }
}

/** True for the instructor's address, `/instructor` (the server prints it). */
export function isInstructorPath(path: string): boolean {
  return /^\/instructor\/?$/.test(path);
}

/**
 * Decides the page for `path`. A student is recognised by the HttpOnly cookie alone; a browser
 * without it (cleared, or another browser) joins again with the class code.
 */
export async function resolvePage(path: string, api: ClassroomApi): Promise<PageRoute> {
  const info = await api.info();
  const classroom = info.ok && info.value.mode === 'classroom' ? info.value : null;
  if (isInstructorPath(path)) return { kind: 'instructor', info: classroom };
  if (classroom === null) return { kind: 'solo' };

  const code = joinCodeOf(path);
  if (classroom.you.student === null) return { kind: 'join', code, info: classroom, note: null };
  const me = await api.me();
  if (me.ok) return { kind: 'student', me: me.value };
  return { kind: 'join', code, info: classroom, note: me.message };
}
