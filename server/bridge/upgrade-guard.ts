/**
 * The checks made on the HTTP upgrade request, before any WebSocket exists: the path, the
 * Origin (against cross-site WebSocket hijacking) and who the client is.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const BRIDGE_PATH = '/ws';

export type UpgradeVerdict =
  | { readonly ok: true; readonly namespace: string }
  | { readonly ok: false; readonly status: 401 | 403 | 404 | 429 | 503; readonly message: string };

export interface UpgradePolicy {
  readonly allowedOrigins: readonly string[];
  readonly allowMissingOrigin: boolean;
  readonly namespaceOf: (request: IncomingMessage) => string | null;
}

/** Decides whether an upgrade request may become a bridge connection. */
export function checkUpgrade(request: IncomingMessage, policy: UpgradePolicy): UpgradeVerdict {
  const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
  if (path !== BRIDGE_PATH) return { ok: false, status: 404, message: `No WebSocket endpoint at ${path}; the bridge is at ${BRIDGE_PATH}.` };
  const origin = request.headers.origin;
  if (!isOriginAllowed(origin, request.headers.host, policy)) {
    return { ok: false, status: 403, message: `Origin ${origin ?? '(none)'} may not open the bridge.` };
  }
  const namespace = policy.namespaceOf(request);
  if (namespace === null) return { ok: false, status: 401, message: 'Sign in before opening the bridge.' };
  return { ok: true, namespace };
}

/**
 * Allowed: the page's own host (the Origin's host equals the Host header, so the app works
 * under any name or port it is reached by), an origin listed by the operator, or no Origin
 * at all when the policy allows non-browser clients. "null" (sandboxed iframes, file://)
 * is refused, so captured HTML shown in a sandboxed iframe cannot reach the bridge.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, policy: UpgradePolicy): boolean {
  if (origin === undefined) return policy.allowMissingOrigin;
  const originUrl = parseUrl(origin);
  if (originUrl === null) return false;
  if (policy.allowedOrigins.some((allowed) => parseUrl(allowed)?.origin === originUrl.origin)) return true;
  if (host === undefined) return false;
  // Parsed with the Origin's scheme, so a default port written out ("host:443") still matches.
  const hostUrl = parseUrl(`${originUrl.protocol}//${host}`);
  return hostUrl !== null && hostUrl.host === originUrl.host;
}

/** Answers a refused upgrade with a plain HTTP response and drops the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const reasons: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' };
  const body = `${message}\n`;
  // Destroyed once the response is flushed (the pattern of ws's own abortHandshake).
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function parseUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
