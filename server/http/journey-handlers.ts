/** The journey API's handler: how a stored message moved through the lab internet (server/world/journey). */
import type { JourneyReader } from '../world/journey/journey-reader.ts';
import type { ApiHandler } from './api-route.ts';
import { parseMessageId } from './api-params.ts';
import { sendError, sendJson } from './respond.ts';

/** GET /api/messages/:id/journey: 404 for an id this namespace does not have (another student's included). */
export function journeyHandler(journeys: JourneyReader): ApiHandler {
  return async ({ res, params, namespace }) => {
    const id = parseMessageId(params.id ?? '');
    if (!id.ok) return sendError(res, 400, 'bad_request', id.message);
    const journey = await journeys.journey(namespace, id.value);
    if (journey === null) return sendError(res, 404, 'not_found', `There is no message ${id.value} in this mailbox.`);
    sendJson(res, 200, journey);
  };
}
