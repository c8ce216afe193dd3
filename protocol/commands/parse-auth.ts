/**
 * AUTH mechanism [initial-response] (RFC 4954 §4). The mechanism is a SASL name
 * (RFC 4422: up to 20 of A–Z, 0–9, "-", "_"); the initial response is base64, or "=" for
 * an empty one.
 */
import { argumentTokens } from './arguments.ts';
import { checkBase64, encodeBase64Utf8 } from './base64.ts';
import { closestWord } from './did-you-mean.ts';
import { reasonText } from './grammar-reasons.ts';
import { fail, quote, span, warn, type VerbContext, type VerbParseResult } from './issue.ts';
import type { ColumnRange } from './types.ts';

/** Mechanisms a learner is likely to meet; used only for typo hints. */
const KNOWN_MECHANISMS = [
  'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER', 'EXTERNAL', 'GSSAPI',
  'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'NTLM', 'ANONYMOUS',
] as const;

/** A PLAIN response a learner can decode to see the format. */
const PLAIN_EXAMPLE = '\0alice\0secret';

export function parseAuth(context: VerbContext): VerbParseResult {
  const tokens = argumentTokens(context);
  const [mechanismToken, responseToken, ...extra] = tokens;
  if (!mechanismToken) {
    return fail(context, 'missing-argument', 'auth', context.verbRange);
  }
  const mechanism = mechanismToken.text.toUpperCase();
  const mechanismRange = span(mechanismToken.start, mechanismToken.end);
  if (!/^[A-Z0-9_-]{1,20}$/.test(mechanism)) {
    return fail(context, 'invalid-mechanism', 'not-a-name', mechanismRange, { mechanism: quote(mechanismToken.text) });
  }
  const known = KNOWN_MECHANISMS.includes(mechanism as (typeof KNOWN_MECHANISMS)[number]);
  const suggestion = known ? null : closestWord(mechanism, KNOWN_MECHANISMS);
  if (suggestion) {
    warn(context, 'invalid-mechanism', 'did-you-mean', mechanismRange, { mechanism, suggestion });
  }
  const lastExtra = extra[extra.length - 1];
  if (responseToken && lastExtra) {
    const range = span(extra[0]?.start ?? responseToken.end, lastExtra.end);
    return fail(context, 'unexpected-argument', 'auth-words', range, { example: encodeBase64Utf8(PLAIN_EXAMPLE) });
  }
  if (!responseToken) {
    return { ok: true, command: { verb: 'AUTH', mechanism, initialResponse: null } };
  }
  const responseRange = span(responseToken.start, responseToken.end);
  if (mechanism === 'CRAM-MD5') {
    return fail(context, 'unexpected-argument', 'cram-md5-response', responseRange);
  }
  const response = responseToken.text;
  if (response !== '=') {
    const verdict = checkBase64(response);
    if (verdict.kind === 'invalid') {
      const at = verdict.index === null ? null : responseToken.start + verdict.index;
      return notBase64(context, mechanism, response, at === null ? responseRange : span(at, at + 1), reasonText(verdict.reason));
    }
    if (verdict.kind === 'unpadded') {
      warn(context, 'invalid-base64', 'unpadded', responseRange, { padding: '='.repeat(4 - (response.length % 4)) });
    }
  }
  return { ok: true, command: { verb: 'AUTH', mechanism, initialResponse: response } };
}

/** The initial response is not base64; the fix shows what LOGIN and PLAIN expect there. */
function notBase64(context: VerbContext, mechanism: string, typed: string, range: ColumnRange, reason: string): VerbParseResult {
  if (mechanism === 'LOGIN' && typed.length <= 60) {
    return fail(context, 'invalid-base64', 'login-initial-response', range, { reason, encoded: encodeBase64Utf8(typed) });
  }
  if (mechanism === 'PLAIN') {
    return fail(context, 'invalid-base64', 'plain-initial-response', range, { reason, example: encodeBase64Utf8(PLAIN_EXAMPLE) });
  }
  return fail(context, 'invalid-base64', 'initial-response', range, { reason });
}
