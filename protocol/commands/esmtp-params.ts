/**
 * ESMTP parameters after the path of MAIL FROM and RCPT TO (RFC 5321 §4.1.2:
 * esmtp-keyword ["=" esmtp-value]), with a small checker per known keyword.
 */
import { tokensFrom, type Token } from './arguments.ts';
import { isAsciiLetter, isDigit } from './characters.ts';
import { issue, quote, span, warn, type VerbContext } from './issue.ts';
import type { CommandSyntaxError, EsmtpParam } from './types.ts';
import { checkXtext } from './xtext.ts';

/** Checks one known parameter; returns an error, or null after pushing any warnings. */
type ParamChecker = (context: VerbContext, param: EsmtpParam) => CommandSyntaxError | null;

const MAX_ENVID_LENGTH = 100;

const MAIL_PARAMS: Readonly<Record<string, ParamChecker>> = {
  SIZE: (context, param) =>
    requireValue(context, param, 'SIZE=12345') ??
    (/^\d{1,20}$/.test(param.value ?? '')
      ? null
      : badValue(context, param, 'SIZE is the message size in bytes: digits only (RFC 1870).', 'SIZE=12345')),
  BODY: (context, param) => {
    const missing = requireValue(context, param, 'BODY=8BITMIME');
    if (missing) return missing;
    const body = (param.value ?? '').toUpperCase();
    if (body === 'BINARYMIME') {
      warn(context, 'server-may-reject', param.range, 'BODY=BINARYMIME (RFC 3030) is valid only with BDAT, and the sandbox\'s smtp-server supports neither: it answers 501.', 'Use BODY=8BITMIME or BODY=7BIT.');
      return null;
    }
    return body === '7BIT' || body === '8BITMIME'
      ? null
      : badValue(context, param, 'BODY is 7BIT, 8BITMIME (RFC 6152) or BINARYMIME (RFC 3030).', 'BODY=8BITMIME');
  },
  SMTPUTF8: (context, param) => forbidValue(context, param),
  REQUIRETLS: (context, param) => forbidValue(context, param),
  RET: (context, param) => {
    const missing = requireValue(context, param, 'RET=HDRS');
    if (missing) return missing;
    const ret = (param.value ?? '').toUpperCase();
    return ret === 'FULL' || ret === 'HDRS'
      ? null
      : badValue(context, param, 'RET says what a bounce should contain: FULL (the whole message) or HDRS (headers only), RFC 3461.', 'RET=HDRS');
  },
  ENVID: (context, param) => {
    const missing = requireValue(context, param, 'ENVID=QQ314159');
    if (missing) return missing;
    if ((param.value ?? '').length > MAX_ENVID_LENGTH) {
      warn(context, 'invalid-parameter-value', param.range, 'RFC 3461 §4.4 limits ENVID to 100 characters.', 'Use a shorter envelope id.');
    }
    return warnAboutXtext(context, param, param.value ?? '');
  },
  AUTH: (context, param) => {
    const missing = requireValue(context, param, 'AUTH=alice@example.com');
    if (missing) return missing;
    const value = param.value ?? '';
    if (value === '<>') return null;
    const xtextProblem = warnAboutXtext(context, param, value);
    if (xtextProblem) return xtextProblem;
    const decoded = checkXtext(value);
    const mailbox = decoded.kind === 'invalid' ? value : decoded.decoded;
    if (mailbox.startsWith('<') && mailbox.endsWith('>')) {
      warn(context, 'invalid-parameter-value', param.range, 'RFC 4954 §5 writes the AUTH= mailbox without angle brackets; only the unknown submitter is written <>.', `AUTH=${quote(mailbox.slice(1, -1))}`);
    } else if (!/^[^@]+@[^@]+$/.test(mailbox)) {
      warn(context, 'invalid-parameter-value', param.range, 'AUTH= takes the mailbox of whoever submitted the message, or <> when that is unknown (RFC 4954 §5).', 'AUTH=alice@example.com');
    }
    return null;
  },
};

const NOTIFY_VALUES = ['SUCCESS', 'FAILURE', 'DELAY'];

const RCPT_PARAMS: Readonly<Record<string, ParamChecker>> = {
  NOTIFY: (context, param) => {
    const missing = requireValue(context, param, 'NOTIFY=FAILURE,DELAY');
    if (missing) return missing;
    const values = (param.value ?? '').toUpperCase().split(',');
    if (values.length === 1 && values[0] === 'NEVER') return null;
    if (values.includes('NEVER')) {
      return badValue(context, param, 'NOTIFY=NEVER cannot be combined with other values (RFC 3461 §4.1).', 'NOTIFY=NEVER');
    }
    return values.every((value) => NOTIFY_VALUES.includes(value))
      ? null
      : badValue(context, param, 'NOTIFY is NEVER, or a comma-separated list of SUCCESS, FAILURE and DELAY (RFC 3461 §4.1).', 'NOTIFY=FAILURE,DELAY');
  },
  ORCPT: (context, param) => {
    const missing = requireValue(context, param, 'ORCPT=rfc822;bob@example.com');
    if (missing) return missing;
    const value = param.value ?? '';
    if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+;./.test(value)) {
      return badValue(context, param, 'ORCPT is an address type, a semicolon and the original recipient in xtext (RFC 3461 §4.2).', 'ORCPT=rfc822;bob@example.com');
    }
    return warnAboutXtext(context, param, value.slice(value.indexOf(';') + 1));
  },
};

export type ParamsScan =
  | { readonly ok: true; readonly params: readonly EsmtpParam[] }
  | { readonly ok: false; readonly error: CommandSyntaxError };

/** Parses the parameters starting at `from` (a space after the path, or the end of the line). */
export function parseEsmtpParams(context: VerbContext, from: number): ParamsScan {
  const own = context.verb === 'MAIL' ? MAIL_PARAMS : RCPT_PARAMS;
  const other = context.verb === 'MAIL' ? RCPT_PARAMS : MAIL_PARAMS;
  const params: EsmtpParam[] = [];
  const seen = new Set<string>();
  for (const token of tokensFrom(context, from)) {
    const parsed = parseParam(context, token);
    if ('code' in parsed) return { ok: false, error: parsed };
    if (seen.has(parsed.keyword)) {
      return refuseParams(context, 'duplicate-parameter', parsed.range, `${parsed.keyword} appears twice. Each parameter may be given only once.`, `Remove the second ${parsed.keyword}.`);
    }
    seen.add(parsed.keyword);
    const checker = Object.hasOwn(own, parsed.keyword) ? own[parsed.keyword] : undefined;
    if (!checker) warnUnknown(context, parsed, other);
    const problem = checker ? checker(context, parsed) : controlCharacterCheck(context, parsed);
    if (problem) return { ok: false, error: problem };
    params.push(parsed);
  }
  return { ok: true, params };
}

function parseParam(context: VerbContext, token: Token): EsmtpParam | CommandSyntaxError {
  const equals = token.text.indexOf('=');
  const keyword = equals === -1 ? token.text : token.text.slice(0, equals);
  const range = span(token.start, token.end);
  if (!isEsmtpKeyword(keyword)) {
    return issue('invalid-parameter', context.verb, range, `"${quote(token.text)}" is not a parameter. A parameter is a keyword of letters, digits and hyphens, optionally followed by = and a value, like SIZE=12345.`, 'Separate parameters with single spaces, after the closing ">".');
  }
  if (equals !== -1 && equals === token.text.length - 1) {
    return issue('invalid-parameter-value', context.verb, range, `The value after "${keyword}=" is missing.`, `Write a value after the = sign, or leave out ${keyword}.`);
  }
  return { keyword: keyword.toUpperCase(), value: equals === -1 ? null : token.text.slice(equals + 1), range };
}

function isEsmtpKeyword(keyword: string): boolean {
  if (keyword.length === 0) return false;
  for (let i = 0; i < keyword.length; i++) {
    const code = keyword.charCodeAt(i);
    const allowed = isAsciiLetter(code) || isDigit(code) || (i > 0 && code === 0x2d);
    if (!allowed) return false;
  }
  return true;
}

function refuseParams(context: VerbContext, code: CommandSyntaxError['code'], range: EsmtpParam['range'], message: string, fix: string): ParamsScan {
  return { ok: false, error: issue(code, context.verb, range, message, fix) };
}

function requireValue(context: VerbContext, param: EsmtpParam, example: string): CommandSyntaxError | null {
  return param.value === null
    ? issue('invalid-parameter-value', context.verb, param.range, `${param.keyword} needs a value.`, `Write it like ${example}.`)
    : null;
}

function forbidValue(context: VerbContext, param: EsmtpParam): CommandSyntaxError | null {
  return param.value === null
    ? null
    : issue('invalid-parameter-value', context.verb, param.range, `${param.keyword} is a flag and takes no value.`, `Write just ${param.keyword}.`);
}

function badValue(context: VerbContext, param: EsmtpParam, message: string, example: string): CommandSyntaxError {
  return issue('invalid-parameter-value', context.verb, param.range, message, `Write it like ${example}.`);
}

/** Errors if the xtext decodes to a control character; warns if it is merely malformed. */
function warnAboutXtext(context: VerbContext, param: EsmtpParam, value: string): CommandSyntaxError | null {
  const verdict = checkXtext(value);
  if (verdict.kind === 'invalid') return badValue(context, param, verdict.reason, `${param.keyword}=…`);
  if (verdict.kind === 'tolerated') {
    warn(context, 'invalid-parameter-value', param.range, `${verdict.reason} smtp-server accepts it anyway.`, 'Encode the value as xtext (RFC 3461 §4).');
  }
  return null;
}

/** smtp-server decodes every value as xtext and refuses control characters in any of them. */
function controlCharacterCheck(context: VerbContext, param: EsmtpParam): CommandSyntaxError | null {
  if (param.value === null) return null;
  const verdict = checkXtext(param.value);
  return verdict.kind === 'invalid' ? badValue(context, param, verdict.reason, `${param.keyword}=…`) : null;
}

function warnUnknown(context: VerbContext, param: EsmtpParam, other: Readonly<Record<string, ParamChecker>>): void {
  const home = context.verb === 'MAIL' ? 'RCPT TO' : 'MAIL FROM';
  const message = Object.hasOwn(other, param.keyword)
    ? `${param.keyword} belongs to ${home}, not ${context.verb === 'MAIL' ? 'MAIL FROM' : 'RCPT TO'}.`
    : `${param.keyword} is not a parameter this lab knows. RFC 5321 allows extension parameters, but a server that did not advertise the matching extension refuses them with 555; smtp-server ignores parameters it does not know.`;
  warn(context, 'unknown-parameter', param.range, message, `Remove ${param.keyword}, or check the server's EHLO reply for the extension.`);
}
