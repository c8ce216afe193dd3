/** The transcript API: recorded live sessions and their events. */
import type { SessionStore } from '../storage/session-store.ts';
import type { ApiHandler } from './api-context.ts';
import { parsePage, parseSessionId } from './api-params.ts';
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
    .add('GET', '/api/sessions/:id', ({ res, namespace, params }) => {
      const id = parseSessionId(params.id ?? '');
      if (!id.ok) return sendError(res, 400, 'bad_request', id.message);
      const session = sessions.get(namespace, id.value);
      const events = sessions.events(namespace, id.value);
      if (session === null || events === null) {
        return sendError(res, 404, 'not_found', `There is no session ${id.value}.`);
      }
      sendJson(res, 200, { session, events });
    });
}
