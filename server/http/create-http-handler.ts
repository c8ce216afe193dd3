/**
 * The HTTP side of SMTP Lab: the JSON API under /api and the built web app for everything
 * else. Plain node:http; the composition root passes the handler to `http.createServer`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageStore } from '../storage/message-store.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { ApiHandler } from './api-context.ts';
import { addMessageRoutes } from './message-routes.ts';
import { parseRequestTarget } from './request-target.ts';
import { sendError, sendJson } from './respond.ts';
import { Router } from './router.ts';
import { applySecurityHeaders } from './security-headers.ts';
import { addSessionRoutes } from './session-routes.ts';
import { serveStatic } from './static-files.ts';

export interface HttpHandlerOptions {
  readonly messages: MessageStore;
  /** Without it the /api/sessions routes do not exist (404). */
  readonly sessions?: SessionStore;
  /** The built web app (e.g. `dist/web`); null or missing: `/` explains how to build it. */
  readonly staticDir: string | null;
  /** Whose mailbox a request may see: "default" in single-user mode. */
  readonly namespaceOf: (req: IncomingMessage) => string;
  /** Told about unexpected errors (a 500 was sent, or the response was cut); for logging. */
  readonly onError?: (error: unknown, req: IncomingMessage) => void;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Builds the request handler. It never throws: every failure becomes a response. */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const router = new Router<ApiHandler>();
  router.add('GET', '/api/health', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  addMessageRoutes(router, options.messages);
  if (options.sessions !== undefined) addSessionRoutes(router, options.sessions);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applySecurityHeaders(res);
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
    await match.handler({
      req,
      res,
      namespace: options.namespaceOf(req),
      params: match.params,
      query: target.query,
    });
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error, req);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, 'internal_error', 'Something went wrong on the server; the details are in its log.');
    });
  };
}
