/**
 * The mail transaction (RFC 5321 §3.3): MAIL FROM, RCPT TO and DATA, with smtp-server's
 * checks in smtp-server's order, and the reply to the end of the message data.
 */
import { queuedReplyText } from '../../sandbox-config.ts';
import { parseAddressCommand } from '../address-command.ts';
import { localRecipientRefusal } from '../local-recipients.ts';
import { SMTP_SERVER_TEXTS } from '../personalities/modelled/modelled-table.ts';
import { recipientRefusal } from '../server-behaviours.ts';
import type { ServerContext } from '../server-context.ts';
import { resetTransaction } from '../server-session.ts';
import { contentOverSizeLimit } from '../message-size.ts';
import { invalidParameterError, MAIL_VALUE_PARAMS, mailParameterError, RCPT_VALUE_PARAMS, sendParameterError } from './mail-parameters.ts';

/** MAIL FROM: starts a transaction with the reverse-path (`<>` allowed). */
export function handleMail(context: ServerContext, line: string): void {
  const parsed = parseAddressCommand('MAIL FROM', line);
  if (!parsed) {
    context.send(501, 'Error: Bad sender address syntax', 'SENDER_SYNTAX_ERROR');
    return;
  }
  if (sendParameterError(context, invalidParameterError(parsed, MAIL_VALUE_PARAMS))) return;
  if (context.session.mailFrom) {
    context.send(503, 'Error: nested MAIL command');
    return;
  }
  if (sendParameterError(context, mailParameterError(context, parsed))) return;
  context.session.mailFrom = { address: parsed.address };
  context.send(250, 'Accepted', 'MAIL_FROM_OK');
}

/** RCPT TO: adds a recipient; a repeated one replaces itself instead of counting twice. */
export function handleRcpt(context: ServerContext, line: string): void {
  const { session, settings } = context;
  const parsed = parseAddressCommand('RCPT TO', line);
  if (!parsed || !parsed.address) {
    context.send(501, 'Error: Bad recipient address syntax', 'MAILBOX_SYNTAX_ERROR');
    return;
  }
  if (sendParameterError(context, invalidParameterError(parsed, RCPT_VALUE_PARAMS))) return;
  if (!session.mailFrom) {
    context.send(503, 'Error: need MAIL command');
    return;
  }
  const key = parsed.address.toLowerCase();
  const known = session.rcptIndex.get(key);
  if (settings.maxRecipients && session.rcptTo.length >= settings.maxRecipients && known === undefined) {
    context.send(452, 'Error: too many recipients', 'TOO_MANY_RECIPIENTS');
    return;
  }
  // The sandbox's onRcptTo hook: its refusal gets the enhanced code of its reply code.
  const refusal = context.localRecipients
    ? localRecipientRefusal(context.localRecipients, session.mailFrom.address, parsed.address, SMTP_SERVER_TEXTS)
    : recipientRefusal(
        settings.behaviours,
        { sender: session.mailFrom.address, recipient: parsed.address, authenticated: session.user !== null },
        context.greylist,
      );
  if (refusal) {
    context.send(refusal.code, refusal.text);
    return;
  }
  if (known !== undefined) {
    session.rcptTo[known] = { address: parsed.address };
  } else {
    session.rcptTo.push({ address: parsed.address });
    session.rcptIndex.set(key, session.rcptTo.length - 1);
  }
  context.send(250, 'Accepted', 'RCPT_TO_OK');
}

/** DATA: any argument is ignored, as smtp-server ignores it. */
export function handleData(context: ServerContext): void {
  if (context.session.rcptTo.length === 0) {
    context.send(503, 'Error: need RCPT command');
    return;
  }
  context.startDataMode((content) => finishMessage(context, content));
  context.send(354, 'End data with <CR><LF>.<CR><LF>');
}

/**
 * The reply to the end of data. smtp-server reads an oversized message to its end and only
 * then refuses it (RFC 1870 §6.3); either way the transaction is over and the count of
 * unrecognized commands starts again.
 */
function finishMessage(context: ServerContext, content: string): void {
  const { maxMessageSize } = context.settings;
  if (contentOverSizeLimit(content, maxMessageSize)) {
    context.send(552, `Error: message exceeds fixed maximum message size ${maxMessageSize}`, 'MESSAGE_TOO_BIG');
  } else {
    context.send(250, queuedReplyText(context.deliver(content)), 'DATA_OK');
  }
  context.session.unrecognizedCommands = 0;
  resetTransaction(context.session);
}
