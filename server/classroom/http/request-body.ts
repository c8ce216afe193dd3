/**
 * Reading a JSON request body. Only `application/json` is accepted: an HTML form on another
 * site cannot send that type without a CORS preflight we never grant, which (with the
 * SameSite=Strict cookies) keeps cross-site requests from acting for a signed-in user.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../../http/respond.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly message: string };

/** Reads and parses the body; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return { ok: false, status: 413, message: `The request body may hold at most ${maxBytes} bytes.` };
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) return { ok: false, status: 413, message: `The request body may hold at most ${maxBytes} bytes.` };
    chunks.push(chunk);
  }
  if (bytes === 0) return { ok: true, value: {} };
  if (type !== 'application/json') return { ok: false, status: 415, message: 'Send the request body as JSON (Content-Type: application/json).' };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}

/** A field of a parsed body, when the body is an object. */
export function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/** Reads the body, or answers the request with the matching error and returns null. */
export async function bodyOrFail(req: IncomingMessage, res: ServerResponse, maxBytes = MAX_BODY_BYTES): Promise<{ readonly value: unknown } | null> {
  const read = await readJsonBody(req, maxBytes);
  if (read.ok) return { value: read.value };
  const code = read.status === 413 ? 'payload_too_large' : read.status === 415 ? 'unsupported_media_type' : 'bad_request';
  sendError(res, read.status, code, read.message);
  return null;
}
