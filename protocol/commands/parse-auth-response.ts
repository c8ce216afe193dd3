/** A line the client sends while an AUTH exchange waits for it (RFC 4954 §4). */
import { checkBase64, decodeBase64Utf8 } from './base64.ts';
import { reasonText } from './grammar-reasons.ts';
import { issue, span } from './issue.ts';
import { forbiddenCharacterError } from './line-checks.ts';
import type { AuthResponse, ColumnRange } from './types.ts';

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
    return { kind: 'invalid', error: issue('invalid-base64', 'lone-equals', 'AUTH', range) };
  }
  const verdict = checkBase64(value);
  if (verdict.kind === 'invalid') {
    const at = verdict.index === null ? null : start + verdict.index;
    return notBase64(at === null ? range : span(at, at + 1), reasonText(verdict.reason));
  }
  return { kind: 'base64', value, decoded: decodeBase64Utf8(value) ?? '' };
}

function notBase64(range: ColumnRange, reason: string): AuthResponse {
  return { kind: 'invalid', error: issue('invalid-base64', 'continuation', 'AUTH', range, { reason }) };
}
