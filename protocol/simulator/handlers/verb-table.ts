/**
 * Every verb smtp-server has a handler for, mapped to the simulator's handler. A verb
 * missing here (EXPN, BDAT, LHLO, ETRN…) is an unrecognized command, as it is for
 * smtp-server.
 */
import type { CommandHandler } from '../server-session.ts';
import { handleEhlo, handleHelo } from './greeting-handlers.ts';
import { handleKill, handleProxyCommand, handleShell, handleWiz } from './joke-handlers.ts';
import { handleAuth, handleHelp, handleNoop, handleQuit, handleRset, handleStartTls, handleVrfy } from './session-handlers.ts';
import { handleData, handleMail, handleRcpt } from './transaction-handlers.ts';

export const SMTP_SERVER_VERBS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['EHLO', handleEhlo],
  ['HELO', handleHelo],
  ['QUIT', handleQuit],
  ['NOOP', handleNoop],
  ['RSET', handleRset],
  ['HELP', handleHelp],
  ['VRFY', handleVrfy],
  ['XCLIENT', handleProxyCommand],
  ['XFORWARD', handleProxyCommand],
  ['STARTTLS', handleStartTls],
  ['AUTH', handleAuth],
  ['MAIL', handleMail],
  ['RCPT', handleRcpt],
  ['DATA', handleData],
  ['WIZ', handleWiz],
  ['SHELL', handleShell],
  ['KILL', handleKill],
]);

/** The handler for an upper-cased command name, exactly as typed (no trimming). */
export function findVerbHandler(commandName: string): CommandHandler | undefined {
  return SMTP_SERVER_VERBS.get(commandName);
}
