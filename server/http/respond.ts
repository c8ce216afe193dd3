/** Writing responses: JSON bodies, the JSON error shape, and byte bodies. */
import type { ServerResponse } from 'node:http';
import type { ApiErrorBody, ApiErrorCode } from '../../protocol/wire/api-error.ts';

/** Sends `body` as JSON. API data is per user and changes: never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendBytes(res, status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(body), 'utf8'), {
    'Cache-Control': 'no-store',
  });
}

/** Sends an API error in the one shape every route uses, with any extra headers (such as Allow or Retry-After). */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ApiErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const body: ApiErrorBody = { error: { code, message } };
  sendJson(res, status, body);
}

/** Sends a complete body with its length; for HEAD, Node sends the headers only. */
export function sendBytes(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * A Content-Disposition value that is safe whatever the (untrusted) file name: an ASCII
 * `filename` for old clients and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  // Path separators and control characters have no place in a suggested file name.
  const cleaned = filename.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 200) || 'download';
  const ascii = cleaned.replace(/[^\u0020-\u007e]|["%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
