/**
 * GET /api/messages/:id/journey as the browser calls it. The answer is parsed with the one
 * journey schema (protocol/world/journey.ts); every call resolves, with the journey or with a
 * sentence for the learner (a wrong shape is said plainly, never thrown into the page).
 */
import { apiErrorBodySchema } from '../../../protocol/wire/api-error.ts';
import { journeySchema, type Journey } from '../../../protocol/world/journey.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type JourneyResult = { readonly ok: true; readonly journey: Journey } | { readonly ok: false; readonly message: string };

/** The journey URL beside a live message's URL: /api/messages/7 → /api/messages/7/journey. */
export function journeyUrlOf(messageUrl: string): string {
  return `${messageUrl.replace(/\/+$/, '')}/journey`;
}

export async function fetchJourney(url: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): Promise<JourneyResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin' });
  } catch (error) {
    return { ok: false, message: `The lab server is not reachable (${(error as Error).message}).` };
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = apiErrorBodySchema.safeParse(data);
    if (response.status === 404 && !error.success) return { ok: false, message: 'This server has no journey API: start the lab with `npm start`.' };
    return { ok: false, message: error.success ? error.data.error.message : `The server answered ${response.status} for the journey.` };
  }
  const parsed = journeySchema.safeParse(data);
  if (parsed.success) return { ok: true, journey: parsed.data };
  const first = parsed.error.issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : ` (at ${first.path.join('.')}: ${first.message})`;
  return { ok: false, message: `The server's journey is not in the shape this page reads${where}; reload the page, or restart the lab if it was updated.` };
}
