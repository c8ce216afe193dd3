/** The transcript API's handlers: recorded live sessions and their events. */
import type { SessionStore } from '../storage/session-store.ts';
import type { ApiHandler } from './api-route.ts';
import { parseEventPage, parsePage, parseSessionId } from './api-params.ts';
import { sendError, sendJson } from './respond.ts';

export type SessionHandlers = Readonly<Record<'list' | 'get', ApiHandler>>;

/** The handlers of the /api/sessions routes (api-routes.ts maps them to paths). */
export function sessionHandlers(sessions: SessionStore): SessionHandlers {
  return {
    list: async ({ res, namespace, query }) => {
      const page = parsePage(query);
      if (!page.ok) return sendError(res, 400, 'bad_request', page.message);
      sendJson(res, 200, { ...(await sessions.list(namespace, page.value)), ...page.value });
    },
    // One page of events (`?after=SEQ&limit=N`); follow `nextAfter` while `hasMore`.
    get: async ({ res, namespace, params, query }) => {
      const id = parseSessionId(params.id ?? '');
      if (!id.ok) return sendError(res, 400, 'bad_request', id.message);
      const page = parseEventPage(query);
      if (!page.ok) return sendError(res, 400, 'bad_request', page.message);
      const session = await sessions.get(namespace, id.value);
      const events = await sessions.eventPage(namespace, id.value, page.value);
      if (session === null || events === null) {
        return sendError(res, 404, 'not_found', `There is no session ${id.value}.`);
      }
      sendJson(res, 200, { session, ...events });
    },
  };
}
