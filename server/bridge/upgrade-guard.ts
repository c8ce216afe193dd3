/**
 * The checks made on the HTTP upgrade request, before any WebSocket exists: the Host (against
 * DNS rebinding), the path, the Origin (against cross-site WebSocket hijacking) and who the
 * client is.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { misdirectedMessage, parseHttpUrl, type HostAllowList } from '../http/host-allow-list.ts';

export const BRIDGE_PATH = '/ws';

export type UpgradeVerdict =
  | { readonly ok: true; readonly namespace: string }
  | { readonly ok: false; readonly status: 401 | 403 | 404 | 421 | 429 | 503; readonly message: string };

/** Which browser pages may act on this server: its own names, and the operator's extra origins. */
export interface OriginPolicy {
  readonly allowedHosts: HostAllowList;
  readonly allowedOrigins: readonly string[];
  readonly allowMissingOrigin: boolean;
}

export interface UpgradePolicy extends OriginPolicy {
  /** Who the client is (the classroom reads its cookies' sessions from the database). */
  readonly namespaceOf: (request: IncomingMessage) => string | null | Promise<string | null>;
}

/** Decides whether an upgrade request may become a bridge connection; who the client is is asked last. */
export async function checkUpgrade(request: IncomingMessage, policy: UpgradePolicy): Promise<UpgradeVerdict> {
  const listenerPort = request.socket.localPort;
  if (!policy.allowedHosts.allowsHost(request.headers.host, listenerPort)) {
    return { ok: false, status: 421, message: misdirectedMessage(request.headers.host) };
  }
  const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
  if (path !== BRIDGE_PATH) return { ok: false, status: 404, message: `No WebSocket endpoint at ${path}; the bridge is at ${BRIDGE_PATH}.` };
  const origin = request.headers.origin;
  if (!isOriginAllowed(origin, listenerPort, policy)) {
    return { ok: false, status: 403, message: `Origin ${origin ?? '(none)'} may not open the bridge.` };
  }
  const namespace = await policy.namespaceOf(request);
  if (namespace === null) return { ok: false, status: 401, message: 'Sign in before opening the bridge.' };
  return { ok: true, namespace };
}

/**
 * Allowed: one of the server's own names (the Host allow-list, as `http://NAME:PORT`, or
 * any port for a `--public-host` name), an origin listed by the operator, or no Origin at
 * all when the policy allows non-browser clients. Never compared with the Host header, which
 * a rebinding page controls. "null" (sandboxed iframes, file://) is refused, so captured
 * HTML shown in a sandboxed iframe cannot reach the bridge.
 */
export function isOriginAllowed(origin: string | undefined, listenerPort: number | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return policy.allowMissingOrigin;
  const originUrl = parseHttpUrl(origin);
  if (originUrl === null) return false;
  if (policy.allowedOrigins.some((allowed) => parseHttpUrl(allowed)?.origin === originUrl.origin)) return true;
  return policy.allowedHosts.allowsOrigin(origin, listenerPort);
}

/** Answers a refused upgrade with a plain HTTP response and drops the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const reasons: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' };
  const body = `${message}\n`;
  // Destroyed once the response is flushed (the pattern of ws's own abortHandshake).
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
