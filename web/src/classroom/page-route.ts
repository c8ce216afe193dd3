/**
 * Which page this browser gets at start. One build serves every case: on its own (a static
 * host or `smtp-lab serve`) the learner app; on a classroom server the instructor's
 * dashboard at /instructor, the join page for a browser not in the class yet (at /join/CODE
 * with the code filled in), and the learner app in classroom mode for a student.
 */
import type { ClassroomInfo, StudentMe } from './api-types.ts';
import type { ClassroomApi } from './classroom-api.ts';

export type PageRoute =
  | { readonly kind: 'solo' }
  /** `info` is null when the server runs no class. */
  | { readonly kind: 'instructor'; readonly info: ClassroomInfo | null }
  /** `note` says why a browser that was in the class is not any more. */
  | { readonly kind: 'join'; readonly code: string; readonly info: ClassroomInfo; readonly note: string | null }
  | { readonly kind: 'student'; readonly me: StudentMe };

/** Where this browser keeps its class token (the server hands it out once, at join). */
export const CLASS_TOKEN_KEY = 'smtp-lab.class-token';

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
 * Decides the page for `path`. `storage` keeps the class token, so a browser whose cookie
 * was cleared can resume as the same student.
 */
export async function resolvePage(path: string, api: ClassroomApi, storage: Storage | null): Promise<PageRoute> {
  const info = await api.info();
  const classroom = info.ok && info.value.mode === 'classroom' ? info.value : null;
  if (isInstructorPath(path)) return { kind: 'instructor', info: classroom };
  if (classroom === null) return { kind: 'solo' };

  const code = joinCodeOf(path);
  if (classroom.you.student !== null) {
    const me = await api.me();
    if (me.ok) return { kind: 'student', me: me.value };
  }
  const token = readToken(storage);
  if (token === null) return { kind: 'join', code, info: classroom, note: null };
  const resumed = await api.resume(token);
  if (resumed.ok) {
    const me = await api.me();
    if (me.ok) return { kind: 'student', me: me.value };
  }
  if (!resumed.ok && resumed.status === 401) storage?.removeItem(CLASS_TOKEN_KEY);
  return { kind: 'join', code, info: classroom, note: resumed.ok ? null : resumed.message };
}

function readToken(storage: Storage | null): string | null {
  try {
    return storage?.getItem(CLASS_TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}
