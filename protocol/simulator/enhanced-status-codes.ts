/**
 * Which RFC 3463 enhanced status code smtp-server 3.21 puts on each reply: its default table
 * per reply code, its contextual codes, and the cases that get none. Ported from
 * smtp-connection.js (`ENHANCED_STATUS_CODES`, `CONTEXTUAL_STATUS_CODES`,
 * `_getEnhancedStatusCode`) so the simulator's replies carry the same codes.
 */

/**
 * How a reply picks its enhanced code: `false` for none (greeting, EHLO/HELO), a context name
 * such as `MAIL_FROM_OK`, or the command name for the dispatcher's own errors; `undefined`
 * uses the table by reply code.
 */
export type ReplyContext = string | false | undefined;

const BY_REPLY_CODE: Readonly<Record<number, string>> = {
  200: '2.0.0',
  211: '2.0.0',
  214: '2.0.0',
  220: '2.0.0',
  221: '2.0.0',
  235: '2.7.0',
  250: '2.0.0',
  251: '2.1.5',
  252: '2.1.5',
  334: '3.7.0',
  354: '2.0.0',
  420: '4.4.2',
  421: '4.4.2',
  450: '4.2.1',
  451: '4.3.0',
  452: '4.2.2',
  454: '4.7.0',
  500: '5.5.2',
  501: '5.5.4',
  502: '5.5.1',
  503: '5.5.1',
  504: '5.5.4',
  521: '5.3.2',
  523: '5.3.4',
  530: '5.7.0',
  535: '5.7.8',
  538: '5.7.0',
  550: '5.1.1',
  551: '5.1.6',
  552: '5.2.2',
  553: '5.1.3',
  554: '5.6.0',
  555: '5.5.4',
  556: '5.1.10',
  557: '5.7.1',
  558: '5.2.3',
};

/** Greeting-like commands whose replies never carry an enhanced code (RFC 2034 §3). */
const WITHOUT_ENHANCED_CODE = new Set(['HELO', 'EHLO', 'LHLO']);

const BY_CONTEXT: Readonly<Record<string, string>> = {
  MAIL_FROM_OK: '2.1.0',
  RCPT_TO_OK: '2.1.5',
  DATA_OK: '2.6.0',
  AUTH_SUCCESS: '2.7.0',
  AUTH_REQUIRED: '5.7.0',
  AUTH_INVALID: '5.7.8',
  POLICY_VIOLATION: '5.7.1',
  NOT_AUTHORIZED: '5.7.0',
  SPAM_REJECTED: '5.7.1',
  MAILBOX_FULL: '4.2.2',
  TOO_MANY_RECIPIENTS: '4.5.3',
  MAILBOX_NOT_FOUND: '5.1.1',
  MAILBOX_SYNTAX_ERROR: '5.1.3',
  SENDER_SYNTAX_ERROR: '5.1.7',
  SYSTEM_ERROR: '4.3.0',
  SYSTEM_FULL: '4.3.1',
  MESSAGE_TOO_BIG: '5.3.4',
  NETWORK_ERROR: '4.4.0',
  CONNECTION_TIMEOUT: '4.4.2',
};

/**
 * The enhanced code smtp-server writes for `code` in `context`, or null for none.
 * 3xx replies never get one. Because the dispatcher passes the client's command name as
 * context, an unknown command literally named like a context (`DATA_OK`) picks that code:
 * a real quirk, kept.
 */
export function enhancedStatusCodeFor(code: number, context: ReplyContext, enabled: boolean): string | null {
  if (context === false || !enabled) return null;
  if (code >= 300 && code < 400) return null;
  if (context && WITHOUT_ENHANCED_CODE.has(context)) return null;
  if (context && Object.hasOwn(BY_CONTEXT, context)) return BY_CONTEXT[context] ?? null;
  const byCode = BY_REPLY_CODE[code];
  if (byCode) return byCode;
  if (code >= 200 && code < 300) return '2.0.0';
  if (code >= 400 && code < 500) return '4.0.0';
  if (code >= 500) return '5.0.0';
  return null;
}
