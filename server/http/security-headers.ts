/** The security headers every response carries, and the stricter set for captured HTML. */
import type { ServerResponse } from 'node:http';

/**
 * For the app's own pages: only our scripts; WebSockets to us; frames only from us (the mail
 * preview); `blob:` images for attachment previews (raster images only, typed by their bytes);
 * and no page of ours inside anyone's frame (clickjacking the instructor's controls).
 */
export const APP_CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
  "script-src 'self'; worker-src 'self' blob:; frame-src 'self'; frame-ancestors 'none'";

/**
 * For captured HTML. `sandbox` (without allow-scripts or allow-same-origin) gives the document an
 * opaque origin and no scripts even when opened directly rather than in the app's iframe;
 * `default-src 'none'` blocks every remote load, so no tracking pixel learns the mail was read.
 */
export const CAPTURED_HTML_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'";

/**
 * The frame rule of captured HTML: the one response meant to be embedded, in the mailbox's own
 * `sandbox=""` iframe, so our own pages may frame it and nobody else's may.
 */
export const CAPTURED_HTML_FRAME_OPTIONS = 'SAMEORIGIN';

/** For downloads (raw messages, attachments): never run or render anything if a browser tries. */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

/** Sets the headers every response starts with; routes may tighten the CSP. */
export function applySecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Content-Security-Policy', APP_CSP);
  // For browsers without CSP frame-ancestors; the captured-HTML route relaxes both together.
  res.setHeader('X-Frame-Options', 'DENY');
}
