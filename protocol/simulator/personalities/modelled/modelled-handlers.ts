/**
 * The one command loop and verb table every documentation-modelled personality shares,
 * built from its ModelledTable. Address syntax and MAIL/RCPT parameters are checked by
 * smtp-server's own parser and checks (no source documents these servers' verdicts);
 * STARTTLS, AUTH and VRFY are smtp-server's handlers for the same reason.
 */
import { parseAddressCommand } from '../../address-command.ts';
import { invalidParameterError, MAIL_VALUE_PARAMS, mailParameterError, RCPT_VALUE_PARAMS, sendParameterError } from '../../handlers/mail-parameters.ts';
import { SMTP_SERVER_VERBS } from '../../handlers/verb-table.ts';
import type { ServerContext } from '../../server-context.ts';
import { localRecipientRefusal } from '../../local-recipients.ts';
import { contentOverSizeLimit, overSizeLimit } from '../../message-size.ts';
import { resetTransaction, type CommandHandler } from '../../server-session.ts';
import type { SandboxConfig } from '../../../sandbox-config.ts';
import type { ModelledReply, ModelledTable } from './modelled-table.ts';

/** These servers write their own enhanced status codes: the simulator adds none. */
function send(context: ServerContext, reply: ModelledReply): void {
  context.send(reply.code, reply.text, false);
}

/** The size limit in force: the table's, or the lab's configured one when the table announces none. */
export function modelledSizeLimit(table: ModelledTable, settings: Pick<SandboxConfig, 'maxMessageSize'>): number {
  return table.messageSizeLimit ?? settings.maxMessageSize;
}

function greetingHandler(table: ModelledTable, extended: boolean): CommandHandler {
  return (context, line) => {
    const helo = line.trim().split(/\s+/)[1];
    if (helo === undefined) return send(context, table.replies.heloSyntax(extended ? 'EHLO' : 'HELO'));
    context.session.hostNameAppearsAs = helo.toLowerCase();
    resetTransaction(context.session);
    const welcome = table.welcome(context.settings.hostname, helo, context.clientHostname);
    context.send(250, extended ? [welcome, ...table.ehloKeywords] : welcome, false);
  };
}

function mailHandler(table: ModelledTable): CommandHandler {
  return (context, line) => {
    const { session } = context;
    if (session.mailFrom) return send(context, table.replies.nestedMail);
    const parsed = parseAddressCommand('MAIL FROM', line);
    if (!parsed) return send(context, table.replies.badSender);
    if (sendParameterError(context, invalidParameterError(parsed, MAIL_VALUE_PARAMS))) return;
    // SIZE= syntax as smtp-server checks it; the limit is the table's, refused in its words.
    if (sendParameterError(context, mailParameterError(context, parsed, 0))) return;
    const limit = modelledSizeLimit(table, context.settings);
    if (overSizeLimit(Number(parsed.params.get('SIZE') ?? 0), limit)) return send(context, table.replies.sizeExceeded(limit));
    session.mailFrom = { address: parsed.address };
    send(context, table.replies.mailOk);
  };
}

function rcptHandler(table: ModelledTable): CommandHandler {
  return (context, line) => {
    const { session } = context;
    if (!session.mailFrom) return send(context, table.replies.needMail);
    const parsed = parseAddressCommand('RCPT TO', line);
    if (!parsed || !parsed.address) return send(context, table.replies.badRecipient);
    if (sendParameterError(context, invalidParameterError(parsed, RCPT_VALUE_PARAMS))) return;
    // The host's rules (a lab MX), else the table's lab domains and users.
    const local = context.localRecipients ?? { domains: table.localDomains, users: table.localUsers };
    const refusal = localRecipientRefusal(local, session.mailFrom.address, parsed.address, table.replies);
    if (refusal) return send(context, refusal);
    session.rcptTo.push({ address: parsed.address });
    send(context, table.replies.rcptOk);
  };
}

function dataHandler(table: ModelledTable): CommandHandler {
  return (context) => {
    const { session } = context;
    if (session.rcptTo.length === 0) return send(context, session.mailFrom ? table.replies.needRcpt : table.replies.dataWithoutMail);
    const limit = modelledSizeLimit(table, context.settings);
    context.startDataMode((content) => {
      // Read to its end (RFC 1870 §6.3), at most limit + 1 octets kept (the personality's reader).
      send(context, contentOverSizeLimit(content, limit) ? table.replies.sizeExceeded(limit) : table.replies.queued(context.deliver(content)));
      resetTransaction(session);
    });
    send(context, table.replies.startData);
  };
}

/** The verb table: the table's texts for the transaction, smtp-server's handlers for the rest. */
export function modelledVerbs(table: ModelledTable): ReadonlyMap<string, CommandHandler> {
  const { replies } = table;
  const fromSmtpServer = (verb: string): [string, CommandHandler][] => {
    const handler = SMTP_SERVER_VERBS.get(verb);
    return handler ? [[verb, handler]] : [];
  };
  return new Map<string, CommandHandler>([
    ['EHLO', greetingHandler(table, true)],
    ['HELO', greetingHandler(table, false)],
    ['MAIL', mailHandler(table)],
    ['RCPT', rcptHandler(table)],
    ['DATA', dataHandler(table)],
    ['RSET', (context) => {
      resetTransaction(context.session);
      send(context, replies.reset);
    }],
    ['NOOP', (context) => send(context, replies.ok)],
    ['QUIT', (context) => {
      send(context, replies.bye(context.settings.hostname));
      context.close();
    }],
    ...fromSmtpServer('VRFY'),
    ['HELP', (context) => send(context, replies.help)],
    ...(table.ehloKeywords.includes('STARTTLS') ? fromSmtpServer('STARTTLS') : []),
    ...(table.ehloKeywords.some((keyword) => keyword.startsWith('AUTH')) ? fromSmtpServer('AUTH') : []),
  ]);
}

const NEED_HELO = new Set(['MAIL', 'RCPT', 'DATA']);

/** The command loop: early talkers, pipelining synchronization, unknown commands, HELO first. */
export function modelledDispatch(table: ModelledTable, verbs: ReadonlyMap<string, CommandHandler>): (context: ServerContext, line: string) => void {
  return (context, line) => {
    const { session, settings } = context;
    if (!session.ready) {
      send(context, table.replies.earlyTalker(settings.hostname));
      context.close();
      return;
    }
    const verb = (line.trim().split(/\s+/)[0] ?? '').toUpperCase();
    if (table.syncError && table.syncCommands.has(verb) && context.hasPendingInput()) {
      send(context, table.syncError);
      context.close();
      return;
    }
    const handler = verbs.get(verb);
    if (!handler) {
      session.unrecognizedCommands++;
      const limited = session.unrecognizedCommands >= table.maxUnknownCommands;
      send(context, limited ? table.replies.tooManyUnknownCommands : table.replies.unknownCommand);
      if (limited) context.close();
      return;
    }
    if (table.requireHelo && !session.hostNameAppearsAs && NEED_HELO.has(verb)) return send(context, table.replies.needHelo);
    handler(context, line);
  };
}
