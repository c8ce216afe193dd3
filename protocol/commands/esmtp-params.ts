/**
 * ESMTP parameters after the path of MAIL FROM and RCPT TO (RFC 5321 §4.1.2:
 * esmtp-keyword ["=" esmtp-value]), with a small checker per known keyword.
 */
import { tokensFrom, type Token } from './arguments.ts';
import { isAsciiLetter, isDigit } from './characters.ts';
import { reasonText } from './grammar-reasons.ts';
import { issue, quote, span, warn, type VerbContext } from './issue.ts';
import type { CommandSyntaxError, EsmtpParam } from './types.ts';
import { checkXtext, type XtextVerdict } from './xtext.ts';

type XtextRefusal = Extract<XtextVerdict, { readonly kind: 'invalid' }>['reason'];

/** Checks one known parameter; returns an error, or null after pushing any warnings. */
type ParamChecker = (context: VerbContext, param: EsmtpParam) => CommandSyntaxError | null;

const MAX_ENVID_LENGTH = 100;

const MAIL_PARAMS: Readonly<Record<string, ParamChecker>> = {
  SIZE: (context, param) =>
    requireValue(context, param, 'SIZE=12345') ??
    (/^\d{1,20}$/.test(param.value ?? '') ? null : badValue(context, param, 'size')),
  BODY: (context, param) => {
    const missing = requireValue(context, param, 'BODY=8BITMIME');
    if (missing) return missing;
    const body = (param.value ?? '').toUpperCase();
    if (body === 'BINARYMIME') {
      warn(context, 'server-may-reject', 'binarymime', param.range);
      return null;
    }
    return body === '7BIT' || body === '8BITMIME' ? null : badValue(context, param, 'body');
  },
  SMTPUTF8: (context, param) => forbidValue(context, param),
  REQUIRETLS: (context, param) => forbidValue(context, param),
  RET: (context, param) => {
    const missing = requireValue(context, param, 'RET=HDRS');
    if (missing) return missing;
    const ret = (param.value ?? '').toUpperCase();
    return ret === 'FULL' || ret === 'HDRS' ? null : badValue(context, param, 'ret');
  },
  ENVID: (context, param) => {
    const missing = requireValue(context, param, 'ENVID=QQ314159');
    if (missing) return missing;
    if ((param.value ?? '').length > MAX_ENVID_LENGTH) {
      warn(context, 'invalid-parameter-value', 'envid-too-long', param.range);
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
      warn(context, 'invalid-parameter-value', 'auth-brackets', param.range, { mailbox: quote(mailbox.slice(1, -1)) });
    } else if (!/^[^@]+@[^@]+$/.test(mailbox)) {
      warn(context, 'invalid-parameter-value', 'auth-mailbox', param.range);
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
      return badValue(context, param, 'notify-never-combined');
    }
    return values.every((value) => NOTIFY_VALUES.includes(value)) ? null : badValue(context, param, 'notify');
  },
  ORCPT: (context, param) => {
    const missing = requireValue(context, param, 'ORCPT=rfc822;bob@example.com');
    if (missing) return missing;
    const value = param.value ?? '';
    if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+;./.test(value)) {
      return badValue(context, param, 'orcpt');
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
      const duplicate = issue('duplicate-parameter', 'duplicate', context.verb, parsed.range, { keyword: parsed.keyword });
      return { ok: false, error: duplicate };
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
    return issue('invalid-parameter', 'not-a-parameter', context.verb, range, { token: quote(token.text) });
  }
  if (equals !== -1 && equals === token.text.length - 1) {
    return issue('invalid-parameter-value', 'empty-value', context.verb, range, { keyword });
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

function requireValue(context: VerbContext, param: EsmtpParam, example: string): CommandSyntaxError | null {
  return param.value === null
    ? issue('invalid-parameter-value', 'needs-value', context.verb, param.range, { keyword: param.keyword, example })
    : null;
}

function forbidValue(context: VerbContext, param: EsmtpParam): CommandSyntaxError | null {
  return param.value === null
    ? null
    : issue('invalid-parameter-value', 'flag-with-value', context.verb, param.range, { keyword: param.keyword });
}

/** A value its keyword does not allow; the message says which values it does. */
function badValue(
  context: VerbContext,
  param: EsmtpParam,
  variant: 'size' | 'body' | 'ret' | 'notify-never-combined' | 'notify' | 'orcpt',
): CommandSyntaxError {
  return issue('invalid-parameter-value', variant, context.verb, param.range);
}

/** A value that decodes to a control character, which smtp-server refuses. */
function refusedXtext(context: VerbContext, param: EsmtpParam, reason: XtextRefusal): CommandSyntaxError {
  return issue('invalid-parameter-value', 'xtext-refused', context.verb, param.range, { reason: reasonText(reason), keyword: param.keyword });
}

/** Errors if the xtext decodes to a control character; warns if it is merely malformed. */
function warnAboutXtext(context: VerbContext, param: EsmtpParam, value: string): CommandSyntaxError | null {
  const verdict = checkXtext(value);
  if (verdict.kind === 'invalid') return refusedXtext(context, param, verdict.reason);
  if (verdict.kind === 'tolerated') {
    warn(context, 'invalid-parameter-value', 'xtext-tolerated', param.range, { reason: reasonText(verdict.reason) });
  }
  return null;
}

/** smtp-server decodes every value as xtext and refuses control characters in any of them. */
function controlCharacterCheck(context: VerbContext, param: EsmtpParam): CommandSyntaxError | null {
  if (param.value === null) return null;
  const verdict = checkXtext(param.value);
  return verdict.kind === 'invalid' ? refusedXtext(context, param, verdict.reason) : null;
}

function warnUnknown(context: VerbContext, param: EsmtpParam, other: Readonly<Record<string, ParamChecker>>): void {
  const { keyword } = param;
  if (Object.hasOwn(other, keyword)) {
    const [here, home] = context.verb === 'MAIL' ? ['MAIL FROM', 'RCPT TO'] : ['RCPT TO', 'MAIL FROM'];
    warn(context, 'unknown-parameter', 'other-command', param.range, { keyword, home, here });
  } else {
    warn(context, 'unknown-parameter', 'unknown', param.range, { keyword });
  }
}
