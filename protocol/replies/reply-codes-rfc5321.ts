/**
 * Every reply code of RFC 5321 §4.2.2/§4.2.3, with the RFC's wording as title. Notes on
 * smtp-server quote its real texts (smtp-connection.js, enhanced codes switched on).
 */
import type { ReplyCodeEntry } from './types.ts';

export const RFC5321_REPLY_CODES: readonly ReplyCodeEntry[] = [
  {
    code: 211,
    title: 'System status, or system help reply',
    meaning: 'The server reports its status or gives general help.',
    typicalCause: 'Rare in practice: a few servers answer HELP or a status request with it.',
    clientAction: 'Read it; nothing else is needed.',
    rfc: 'RFC 5321 §4.2.3',
  },
  {
    code: 214,
    title: 'Help message',
    meaning:
      'Information on how to use the server or on one of its non-standard commands. It is meant for a human, not for a program.',
    typicalCause: 'You sent HELP (optionally with a command name).',
    clientAction: 'Read it; the session state does not change.',
    rfc: 'RFC 5321 §4.2.3, §4.1.1.8',
    smtpServer: 'smtp-server answers every HELP with "214 2.0.0 See https://tools.ietf.org/html/rfc5321 for details".',
  },
  {
    code: 220,
    title: '<domain> Service ready',
    meaning: 'The server is ready for the SMTP conversation; the text starts with its domain name.',
    typicalCause: 'The greeting, sent as soon as you connect, before you type anything.',
    clientAction: 'Introduce yourself with EHLO (or HELO for plain SMTP), e.g. EHLO client.example.',
    rfc: 'RFC 5321 §4.2.3, §3.1',
    smtpServer:
      'smtp-server greets with "220 <hostname> ESMTP <banner>" and no enhanced code. Lines you send before this greeting get "421 <hostname> You talk too soon".',
  },
  {
    code: 221,
    title: '<domain> Service closing transmission channel',
    meaning: 'The server agrees to end the session and closes the connection.',
    typicalCause: 'You sent QUIT.',
    clientAction: 'Nothing more to send; the connection closes.',
    rfc: 'RFC 5321 §4.2.3, §4.1.1.10',
    smtpServer: 'smtp-server answers QUIT with "221 2.0.0 Bye".',
  },
  {
    code: 250,
    title: 'Requested mail action okay, completed',
    meaning: 'The command worked.',
    typicalCause:
      'The answer to a successful EHLO/HELO, MAIL FROM, RCPT TO, RSET or NOOP, and to the final "." of a message that was accepted.',
    clientAction: 'Go on with the next step of the conversation.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer:
      'smtp-server says "250 2.1.0 Accepted" to MAIL, "250 2.1.5 Accepted" to RCPT, "250 2.0.0 OK" to NOOP, "250 2.0.0 Flushed" to RSET, and "250 2.6.0 …" when a message was accepted.',
  },
  {
    code: 251,
    title: 'User not local; will forward to <forward-path>',
    meaning:
      'The recipient is not hosted here, but the server accepts the message and will forward it to the address in the text.',
    typicalCause: 'RCPT TO for a user who has moved, on a server that forwards for them.',
    clientAction: 'Treat it like 250: the recipient is accepted. You may update your address book.',
    rfc: 'RFC 5321 §4.2.3, §3.4',
  },
  {
    code: 252,
    title: 'Cannot VRFY user, but will accept message and attempt delivery',
    meaning:
      'The server will not confirm whether the address exists, but it would accept mail for it.',
    typicalCause:
      'You sent VRFY. Most servers refuse to confirm addresses, so that spammers cannot harvest them.',
    clientAction: 'Just send the message; RCPT TO is where the server really decides.',
    rfc: 'RFC 5321 §4.2.3, §3.5.3',
    smtpServer: 'smtp-server answers every VRFY with "252 2.1.5 Try to send something. No promises though".',
  },
  {
    code: 354,
    title: 'Start mail input; end with <CRLF>.<CRLF>',
    meaning: 'The server is ready for the message itself: header fields, an empty line, then the body.',
    typicalCause: 'You sent DATA after at least one recipient was accepted.',
    clientAction:
      'Send the message, doubling a "." at the start of any line (dot-stuffing), and end it with a line holding only ".".',
    rfc: 'RFC 5321 §4.2.3, §4.1.1.4, §4.5.2',
    smtpServer: 'smtp-server says "354 End data with <CR><LF>.<CR><LF>" (3xx replies carry no enhanced code).',
  },
  {
    code: 421,
    title: '<domain> Service not available, closing transmission channel',
    meaning:
      'The server is closing the connection. It may send this in answer to any command when it must stop.',
    typicalCause: 'The server is shutting down or overloaded, you were idle too long, or you made too many errors.',
    clientAction: 'The session is over; connect again later. Mail not yet accepted was not delivered.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer:
      'smtp-server sends 421 and disconnects on the 10th unrecognized command ("Error: too many unrecognized commands"), on a command line longer than its limit ("Error: Command line too long", where RFC 5321 suggests 500), after an idle timeout ("Timeout - closing connection"), and before its greeting ("You talk too soon").',
  },
  {
    code: 450,
    title: 'Requested mail action not taken: mailbox unavailable',
    meaning:
      'The mailbox cannot take the message right now, e.g. it is busy or temporarily blocked for policy reasons.',
    typicalCause: 'A busy mailbox, or greylisting: a server that refuses unknown senders once to see whether they retry.',
    clientAction: 'Try again later; this is a temporary failure.',
    rfc: 'RFC 5321 §4.2.3',
  },
  {
    code: 451,
    title: 'Requested action aborted: local error in processing',
    meaning: 'Something went wrong on the server while handling your command.',
    typicalCause: 'A temporary server-side problem, such as a failed DNS lookup or an unavailable filter.',
    clientAction: 'Try again later; this is a temporary failure.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer: 'smtp-server answers "451 4.3.0 Error: internal server error" when its own handler fails.',
  },
  {
    code: 452,
    title: 'Requested action not taken: insufficient system storage',
    meaning:
      'The server cannot take more right now. RFC 5321 also uses it in answer to RCPT TO when you passed the server\'s recipient limit.',
    typicalCause: 'A full disk, or too many RCPT TO commands in one transaction.',
    clientAction:
      'Try again later. For too many recipients, send this message now to the recipients already accepted and the rest in another transaction.',
    rfc: 'RFC 5321 §4.2.3, §4.5.3.1.10',
    smtpServer: 'smtp-server answers "452 4.5.3 Error: too many recipients" when the recipient limit is reached.',
  },
  {
    code: 455,
    title: 'Server unable to accommodate parameters',
    meaning: 'The server understands the MAIL FROM or RCPT TO parameters you gave but cannot honor them right now.',
    typicalCause: 'An ESMTP parameter the server supports in general but not at this moment.',
    clientAction: 'Try again later, or without that parameter.',
    rfc: 'RFC 5321 §4.2.3, §4.1.1.11',
  },
  {
    code: 500,
    title: 'Syntax error, command unrecognized',
    meaning: 'The server does not know this command. RFC 5321 notes this can also mean the command line was too long.',
    typicalCause: 'A typo in the command word, a command the server does not implement, or text sent at the wrong time.',
    clientAction: 'Check the spelling of the command; SMTP commands are words such as EHLO, MAIL, RCPT, DATA, QUIT.',
    rfc: 'RFC 5321 §4.2.3, §4.2.4',
    smtpServer:
      'smtp-server answers "500 5.5.2 Error: command not recognized", also for commands it does not implement (EXPN, ETRN, BDAT) where RFC 5321 suggests 502; the 10th unrecognized command gets 421 and the connection closes.',
  },
  {
    code: 501,
    title: 'Syntax error in parameters or arguments',
    meaning: 'The server knows the command, but what follows it is malformed.',
    typicalCause:
      'EHLO without a hostname, an address without angle brackets (MAIL FROM:alice@example.com), or a bad parameter value.',
    clientAction: 'Fix the arguments, e.g. MAIL FROM:<alice@example.com>, and send the command again.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer:
      'smtp-server texts include "501 Error: syntax: EHLO hostname", "501 5.1.7 Error: Bad sender address syntax" and "501 5.1.3 Error: Bad recipient address syntax".',
  },
  {
    code: 502,
    title: 'Command not implemented',
    meaning: 'The server recognizes the command but does not implement it.',
    typicalCause: 'An optional command such as EXPN, TURN or ETRN.',
    clientAction: 'Do without it; nothing else changed.',
    rfc: 'RFC 5321 §4.2.3, §4.2.4',
    smtpServer: 'smtp-server never sends 502; it answers commands it lacks with 500.',
  },
  {
    code: 503,
    title: 'Bad sequence of commands',
    meaning: 'The command is valid, but not at this point of the conversation.',
    typicalCause: 'RCPT TO before MAIL FROM, DATA before any accepted RCPT TO, MAIL FROM before EHLO, or a second MAIL FROM in a transaction.',
    clientAction: 'Send the missing earlier step first: EHLO, then MAIL FROM, then RCPT TO, then DATA.',
    rfc: 'RFC 5321 §4.2.3, §4.1.4',
    smtpServer:
      'smtp-server texts include "503 5.5.1 Error: send HELO/EHLO first", "Error: need MAIL command", "Error: need RCPT command" and "Error: nested MAIL command".',
  },
  {
    code: 504,
    title: 'Command parameter not implemented',
    meaning: 'The command is fine, but one of its parameters is something the server does not support.',
    typicalCause: 'AUTH with a mechanism the server does not offer, or an unsupported parameter value.',
    clientAction: 'Use a parameter or mechanism the server advertised in its EHLO reply.',
    rfc: 'RFC 5321 §4.2.3',
  },
  {
    code: 550,
    title: 'Requested action not taken: mailbox unavailable',
    meaning:
      'The server refuses the command for good, e.g. the mailbox does not exist, you have no access, or policy forbids it.',
    typicalCause: 'RCPT TO an unknown user, or a server that will not relay mail to other domains for you.',
    clientAction: 'Do not retry unchanged: check the address, or send through a server that accepts mail for you.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer: 'smtp-server uses 550 when the application rejects an address without choosing a code.',
  },
  {
    code: 551,
    title: 'User not local; please try <forward-path>',
    meaning: 'The recipient is not hosted here and this server will not forward; the text may name the right address.',
    typicalCause: 'RCPT TO for a user who has moved, on a server that does not forward.',
    clientAction: 'Send to the address given in the text, or report the failure to the sender.',
    rfc: 'RFC 5321 §4.2.3, §3.4',
  },
  {
    code: 552,
    title: 'Requested mail action aborted: exceeded storage allocation',
    meaning:
      'The message does not fit: the SIZE extension (RFC 1870) uses this code for a message over the server\'s size limit.',
    typicalCause:
      'MAIL FROM with a SIZE= larger than the limit advertised in EHLO, or a message that grew past it during DATA. Older servers also sent it for too many recipients.',
    clientAction:
      'Make the message smaller (e.g. smaller attachments). In answer to RCPT TO, treat it like 452, as RFC 5321 §4.5.3.1.10 asks.',
    rfc: 'RFC 5321 §4.2.3; RFC 1870 §6',
    smtpServer: 'smtp-server says "552 5.3.4 Error: message exceeds fixed maximum message size <limit>".',
  },
  {
    code: 553,
    title: 'Requested action not taken: mailbox name not allowed',
    meaning: 'The server will not use this address, e.g. because its syntax is incorrect.',
    typicalCause: 'A malformed or forbidden address in MAIL FROM or RCPT TO.',
    clientAction: 'Correct the address and try again.',
    rfc: 'RFC 5321 §4.2.3',
    smtpServer: 'smtp-server reports address syntax errors with 501 instead.',
  },
  {
    code: 554,
    title: 'Transaction failed',
    meaning:
      'The server refuses the transaction for good. As the greeting instead of 220, it means "No SMTP service here".',
    typicalCause: 'A message refused after its final "." (e.g. judged as spam), or a server that will not talk to you at all.',
    clientAction: 'Do not retry unchanged; read the text for the reason.',
    rfc: 'RFC 5321 §4.2.3, §3.1',
    smtpServer:
      'smtp-server uses 554 only when the application refuses a connection (onConnect) or a TLS session (onSecure) with an error that carries no code; a refusal without a code answers 550 to MAIL FROM and RCPT TO, and 450 at the end of DATA.',
  },
  {
    code: 555,
    title: 'MAIL FROM/RCPT TO parameters not recognized or not implemented',
    meaning: 'You added an ESMTP parameter to MAIL FROM or RCPT TO that the server does not know or support.',
    typicalCause: 'A parameter such as SIZE= or BODY= for an extension the server did not advertise in its EHLO reply.',
    clientAction: 'Send the command again without that parameter, or only use extensions listed in the EHLO reply.',
    rfc: 'RFC 5321 §4.2.3, §4.1.1.11',
    smtpServer:
      'smtp-server never sends 555: it accepts parameters it does not know without a word, and answers malformed ones (a duplicate, or SIZE without a value) with 501.',
  },
];
