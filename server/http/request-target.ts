/** Splits a request's URL into decoded path segments and a query, refusing what is malformed. */

/** Longer request targets get 414 (Node itself already refuses headers over 16 KB). */
export const MAX_URL_LENGTH = 8 * 1024;

export type RequestTarget =
  | { readonly ok: true; readonly segments: readonly string[]; readonly query: URLSearchParams }
  | { readonly ok: false; readonly status: 400 | 414; readonly message: string };

/**
 * `/api/messages/12?limit=5` → segments `['api', 'messages', '12']`. Each segment is
 * percent-decoded on its own, so an encoded `%2F` stays inside its segment and can never
 * become a path separator. The path is not normalized: `.` and `..` stay visible to callers.
 */
export function parseRequestTarget(url: string | undefined): RequestTarget {
  if (url === undefined || !url.startsWith('/')) {
    return { ok: false, status: 400, message: 'The request target must be a path starting with "/".' };
  }
  if (url.length > MAX_URL_LENGTH) {
    return { ok: false, status: 414, message: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
  }
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      return { ok: false, status: 400, message: `The URL path has a malformed percent-encoding: "${raw.slice(0, 100)}".` };
    }
  }
  return { ok: true, segments, query };
}
