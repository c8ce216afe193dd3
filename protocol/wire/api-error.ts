/**
 * The error body of every HTTP API route, `{ "error": { "code": "not_found", "message": "…" } }`,
 * and the one list of codes the server sends (the browser reads them; the message is for people).
 */
import { z } from 'zod';
import type { ZoneProblem } from '../world/dns-record.ts';

export const API_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'misdirected_request',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'rate_limited',
  'wrong_join_code',
  'invalid_name',
  'lesson_closed',
  'already_set_up',
  'storage_unavailable',
  'invalid_zone',
  'invalid_hosts',
  'internal_error',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * What a client accepts as an error body: any code string, since an older or newer server
 * (or a proxy in between) may send one this list does not know.
 */
export const apiErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface ApiErrorBody {
  readonly error: {
    readonly code: ApiErrorCode;
    readonly message: string;
    /** `invalid_zone` / `invalid_hosts`: one problem per bad record or host entry sent, by its index. */
    readonly problems?: readonly ZoneProblem[];
  };
}
