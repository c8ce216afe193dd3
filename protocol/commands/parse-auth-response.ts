/** A line the client sends while an AUTH exchange waits for it (RFC 4954 §4). */
import { checkBase64, decodeBase64Utf8 } from './base64.ts';
import { issue, span } from './issue.ts';
import { forbiddenCharacterError } from './line-checks.ts';
import type { AuthResponse } from './types.ts';

/**
 * Reads one AUTH continuation line: `*` cancels the exchange, anything else must be base64
 * (an empty line is an empty response). Surrounding spaces are ignored, as smtp-server
 * ignores them. `decoded` reads the bytes as UTF-8 and keeps NULs, which PLAIN uses as
 * separators. Never throws.
 */
export function parseAuthResponse(line: string): AuthResponse {
  const forbidden = forbiddenCharacterError(line, 'AUTH');
  if (forbidden) return { kind: 'invalid', error: forbidden };
  const start = line.length - line.trimStart().length;
  const value = line.trim();
  if (value === '*') return { kind: 'cancel' };
  const range = span(start, start + value.length);
  if (value === '=') {
    return invalid(range, 'A lone "=" means an empty response only on the AUTH line itself. Here, an empty response is an empty line.', 'Send an empty line, or "*" to cancel.');
  }
  const verdict = checkBase64(value);
  if (verdict.kind === 'invalid') {
    const at = verdict.index === null ? null : start + verdict.index;
    return invalid(at === null ? range : span(at, at + 1), `The server waits for a base64 answer to its 334 challenge. ${verdict.reason}`, 'Send the answer in base64, or a line with just "*" to cancel the login.');
  }
  return { kind: 'base64', value, decoded: decodeBase64Utf8(value) ?? '' };
}

function invalid(range: { start: number; end: number }, message: string, fix: string): AuthResponse {
  return { kind: 'invalid', error: issue('invalid-base64', 'AUTH', range, message, fix) };
}
