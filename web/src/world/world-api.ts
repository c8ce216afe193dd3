/**
 * The lab world's DNS API as the browser calls it: GET/PUT /api/world/dns, POST /api/world/reset
 * (the learner's own zone), or the same under /api/classroom/world (the class's starting zone,
 * for the instructor). Answers are checked with the one record schema; every call resolves with the zone or a
 * sentence for the learner (and, for a refused zone, the server's problem per record).
 */
import * as z from 'zod';
import { apiErrorBodySchema } from '../../../protocol/wire/api-error.ts';
import { dnsRecordSchema, type DnsRecord, type ZoneProblem } from '../../../protocol/world/dns-record.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type ZoneResult =
  | { readonly ok: true; readonly records: DnsRecord[] }
  | { readonly ok: false; readonly message: string; readonly problems: readonly ZoneProblem[] };

const zoneSchema = z.object({ records: z.array(dnsRecordSchema) });
const problemsSchema = z.object({ error: z.object({ problems: z.array(z.object({ index: z.number(), message: z.string() })) }) });

export class WorldApi {
  readonly #fetch: Fetch;
  readonly #base: string;

  /** `base`: "/api/world" for the learner's zone, "/api/classroom/world" for the class's starting zone. */
  constructor(fetchImpl: Fetch = (input, init) => fetch(input, init), base = '/api/world') {
    this.#fetch = fetchImpl;
    this.#base = base;
  }

  zone(): Promise<ZoneResult> {
    return this.#call('GET', `${this.#base}/dns`);
  }

  /** Replaces the zone whole; on 400 the server kept the old one and says what is wrong per record. */
  save(records: readonly unknown[]): Promise<ZoneResult> {
    return this.#call('PUT', `${this.#base}/dns`, { records });
  }

  reset(): Promise<ZoneResult> {
    return this.#call('POST', `${this.#base}/reset`);
  }

  async #call(method: string, path: string, body?: unknown): Promise<ZoneResult> {
    let response: Response;
    try {
      response = await this.#fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      return { ok: false, message: `The lab server is not reachable (${(error as Error).message}).`, problems: [] };
    }
    const data: unknown = await response.json().catch(() => null);
    if (response.ok) {
      const zone = zoneSchema.safeParse(data);
      if (zone.success) return { ok: true, records: zone.data.records };
      return { ok: false, message: `The server's answer to ${method} ${path} is not a zone this page understands; reload the page.`, problems: [] };
    }
    if (response.status === 404) return { ok: false, message: 'This server has no lab world (its /api/world routes are missing): start it with `npm start`.', problems: [] };
    const error = apiErrorBodySchema.safeParse(data);
    const problems = problemsSchema.safeParse(data);
    return {
      ok: false,
      message: error.success ? error.data.error.message : `The server answered ${response.status}.`,
      problems: problems.success ? problems.data.error.problems : [],
    };
  }
}
