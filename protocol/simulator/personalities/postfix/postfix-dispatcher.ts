/**
 * Postfix smtpd's command loop (smtpd_proto): no HELO needed first, no limit on unknown
 * commands as such, but a line that looks like a message header or an HTTP/CONNECT request
 * (`smtpd_forbidden_commands`) is taken for a client that lost track of the protocol (for
 * example one sending its message after a refused DATA) and ends the connection with 221.
 * After `smtpd_hard_error_limit` error replies the server says 421 and hangs up at once.
 */
import type { ServerContext } from '../../server-context.ts';
import { POSTFIX_LIMITS } from './postfix-lab.ts';
import { POSTFIX_VERBS } from './postfix-handlers.ts';
import { POSTFIX_REPLIES, tooManyErrors } from './postfix-replies.ts';

/** Postfix's is_header(): a header name then a colon, such as "Subject:". */
const HEADER_NAME = /^[!-9;-~]+:/;
/** `smtpd_forbidden_commands = CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}` (case-insensitive). */
const FORBIDDEN_COMMAND = /^(CONNECT|GET|POST)$|^[^A-Z]/i;

export function dispatchPostfixCommand(context: ServerContext, line: string): void {
  const word = line.trim().split(/\s+/)[0] ?? '';
  const send = (reply: { code: number; text: string }): void => context.send(reply.code, reply.text, false);
  const handler = POSTFIX_VERBS.get(word.toUpperCase());
  if (word === '') send(POSTFIX_REPLIES.badSyntax);
  else if (handler) handler(context, line);
  else if (HEADER_NAME.test(word) || FORBIDDEN_COMMAND.test(word)) {
    send(POSTFIX_REPLIES.breakRules);
    context.close();
  } else send(POSTFIX_REPLIES.unknownCommand);

  if (!context.session.closed && context.session.errorReplies >= POSTFIX_LIMITS.hardErrors) {
    send(tooManyErrors(context.settings.hostname));
  }
}
