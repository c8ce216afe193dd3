/**
 * Commands smtp-server answers although they are not SMTP: Postfix's XCLIENT and XFORWARD
 * (refused unless the server trusts a proxy, which the sandbox never does) and sendmail's
 * old WIZ/SHELL/KILL jokes. A learner can type them, so the simulator answers them too.
 */
import type { ServerContext } from '../server-context.ts';

export function handleProxyCommand(context: ServerContext): void {
  context.send(550, 'Error: Not allowed', 'NOT_AUTHORIZED');
}

export function handleWiz(context: ServerContext, line: string): void {
  const password = line.trim().split(/\s+/)[1] ?? '';
  if (!password) {
    context.send(500, 'You are no wizard!');
    return;
  }
  context.session.isWizard = true;
  context.send(200, 'Please pass, oh mighty wizard');
}

export function handleShell(context: ServerContext): void {
  if (!context.session.isWizard) {
    context.send(500, 'Mere mortals must not mutter that mantra');
    return;
  }
  context.send(500, 'Error: Invoking shell is not allowed. This incident will be reported.');
}

export function handleKill(context: ServerContext): void {
  context.send(500, 'Can not kill Mom');
}
