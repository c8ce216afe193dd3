/**
 * The HTTP side of SMTP Lab: the JSON API under /api and the built web app for everything
 * else. Plain node:http; the composition root passes the handler to `http.createServer`.
 * The first check is the Host: a request for a name that is not ours gets 421. An API request
 * then finds its route in the table (api-routes.ts: 404/405 otherwise), passes the classroom's
 * guard (cross-origin writes, the student's request rate) and the route's access check, and
 * only then reaches its handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classroom } from '../classroom/create-classroom.ts';
import { NOBODY, type Identity } from '../classroom/classroom-types.ts';
import { isBroken, isBusy } from '../storage/sqlite-errors.ts';
import { accessRefusal } from './access.ts';
import type { ApiRoute } from './api-route.ts';
import { apiRoutes, HEALTH_PATH, type ApiRouteSources } from './api-routes.ts';
import { clientAddressResolver, type ClientAddressOf } from './client-address.ts';
import { HostAllowList, misdirectedMessage } from './host-allow-list.ts';
import { parseRequestTarget } from './request-target.ts';
import { sendBytes, sendError } from './respond.ts';
import { Router } from './router.ts';
import { applySecurityHeaders } from './security-headers.ts';
import { serveStatic } from './static-files.ts';

export interface HttpHandlerOptions extends ApiRouteSources {
  /** The built web app (e.g. `dist/web`); null or missing: `/` explains how to build it. */
  readonly staticDir: string | null;
  /** Whose mailbox a request may see: "default" in single-user mode (classroom mode asks `classroom`). */
  readonly namespaceOf: (req: IncomingMessage) => string;
  /**
   * Classroom mode: its handlers, who the caller is and the guard before every route. The
   * mailbox and transcript routes then answer from the caller's own namespace, and 401 to
   * callers who have none.
   */
  readonly classroom?: Pick<Classroom, 'handlers' | 'identify' | 'namespaceOf' | 'guard'>;
  /** The names the server answers for; default: the loopback names on the listener's port. */
  readonly allowedHosts?: HostAllowList;
  /** The client address of a request (`--trusted-proxy`); default: the TCP peer's. */
  readonly clientAddressOf?: ClientAddressOf;
  /** Told about unexpected errors (a 500 was sent, or the response was cut); for logging. */
  readonly onError?: (error: unknown, req: IncomingMessage) => void;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Builds the request handler. It never throws: every failure becomes a response. */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const router = new Router<ApiRoute>();
  for (const route of apiRoutes(options)) router.add(route.method, route.path, route);
  const { classroom } = options;

  const allowedHosts = options.allowedHosts ?? HostAllowList.loopback();
  const clientAddressOf = options.clientAddressOf ?? clientAddressResolver([]);
  /** Whose mailbox the caller may see: outside classroom mode the one for this request; in it their own, or null. */
  const ownNamespace = (req: IncomingMessage, identity: Identity): string | null =>
    classroom === undefined ? options.namespaceOf(req) : classroom.namespaceOf(identity);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applySecurityHeaders(res);
    if (!allowedHosts.allowsHost(req.headers.host, req.socket.localPort)) return refuseMisdirected(req, res);
    const target = parseRequestTarget(req.url);
    if (!target.ok) {
      return sendError(res, target.status, target.status === 414 ? 'uri_too_long' : 'bad_request', target.message);
    }
    if (target.segments[0] !== 'api') return serveStatic(req, res, target.segments, options.staticDir);

    // `/api/messages/` means `/api/messages`.
    const segments = target.segments.at(-1) === '' ? target.segments.slice(0, -1) : target.segments;
    const match = router.match(req.method ?? '', segments);
    if (match.kind === 'not_found') {
      const path = `/${segments.join('/')}`.slice(0, 200);
      return sendError(res, 404, 'not_found', `There is no API route ${req.method} ${path}.`);
    }
    if (match.kind === 'method_not_allowed') {
      return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed here; use ${match.allow}.`, {
        Allow: match.allow,
      });
    }
    const route = match.handler;
    const identity = classroom === undefined ? NOBODY : await classroom.identify(req);
    // The checks before every handler: the classroom's guard (monitors' health checks skip it), then the route's access.
    if (classroom !== undefined && route.path !== HEALTH_PATH && !classroom.guard(req, res, identity)) return;
    const namespace = route.access === 'operator' ? ownNamespace(req, identity) : '';
    const refusal = accessRefusal(route.access, identity, namespace);
    if (refusal !== null) return sendError(res, refusal.status, refusal.code, refusal.message);
    await route.handler({ req, res, params: match.params, query: target.query, identity, namespace: namespace ?? '', clientAddress: clientAddressOf(req) });
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error, req);
      if (res.headersSent) res.destroy();
      else if (isBusy(error)) sendError(res, 503, 'storage_unavailable', 'The mailbox store is locked by another program right now; try again in a moment.', { 'Retry-After': '5' });
      else if (isBroken(error)) sendError(res, 503, 'storage_unavailable', 'The mailbox store cannot be used: its database file is damaged or unreadable; the server log says more.');
      else sendError(res, 500, 'internal_error', 'Something went wrong on the server; the details are in its log.');
    });
  };
}

/** 421 Misdirected Request (RFC 9110 §15.5.20): JSON on the API, plain text elsewhere; the connection is not reused. */
function refuseMisdirected(req: IncomingMessage, res: ServerResponse): void {
  const message = misdirectedMessage(req.headers.host);
  const headers = { Connection: 'close' };
  const isApi = req.url === '/api' || req.url?.startsWith('/api/') === true || req.url?.startsWith('/api?') === true;
  if (isApi) return sendError(res, 421, 'misdirected_request', message, headers);
  sendBytes(res, 421, 'text/plain; charset=utf-8', Buffer.from(`${message}\n`, 'utf8'), { ...headers, 'Cache-Control': 'no-store' });
}
