/**
 * The lab world's API as the browser calls it: GET/PUT /api/world/dns, GET/PUT /api/world/hosts,
 * POST /api/world/reset (the learner's own world), or the zone routes under /api/classroom/world
 * (the class's starting zone, for the instructor). Answers are checked with the one record and
 * host-switch schemas; every call resolves with the zone (or switches) or a sentence for the
 * learner (and, for a refused list, the server's problem per entry).
 */
import * as z from 'zod';
import { apiErrorBodySchema } from '../../../protocol/wire/api-error.ts';
import { dnsRecordSchema, type DnsRecord, type ZoneProblem } from '../../../protocol/world/dns-record.ts';
import { hostSwitchesSchema, type HostSwitches } from '../../../protocol/world/host-settings.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type ZoneResult =
  | { readonly ok: true; readonly records: DnsRecord[] }
  | { readonly ok: false; readonly message: string; readonly problems: readonly ZoneProblem[] };

export type HostsResult =
  | { readonly ok: true; readonly hosts: HostSwitches[] }
  | { readonly ok: false; readonly message: string; readonly problems: readonly ZoneProblem[] };

type Failure = Extract<ZoneResult, { ok: false }>;

const zoneSchema = z.object({ records: z.array(dnsRecordSchema) });
const hostsSchema = z.object({ hosts: z.array(hostSwitchesSchema) });
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
    return this.#zone('GET', `${this.#base}/dns`);
  }

  /** Replaces the zone whole; on 400 the server kept the old one and says what is wrong per record. */
  save(records: readonly unknown[]): Promise<ZoneResult> {
    return this.#zone('PUT', `${this.#base}/dns`, { records });
  }

  /** Resets the zone and the host switches; resolves with the zone. */
  reset(): Promise<ZoneResult> {
    return this.#zone('POST', `${this.#base}/reset`);
  }

  hosts(): Promise<HostsResult> {
    return this.#hosts('GET', '/api/world/hosts');
  }

  /** Replaces the host switches whole; on 400 the server kept the old ones and says what is wrong per entry. */
  saveHosts(hosts: readonly HostSwitches[]): Promise<HostsResult> {
    return this.#hosts('PUT', '/api/world/hosts', { hosts });
  }

  async #zone(method: string, path: string, body?: unknown): Promise<ZoneResult> {
    const answer = await this.#call(method, path, body);
    if ('message' in answer) return answer;
    const zone = zoneSchema.safeParse(answer.data);
    if (zone.success) return { ok: true, records: zone.data.records };
    return { ok: false, message: `The server's answer to ${method} ${path} is not a zone this page understands; reload the page.`, problems: [] };
  }

  async #hosts(method: string, path: string, body?: unknown): Promise<HostsResult> {
    const answer = await this.#call(method, path, body);
    if ('message' in answer) return answer;
    const hosts = hostsSchema.safeParse(answer.data);
    if (hosts.success) return { ok: true, hosts: hosts.data.hosts };
    return { ok: false, message: `The server's answer to ${method} ${path} is not a list of host switches this page understands; reload the page.`, problems: [] };
  }

  /** The body of a 2xx answer, or the failure in words. */
  async #call(method: string, path: string, body?: unknown): Promise<{ readonly data: unknown } | Failure> {
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
    if (response.ok) return { data };
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
