/**
 * One command line in, the shared checks applied once, then the verb's handler: a port of
 * smtp-server's `_onCommand` for the sandbox options. With `requireAuth` (smtp-server's
 * `authOptional: false`) the 530 "authentication Required" and the "too many
 * unauthenticated commands" rules apply; `closeAfterCommands` is checked before anything
 * else, as the sandbox's wrapper around `_onCommand` does.
 */
import { findVerbHandler } from './handlers/verb-table.ts';
import { tooManyCommandsReply } from './server-behaviours.ts';
import type { ServerContext } from './server-context.ts';

/** The tenth unrecognized command (counted since the last completed message) closes. */
const MAX_UNRECOGNIZED_COMMANDS = 10;

/** smtp-server's default `maxAllowedUnauthenticatedCommands`: the tenth closes. */
const MAX_UNAUTHENTICATED_COMMANDS = 10;

/** Commands that need AUTH first when it is required. */
const NEED_AUTH = new Set(['MAIL', 'RCPT', 'DATA']);

/** Commands that need a prior EHLO/HELO. */
const NEED_GREETING = new Set(['MAIL', 'RCPT', 'DATA', 'AUTH']);

/** A browser page trying to speak HTTP to the SMTP port (cross-protocol attack). */
const HTTP_REQUEST = /^(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT) \/.* HTTP\/\d\.\d$/i;

/** The command name as smtp-server reads it: up to the first space (not tab), upper-cased. */
export function commandNameOf(line: string): string {
  return (line.split(' ')[0] ?? '').toUpperCase();
}

/** Answers one complete command line (without its line end). */
export function dispatchCommand(context: ServerContext, line: string): void {
  const { session, settings } = context;
  const commandName = commandNameOf(line);
  const { closeAfterCommands, requireAuth } = settings.behaviours;
  if (closeAfterCommands > 0 && ++session.commandLines > closeAfterCommands) {
    const reply = tooManyCommandsReply(settings.hostname);
    context.send(reply.code, reply.text);
    return;
  }
  if (!session.ready) {
    // Talking before the greeting is what spam bots do (RFC 5321 §4.3.1 makes clients wait).
    context.send(421, `${context.settings.hostname} You talk too soon`, commandName);
    return;
  }
  if (HTTP_REQUEST.test(line)) {
    context.send(421, 'HTTP requests not allowed', commandName);
    return;
  }

  let handler = session.nextHandler;
  if (handler) session.nextHandler = null;
  else handler = findVerbHandler(commandName) ?? null;

  if (!handler) {
    session.unrecognizedCommands++;
    if (session.unrecognizedCommands >= MAX_UNRECOGNIZED_COMMANDS) {
      context.send(421, 'Error: too many unrecognized commands', commandName);
      return;
    }
    context.send(500, 'Error: command not recognized', commandName);
    return;
  }
  // AUTH continuation lines count too: their first word is not "AUTH".
  if (requireAuth && session.user === null && commandName !== 'AUTH') {
    session.unauthenticatedCommands++;
    if (session.unauthenticatedCommands >= MAX_UNAUTHENTICATED_COMMANDS) {
      context.send(421, 'Error: too many unauthenticated commands', commandName);
      return;
    }
  }
  if (!session.hostNameAppearsAs && NEED_GREETING.has(commandName)) {
    context.send(503, 'Error: send HELO/EHLO first');
    return;
  }
  if (requireAuth && session.user === null && NEED_AUTH.has(commandName)) {
    context.send(530, 'Error: authentication Required');
    return;
  }
  handler(context, line);
}
