/**
 * smtp-server's checks on ESMTP parameters of MAIL FROM and RCPT TO: duplicates, keywords
 * that need a value, and the values of SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8
 * (RFC 6531) and REQUIRETLS (RFC 8689). DSN values (RFC 3461) are not checked because the
 * sandbox hides DSN, like smtp-server does by default.
 */
import type { AddressCommand } from '../address-command.ts';
import type { ReplyContext } from '../enhanced-status-codes.ts';
import { overSizeLimit } from '../message-size.ts';
import type { ServerContext } from '../server-context.ts';

/** Keywords that only make sense with a value. */
export const MAIL_VALUE_PARAMS = ['BODY', 'SIZE', 'RET', 'ENVID'] as const;
export const RCPT_VALUE_PARAMS = ['NOTIFY', 'ORCPT'] as const;

export interface ParameterError {
  readonly code: number;
  readonly text: string;
  readonly context: ReplyContext;
}

/** Replies with the error when there is one; true when it did, and the command ends there. */
export function sendParameterError(context: ServerContext, error: ParameterError | null): boolean {
  if (error) context.send(error.code, error.text, error.context);
  return error !== null;
}

/** A repeated keyword, or a listed keyword without a value (`SIZE` or `SIZE=`): 501. */
export function invalidParameterError(parsed: AddressCommand, valueKeys: readonly string[]): ParameterError | null {
  if (parsed.duplicate) return { code: 501, text: `Error: duplicate ${parsed.duplicate} parameter`, context: undefined };
  const valueless = valueKeys.find((key) => {
    const value = parsed.params.get(key);
    return value !== undefined && (typeof value !== 'string' || !value);
  });
  if (valueless) return { code: 501, text: `Error: ${valueless} parameter requires a value`, context: undefined };
  return null;
}

/**
 * The value checks of MAIL FROM parameters, in smtp-server's order. `sizeLimit`: the limit
 * SIZE= is checked against (smtp-server's: the configured one; 0 for a caller that checks it itself).
 */
export function mailParameterError(context: ServerContext, parsed: AddressCommand, sizeLimit = context.settings.maxMessageSize): ParameterError | null {
  const { params } = parsed;
  const declaredSize = params.get('SIZE');
  if (typeof declaredSize === 'string' && declaredSize) {
    if (!/^\d{1,20}$/.test(declaredSize)) return { code: 501, text: 'Error: Bad message size syntax', context: undefined };
    if (overSizeLimit(Number(declaredSize), sizeLimit)) {
      return { code: 552, text: `Error: message exceeds fixed maximum message size ${sizeLimit}`, context: 'MESSAGE_TOO_BIG' };
    }
  }
  const body = params.get('BODY');
  if (typeof body === 'string' && body) {
    const bodyType = body.toLowerCase();
    if (bodyType !== '7bit' && bodyType !== '8bitmime') {
      return { code: 501, text: 'Invalid BODY parameter value. Must be 7BIT or 8BITMIME', context: undefined };
    }
  }
  const smtputf8 = params.get('SMTPUTF8');
  if (smtputf8 !== undefined && smtputf8 !== true) {
    return { code: 501, text: 'Invalid SMTPUTF8 parameter. This flag does not accept a value', context: undefined };
  }
  // Checked although not advertised: smtp-server validates REQUIRETLS even when hidden.
  const requireTls = params.get('REQUIRETLS');
  if (requireTls !== undefined) {
    if (!context.session.secure) return { code: 530, text: 'REQUIRETLS not permitted on non-TLS connections', context: undefined };
    if (requireTls !== true) {
      return { code: 501, text: 'Invalid REQUIRETLS parameter. This flag does not accept a value', context: undefined };
    }
  }
  return null;
}
