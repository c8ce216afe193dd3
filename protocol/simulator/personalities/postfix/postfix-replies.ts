/**
 * Every reply of the lab's Postfix 3.7 (Debian, configured by .ci/postfix-lab.sh), code and
 * text exactly as the real server writes them, enhanced status code included (Postfix always
 * sends one, except on the few replies below that have none). Checked against the real
 * Postfix on 127.0.0.1:25; tests/conformance compares them scenario by scenario.
 */
export interface PostfixReply {
  readonly code: number;
  readonly text: string;
}

const reply = (code: number, text: string): PostfixReply => ({ code, text });

export const POSTFIX_REPLIES = {
  ehloSyntax: reply(501, 'Syntax: EHLO hostname'),
  heloSyntax: reply(501, 'Syntax: HELO hostname'),
  ok: reply(250, '2.0.0 Ok'),
  mailOk: reply(250, '2.1.0 Ok'),
  rcptOk: reply(250, '2.1.5 Ok'),
  bye: reply(221, '2.0.0 Bye'),
  rsetSyntax: reply(501, '5.5.4 Syntax: RSET'),
  dataSyntax: reply(501, '5.5.4 Syntax: DATA'),
  mailSyntax: reply(501, '5.5.4 Syntax: MAIL FROM:<address>'),
  rcptSyntax: reply(501, '5.5.4 Syntax: RCPT TO:<address>'),
  vrfySyntax: reply(501, '5.5.4 Syntax: VRFY address [SMTPUTF8]'),
  etrnSyntax: reply(500, 'Syntax: ETRN domain'),
  badSender: reply(501, '5.1.7 Bad sender address syntax'),
  badRecipient: reply(501, '5.1.3 Bad recipient address syntax'),
  badSizeSyntax: reply(501, '5.5.4 Bad message size syntax'),
  nestedMail: reply(503, '5.5.1 Error: nested MAIL command'),
  needMail: reply(503, '5.5.1 Error: need MAIL command'),
  needRcpt: reply(503, '5.5.1 Error: need RCPT command'),
  noValidRecipients: reply(554, '5.5.1 Error: no valid recipients'),
  tooManyRecipients: reply(452, '4.5.3 Error: too many recipients'),
  sizeExceeded: reply(552, '5.3.4 Message size exceeds fixed limit'),
  startData: reply(354, 'End data with <CR><LF>.<CR><LF>'),
  unknownCommand: reply(500, '5.5.2 Error: command not recognized'),
  badSyntax: reply(500, '5.5.2 Error: bad syntax'),
  notImplemented: reply(502, '5.5.1 Error: command not implemented'),
  authNotEnabled: reply(503, '5.5.1 Error: authentication not enabled'),
  /** The answer to a line that looks like a header or an HTTP request: it then hangs up. */
  breakRules: reply(221, '2.7.0 Error: I can break rules, too. Goodbye.'),
} as const satisfies Record<string, PostfixReply>;

export const unsupportedOption = (word: string): PostfixReply => reply(555, `5.5.4 Unsupported option: ${word}`);
export const relayDenied = (address: string): PostfixReply => reply(554, `5.7.1 <${address}>: Relay access denied`);
export const userUnknown = (address: string): PostfixReply =>
  reply(550, `5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table`);
export const verified = (argument: string): PostfixReply => reply(252, `2.0.0 ${argument}`);
export const queued = (queueId: string): PostfixReply => reply(250, `2.0.0 Ok: queued as ${queueId}`);
export const etrnRefused = (domain: string): PostfixReply => reply(459, `<${domain}>: service unavailable`);
export const tooManyErrors = (hostname: string): PostfixReply => reply(421, `4.7.0 ${hostname} Error: too many errors`);
