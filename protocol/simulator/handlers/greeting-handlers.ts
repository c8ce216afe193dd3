/** EHLO and HELO (RFC 5321 §4.1.1.1), with smtp-server's replies and extension list. */
import type { ServerContext } from '../server-context.ts';
import { resetTransaction } from '../server-session.ts';
import { CONTROL_CHARS } from '../address-command.ts';

/** RFC 5321 limits a domain to 255 octets; smtp-server allows a little slack. */
const MAX_HELO_HOSTNAME_LENGTH = 300;

/** The permissive check smtp-server applies to the EHLO/HELO argument. */
function isAcceptableHeloHostname(hostname: string): boolean {
  return hostname.length <= MAX_HELO_HOSTNAME_LENGTH && !CONTROL_CHARS.test(hostname);
}

/** The first line of the EHLO/HELO reply: `<name> Nice to meet you, [<client address>]`. */
function welcome(context: ServerContext): string {
  return `${context.settings.hostname} Nice to meet you, ${context.clientHostname}`;
}

/** The extensions smtp-server advertises, in its order, for the sandbox options. */
function extensions(context: ServerContext): string[] {
  const { settings, session } = context;
  const features = ['PIPELINING', '8BITMIME', 'SMTPUTF8'];
  if (settings.enhancedStatusCodes) features.push('ENHANCEDSTATUSCODES');
  // AUTH disappears once the client has authenticated: no identity changes are allowed.
  if (session.user === null) features.push(['AUTH', ...settings.authMethods].join(' '));
  if (!session.secure) features.push('STARTTLS');
  if (settings.maxMessageSize) features.push(`SIZE ${settings.maxMessageSize}`);
  return features;
}

/** Reads the one hostname argument; answers 501 and returns null when it is unusable. */
function acceptHostname(context: ServerContext, line: string, syntaxError: string): string | null {
  const parts = line.trim().split(/\s+/);
  const hostname = parts[1] ?? '';
  if (parts.length !== 2) {
    context.send(501, syntaxError, false);
    return null;
  }
  if (!isAcceptableHeloHostname(hostname)) {
    context.send(501, 'Error: Bad hostname syntax', false);
    return null;
  }
  return hostname.toLowerCase();
}

/** EHLO: identifies the client, resets the transaction, lists the extensions. */
export function handleEhlo(context: ServerContext, line: string): void {
  const hostname = acceptHostname(context, line, 'Error: syntax: EHLO hostname');
  if (hostname === null) return;
  context.session.hostNameAppearsAs = hostname;
  const features = extensions(context);
  resetTransaction(context.session);
  context.send(250, [welcome(context), ...features], false);
}

/** HELO: like EHLO without extensions. */
export function handleHelo(context: ServerContext, line: string): void {
  const hostname = acceptHostname(context, line, 'Error: Syntax: HELO hostname');
  if (hostname === null) return;
  context.session.hostNameAppearsAs = hostname;
  resetTransaction(context.session);
  context.send(250, welcome(context), false);
}
