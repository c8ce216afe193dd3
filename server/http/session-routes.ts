/** The transcript API: recorded live sessions and their events. */
import type { SessionStore } from '../storage/session-store.ts';
import type { ApiHandler } from './api-context.ts';
import { parseEventPage, parsePage, parseSessionId } from './api-params.ts';
import { sendError, sendJson } from './respond.ts';
import type { Router } from './router.ts';

/** Adds the /api/sessions routes to `router`. */
export function addSessionRoutes(router: Router<ApiHandler>, sessions: SessionStore): void {
  router
    .add('GET', '/api/sessions', ({ res, namespace, query }) => {
      const page = parsePage(query);
      if (!page.ok) return sendError(res, 400, 'bad_request', page.message);
      sendJson(res, 200, { ...sessions.list(namespace, page.value), ...page.value });
    })
    // One page of events (`?after=SEQ&limit=N`); follow `nextAfter` while `hasMore`.
    .add('GET', '/api/sessions/:id', ({ res, namespace, params, query }) => {
      const id = parseSessionId(params.id ?? '');
      if (!id.ok) return sendError(res, 400, 'bad_request', id.message);
      const page = parseEventPage(query);
      if (!page.ok) return sendError(res, 400, 'bad_request', page.message);
      const session = sessions.get(namespace, id.value);
      const events = sessions.eventPage(namespace, id.value, page.value);
      if (session === null || events === null) {
        return sendError(res, 404, 'not_found', `There is no session ${id.value}.`);
      }
      sendJson(res, 200, { session, ...events });
    });
}
