/**
 * The commands that do not touch the mail transaction's content: QUIT, NOOP, RSET, HELP,
 * VRFY (RFC 5321 §4.1.1), STARTTLS (RFC 3207) and AUTH (RFC 4954), with smtp-server's texts.
 */
import { findMechanism } from '../auth-exchange.ts';
import type { ServerContext } from '../server-context.ts';
import { resetTransaction } from '../server-session.ts';

export function handleQuit(context: ServerContext): void {
  context.send(221, 'Bye');
  context.close();
}

export function handleNoop(context: ServerContext): void {
  context.send(250, 'OK');
}

export function handleRset(context: ServerContext): void {
  resetTransaction(context.session);
  context.send(250, 'Flushed');
}

export function handleHelp(context: ServerContext): void {
  context.send(214, 'See https://tools.ietf.org/html/rfc5321 for details');
}

/** VRFY never verifies anything: 252 is the answer RFC 5321 §3.5.3 allows for that. */
export function handleVrfy(context: ServerContext, line: string): void {
  if (!line.trim().split(/\s+/)[1]) {
    context.send(501, 'Error: Syntax: VRFY address');
    return;
  }
  context.send(252, 'Try to send something. No promises though');
}

/** STARTTLS: 220, then the handshake; the rest of the input so far is discarded. */
export function handleStartTls(context: ServerContext, line: string): void {
  if (line.trim().split(/\s+/).length > 1) {
    context.send(501, 'Error: syntax: STARTTLS');
    return;
  }
  if (context.session.secure) {
    context.send(503, 'Error: TLS already active');
    return;
  }
  context.send(220, 'Ready to start TLS');
  context.startTlsUpgrade();
}

/** AUTH <mechanism> [initial-response]. */
export function handleAuth(context: ServerContext, line: string): void {
  const { session, settings } = context;
  const args = line.trim().split(/\s+/);
  args.shift();
  const method = (args.shift() ?? '').toUpperCase();
  // RFC 4954 §4: a server may refuse AUTH before TLS; the sandbox allows it unless configured.
  if (!session.secure && !settings.allowInsecureAuth) {
    context.send(538, 'Error: Must issue a STARTTLS command first');
    return;
  }
  if (session.user !== null) {
    context.send(503, 'Error: No identity changes permitted');
    return;
  }
  const mechanism = findMechanism(method);
  if (!settings.authMethods.some((offered) => offered === method) || !mechanism) {
    context.send(504, 'Error: Unrecognized authentication type');
    return;
  }
  mechanism(context, args);
}
