/**
 * Postfix smtpd's command handlers (smtpd.c's helo_cmd, mail_cmd, rcpt_cmd, data_cmd, …) for
 * the lab configuration, each check in Postfix's order, every text from POSTFIX_REPLIES.
 */
import type { ServerContext } from '../../server-context.ts';
import { resetTransaction, type CommandHandler } from '../../server-session.ts';
import { contentOverSizeLimit, overSizeLimit } from '../../message-size.ts';
import { handlePostfixBdat } from './postfix-bdat.ts';
import { parsePostfixAddressCommand, readAddressArgument } from './postfix-address.ts';
import { POSTFIX_EHLO_KEYWORDS, POSTFIX_LIMITS } from './postfix-lab.ts';
import { postfixRecipientRefusal } from './postfix-recipients.ts';
import { etrnRefused, POSTFIX_REPLIES, queued, unsupportedOption, verified, type PostfixReply } from './postfix-replies.ts';

/** Postfix writes its enhanced status codes itself: the simulator adds none. */
function send(context: ServerContext, reply: PostfixReply | null): void {
  if (reply) context.send(reply.code, reply.text, false);
}

/** The words after the verb. */
function argumentsOf(line: string): string[] {
  return line.trim().split(/\s+/).slice(1);
}

function handleEhlo(context: ServerContext, line: string): void {
  const name = argumentsOf(line)[0];
  if (name === undefined) return send(context, POSTFIX_REPLIES.ehloSyntax);
  context.session.hostNameAppearsAs = name.toLowerCase();
  resetTransaction(context.session);
  context.send(250, [context.settings.hostname, ...POSTFIX_EHLO_KEYWORDS], false);
}

function handleHelo(context: ServerContext, line: string): void {
  const name = argumentsOf(line)[0];
  if (name === undefined) return send(context, POSTFIX_REPLIES.heloSyntax);
  context.session.hostNameAppearsAs = name.toLowerCase();
  resetTransaction(context.session);
  context.send(250, context.settings.hostname, false);
}

/** RFC 3461 xtext: printable ASCII except "+" and "=", or "+" and two upper-case hex digits. */
const XTEXT = /^(?:[!-*,-<>-~]|\+[0-9A-F]{2})+$/;
/** RFC 3461 §4.1: NEVER alone, or any of SUCCESS, FAILURE, DELAY. */
const NOTIFY = /^(?:NEVER|(?:SUCCESS|FAILURE|DELAY)(?:,(?:SUCCESS|FAILURE|DELAY))*)$/i;
/** The largest size a 64-bit file offset holds; a larger SIZE gets another text. */
const MAX_FILE_OFFSET = 2n ** 63n - 1n;

/** The refusal of one MAIL FROM parameter; SIZE is remembered even when it is too large. */
function mailParameterRefusal(context: ServerContext, word: string): PostfixReply | null {
  const [keyword = '', value] = word.split(/=(.*)/s);
  switch (keyword.toUpperCase()) {
    case 'SIZE':
      if (value === undefined) break;
      if (!/^\d+$/.test(value)) return POSTFIX_REPLIES.badSizeSyntax;
      context.session.declaredSize = BigInt(value) > MAX_FILE_OFFSET ? Number.POSITIVE_INFINITY : Number(value);
      return null;
    case 'BODY':
      if (value !== undefined && /^(7BIT|8BITMIME)$/i.test(value)) return null;
      break;
    case 'SMTPUTF8':
      if (value === undefined) return null;
      break;
    case 'RET':
      return value !== undefined && /^(FULL|HDRS)$/i.test(value) ? null : POSTFIX_REPLIES.badRetSyntax;
    case 'ENVID':
      return value !== undefined && XTEXT.test(value) ? null : POSTFIX_REPLIES.badEnvidSyntax;
    case 'AUTH':
      if (value !== undefined) return null;
      break;
  }
  return unsupportedOption(word);
}

function handleMail(context: ServerContext, line: string): void {
  const { session } = context;
  const parsed = parsePostfixAddressCommand(line, 'FROM');
  if (parsed.kind === 'syntax') return send(context, POSTFIX_REPLIES.mailSyntax);
  if (session.mailFrom) return send(context, POSTFIX_REPLIES.nestedMail);
  if (parsed.kind === 'bad-address') return send(context, POSTFIX_REPLIES.badSender);
  for (const word of parsed.params) {
    const refusal = mailParameterRefusal(context, word);
    if (refusal) return send(context, refusal);
  }
  // A refused SIZE stays in force until RSET: the next MAIL without SIZE is refused too.
  if (session.declaredSize === Number.POSITIVE_INFINITY) return send(context, POSTFIX_REPLIES.sizeBeyondFileSystem);
  if (overSizeLimit(session.declaredSize, POSTFIX_LIMITS.messageSize)) return send(context, POSTFIX_REPLIES.sizeExceeded);
  session.mailFrom = { address: parsed.address };
  send(context, POSTFIX_REPLIES.mailOk);
}

/** The refusal of one RCPT TO parameter (RFC 3461 NOTIFY and ORCPT are the only ones). */
function rcptParameterRefusal(word: string): PostfixReply | null {
  const [keyword = '', value] = word.split(/=(.*)/s);
  switch (keyword.toUpperCase()) {
    case 'NOTIFY':
      return value !== undefined && NOTIFY.test(value) ? null : POSTFIX_REPLIES.badNotifySyntax;
    case 'ORCPT': {
      const [addressType = '', address] = (value ?? '').split(/;(.*)/s);
      return /^[A-Za-z0-9-]+$/.test(addressType) && address !== undefined && XTEXT.test(address) ? null : POSTFIX_REPLIES.badOrcptSyntax;
    }
  }
  return unsupportedOption(word);
}

function handleRcpt(context: ServerContext, line: string): void {
  const { session } = context;
  if (!session.mailFrom) return send(context, POSTFIX_REPLIES.needMail);
  const parsed = parsePostfixAddressCommand(line, 'TO');
  if (parsed.kind === 'syntax') return send(context, POSTFIX_REPLIES.rcptSyntax);
  if (parsed.kind === 'bad-address' || parsed.address === '') return send(context, POSTFIX_REPLIES.badRecipient);
  for (const word of parsed.params) {
    const refusal = rcptParameterRefusal(word);
    if (refusal) return send(context, refusal);
  }
  if (session.rcptTo.length >= POSTFIX_LIMITS.recipients) return send(context, POSTFIX_REPLIES.tooManyRecipients);
  const refusal = postfixRecipientRefusal(context, parsed.address, 'RCPT');
  if (refusal) return send(context, refusal);
  // Postfix counts a repeated recipient again (its queue manager removes duplicates later).
  session.rcptTo.push({ address: parsed.address });
  send(context, POSTFIX_REPLIES.rcptOk);
}

function handleData(context: ServerContext, line: string): void {
  const { session } = context;
  if (session.rcptTo.length === 0) {
    // A sender but no recipient: every RCPT was refused, so none is valid.
    return send(context, session.mailFrom ? POSTFIX_REPLIES.noValidRecipients : POSTFIX_REPLIES.needRcpt);
  }
  if (argumentsOf(line).length > 0) return send(context, POSTFIX_REPLIES.dataSyntax);
  if (session.chunkedContent !== null) return send(context, POSTFIX_REPLIES.dataAfterBdat);
  context.startDataMode((content) => {
    const tooBig = contentOverSizeLimit(content, POSTFIX_LIMITS.messageSize);
    send(context, tooBig ? POSTFIX_REPLIES.sizeExceeded : queued(context.deliver(content)));
    resetTransaction(session);
  });
  send(context, POSTFIX_REPLIES.startData);
}

function handleRset(context: ServerContext, line: string): void {
  if (argumentsOf(line).length > 0) return send(context, POSTFIX_REPLIES.rsetSyntax);
  resetTransaction(context.session);
  send(context, POSTFIX_REPLIES.ok);
}

/** VRFY really checks: the recipient restrictions decide, and 252 repeats the argument. */
function handleVrfy(context: ServerContext, line: string): void {
  const argument = line.trim().slice(4).trim();
  if (argument === '') return send(context, POSTFIX_REPLIES.vrfySyntax);
  const parsed = readAddressArgument(argument);
  if (parsed.kind !== 'ok' || parsed.params.length > 0) return send(context, POSTFIX_REPLIES.badRecipient);
  send(context, postfixRecipientRefusal(context, parsed.address, 'VRFY') ?? verified(argument));
}

/** ETRN asks the server to flush its queue for a domain; the lab relays nothing, so 459. */
function handleEtrn(context: ServerContext, line: string): void {
  const domain = argumentsOf(line)[0];
  if (context.session.mailFrom) return send(context, POSTFIX_REPLIES.etrnInTransaction);
  // RFC 1985 §5: "@domain" asks for the domain and its subdomains; Postfix names the domain alone.
  send(context, domain === undefined ? POSTFIX_REPLIES.etrnSyntax : etrnRefused(domain.replace(/^@/, '')));
}

function handleQuit(context: ServerContext): void {
  send(context, POSTFIX_REPLIES.bye);
  context.close();
}

export const POSTFIX_VERBS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['EHLO', handleEhlo],
  ['HELO', handleHelo],
  ['MAIL', handleMail],
  ['RCPT', handleRcpt],
  ['DATA', handleData],
  ['BDAT', handlePostfixBdat],
  ['RSET', handleRset],
  ['NOOP', (context) => send(context, POSTFIX_REPLIES.ok)],
  ['VRFY', handleVrfy],
  ['ETRN', handleEtrn],
  ['QUIT', handleQuit],
  // Without a certificate and without SASL, Postfix knows these verbs but refuses them.
  ['STARTTLS', (context) => send(context, POSTFIX_REPLIES.notImplemented)],
  ['AUTH', (context) => send(context, POSTFIX_REPLIES.authNotEnabled)],
  ['XCLIENT', (context) => send(context, POSTFIX_REPLIES.notAuthorized)],
  ['XFORWARD', (context) => send(context, POSTFIX_REPLIES.notAuthorized)],
]);
