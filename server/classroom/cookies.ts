/** Reading the Cookie header and writing the classroom's session cookies. */
import type { IncomingMessage } from 'node:http';

export const INSTRUCTOR_COOKIE = 'smtp_lab_instructor';
export const STUDENT_COOKIE = 'smtp_lab_student';

/** The value of cookie `name` in the request, or null. Malformed pairs are skipped. */
export function readCookie(req: Pick<IncomingMessage, 'headers'>, name: string): string | null {
  const header = req.headers.cookie;
  if (header === undefined) return null;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    // Our tokens are base64url: anything else is not ours.
    return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : null;
  }
  return null;
}

/**
 * A Set-Cookie value: HttpOnly (no script can read it), SameSite=Strict (never sent from
 * another site, which also stops cross-site request forgery), Path=/. No `Secure`: a
 * classroom server usually runs on plain http in the room's network; behind an HTTPS proxy
 * the proxy can add it. `maxAgeSeconds` 0 deletes the cookie.
 */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Strict`;
}
