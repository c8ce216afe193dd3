/**
 * AUTH mechanism [initial-response] (RFC 4954 §4). The mechanism is a SASL name
 * (RFC 4422: up to 20 of A–Z, 0–9, "-", "_"); the initial response is base64, or "=" for
 * an empty one.
 */
import { argumentTokens } from './arguments.ts';
import { checkBase64, encodeBase64Utf8 } from './base64.ts';
import { closestWord } from './did-you-mean.ts';
import { fail, quote, span, warn, type VerbContext, type VerbParseResult } from './issue.ts';

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
    return fail(context, 'missing-argument', context.verbRange, 'AUTH needs the name of a SASL mechanism that the server listed in its EHLO reply, such as PLAIN or LOGIN.', 'Write it as `AUTH PLAIN` or `AUTH LOGIN`.');
  }
  const mechanism = mechanismToken.text.toUpperCase();
  const mechanismRange = span(mechanismToken.start, mechanismToken.end);
  if (!/^[A-Z0-9_-]{1,20}$/.test(mechanism)) {
    return fail(context, 'invalid-mechanism', mechanismRange, `"${quote(mechanismToken.text)}" is not a SASL mechanism name: those are 1 to 20 letters, digits, hyphens or underscores.`, 'Write it as `AUTH PLAIN` or `AUTH LOGIN`.');
  }
  const known = KNOWN_MECHANISMS.includes(mechanism as (typeof KNOWN_MECHANISMS)[number]);
  const suggestion = known ? null : closestWord(mechanism, KNOWN_MECHANISMS);
  if (suggestion) {
    warn(context, 'invalid-mechanism', mechanismRange, `${mechanism} is not a mechanism this lab knows. Did you mean ${suggestion}?`, `Write it as \`AUTH ${suggestion}\`.`);
  }
  const lastExtra = extra[extra.length - 1];
  if (responseToken && lastExtra) {
    return fail(context, 'unexpected-argument', span(extra[0]?.start ?? responseToken.end, lastExtra.end), `AUTH takes at most two words: the mechanism and one base64 initial response. For PLAIN that response is the base64 of "\\0user\\0password", not the user name and password as separate words.`, `Write it as \`AUTH PLAIN ${encodeBase64Utf8(PLAIN_EXAMPLE)}\` (that is \\0alice\\0secret in base64).`);
  }
  if (!responseToken) {
    return { ok: true, command: { verb: 'AUTH', mechanism, initialResponse: null } };
  }
  const responseRange = span(responseToken.start, responseToken.end);
  if (mechanism === 'CRAM-MD5') {
    return fail(context, 'unexpected-argument', responseRange, 'With CRAM-MD5 the server speaks first: it sends a challenge and you answer it. So AUTH CRAM-MD5 takes no initial response (RFC 4954 §4: the server must refuse it with 501).', 'Write just `AUTH CRAM-MD5` and answer the 334 challenge on the next line.');
  }
  const response = responseToken.text;
  if (response !== '=') {
    const verdict = checkBase64(response);
    if (verdict.kind === 'invalid') {
      const at = verdict.index === null ? null : responseToken.start + verdict.index;
      return fail(context, 'invalid-base64', at === null ? responseRange : span(at, at + 1), `The initial response must be base64. ${verdict.reason}`, base64Fix(mechanism, response));
    }
    if (verdict.kind === 'unpadded') {
      warn(context, 'invalid-base64', responseRange, 'Base64 is padded with "=" to a multiple of four characters (RFC 4648); smtp-server decodes it anyway.', `Add "${'='.repeat(4 - (response.length % 4))}" at the end of the response.`);
    }
  }
  return { ok: true, command: { verb: 'AUTH', mechanism, initialResponse: response } };
}

function base64Fix(mechanism: string, typed: string): string {
  if (mechanism === 'LOGIN' && typed.length <= 60) {
    return `For LOGIN it is your user name in base64: \`AUTH LOGIN ${encodeBase64Utf8(typed)}\`.`;
  }
  if (mechanism === 'PLAIN') {
    return `For PLAIN it is "\\0user\\0password" in base64, like \`AUTH PLAIN ${encodeBase64Utf8(PLAIN_EXAMPLE)}\` (\\0alice\\0secret). Write "=" for an empty response.`;
  }
  return 'Encode the response in base64, or write "=" for an empty response.';
}
