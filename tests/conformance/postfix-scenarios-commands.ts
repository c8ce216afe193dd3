/**
 * Postfix conformance, part 2: the ordinary conversation, sequence errors, pipelining
 * groups, the other commands with and without arguments, and AUTH refused (this Postfix
 * offers no AUTH and no STARTTLS). Each keeps its errors under Postfix's soft limit (10), so
 * no reply is delayed.
 */
import { lines, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const MESSAGE = lines('Subject: hello', '', 'Hi there.', '.');
const ENVELOPE = lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA');

export const POSTFIX_COMMAND_SCENARIOS: readonly Scenario[] = [
  { name: 'happy path, one command per write', steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('RCPT TO:<alice@lab.test>'), lines('DATA'), MESSAGE, lines('QUIT')] },
  { name: 'HELO, lower-case verbs', steps: [lines('helo client.example'), lines('mail from:<a@example.com>', 'rcpt to:<bob@lab.test>', 'data'), MESSAGE] },
  { name: 'null sender', steps: [EHLO, lines('MAIL FROM:<>', 'RCPT TO:<carol@lab.test>', 'DATA'), MESSAGE] },
  { name: 'several messages in one session', steps: [EHLO, ENVELOPE, lines('first', '.'), lines('MAIL FROM:<c@example.com>', 'RCPT TO:<bob@lab.test>', 'RCPT TO:<carol@lab.test>', 'DATA'), lines('second', '.'), lines('QUIT')] },
  { name: 'whole conversation in one pipelined group after EHLO', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'RCPT TO:<bob@lab.test>', 'DATA'), MESSAGE] },
  { name: 'pipelined message and the next transaction in one write', steps: [EHLO, ENVELOPE, lines('first', '.', 'MAIL FROM:<b@example.com>', 'RCPT TO:<bob@lab.test>', 'DATA'), lines('second', '.', 'QUIT')] },
  { name: 'pipelined group with an unknown user in the middle', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'RCPT TO:<zed@lab.test>', 'RCPT TO:<bob@lab.test>', 'DATA'), MESSAGE] },
  { name: 'pipelined group with a relay refusal in the middle', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@example.org>', 'RCPT TO:<carol@lab.test>', 'DATA'), MESSAGE] },
  { name: 'pipelined RSET and NOOP between transactions', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'RSET', 'MAIL FROM:<b@example.com>', 'NOOP'), lines('RCPT TO:<bob@lab.test>', 'DATA'), MESSAGE] },
  { name: 'EHLO and the envelope in one write', steps: [lines('EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA'), MESSAGE] },
  { name: 'QUIT pipelined after the message', steps: [EHLO, ENVELOPE, lines('Subject: x', '', 'y', '.', 'QUIT')] },
  { name: 'commands after QUIT in the same write', steps: [EHLO, lines('QUIT', 'NOOP', 'MAIL FROM:<a@example.com>')] },
  { name: 'postmaster without a domain, and in any case', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<postmaster>', 'RCPT TO:<PostMaster>', 'RCPT TO:<Postmaster@lab.test>', 'DATA'), MESSAGE] },
  { name: 'recipients at localhost', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@localhost>', 'RCPT TO:<postmaster@localhost>', 'RCPT TO:<zed@localhost>')] },
  { name: 'recipients at the host name itself (not a destination)', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@mx.lab.test>')] },
  { name: 'unknown user: 550 User unknown in local recipient table', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<zed@lab.test>')] },
  { name: 'relay refused: 554 Relay access denied', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>')] },
  { name: 'RCPT before MAIL', steps: [EHLO, lines('RCPT TO:<alice@lab.test>')] },
  { name: 'nested MAIL', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'MAIL FROM:<b@example.com>')] },
  { name: 'MAIL again after RSET', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RSET', 'MAIL FROM:<b@example.com>')] },
  { name: 'EHLO in the middle of a transaction resets it', steps: [EHLO, lines('MAIL FROM:<a@example.com>'), EHLO, lines('RCPT TO:<alice@lab.test>')] },
  { name: 'HELO in the middle of a transaction', steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('HELO again.example'), lines('RCPT TO:<alice@lab.test>')] },
  { name: 'EHLO and HELO without a name', steps: [lines('EHLO'), lines('HELO'), lines('EHLO ')] },
  { name: 'EHLO with an address literal and odd names', steps: [lines('EHLO [127.0.0.1]'), lines('EHLO under_score.example'), lines('EHLO two words')] },
  { name: 'NOOP with an argument', steps: [EHLO, lines('NOOP'), lines('NOOP hello there')] },
  { name: 'QUIT with an argument', steps: [EHLO, lines('QUIT now')] },
  { name: 'RSET before EHLO and twice', steps: [lines('RSET'), lines('RSET', 'RSET')] },
  { name: 'EXPN of a user and of postmaster', steps: [EHLO, lines('EXPN alice'), lines('EXPN postmaster@lab.test')] },
  { name: 'TURN, SEND, SAML and SOML', steps: [EHLO, lines('TURN'), lines('SEND FROM:<a@example.com>'), lines('SAML FROM:<a@example.com>'), lines('SOML FROM:<a@example.com>')] },
  { name: 'STARTTLS is not offered', steps: [EHLO, lines('STARTTLS'), lines('NOOP')] },
  { name: 'XCLIENT and XFORWARD are not permitted', steps: [EHLO, lines('XCLIENT NAME=spoof.example'), lines('XFORWARD NAME=spoof.example')] },
  { name: 'AUTH after EHLO is refused', steps: [EHLO, lines('AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==')] },
  { name: 'AUTH LOGIN and a bare AUTH are refused', steps: [EHLO, lines('AUTH LOGIN'), lines('AUTH')] },
  { name: 'AUTH before EHLO', steps: [lines('AUTH PLAIN')] },
  { name: 'AUTH in a transaction', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'AUTH LOGIN')] },
  { name: 'AUTH= parameter on MAIL without SASL', steps: [EHLO, lines('MAIL FROM:<a@example.com> AUTH=<>'), lines('RSET', 'MAIL FROM:<a@example.com> AUTH=a@example.com')] },
  { name: 'verbs with leading and trailing spaces', steps: [EHLO, lines(' NOOP'), lines('NOOP '), lines('MAIL FROM:<a@example.com> ')] },
  { name: 'an empty line', steps: [EHLO, lines(''), lines('NOOP')] },
  { name: 'a command with a tab', steps: [EHLO, lines('NOOP\tx'), lines('MAIL\tFROM:<a@example.com>')] },
  { name: 'an 8-bit command line', steps: [EHLO, lines('NÖÖP'), lines('MAIL FROM:<jörg@example.com>')] },
  { name: 'a command ended by a bare LF', steps: [EHLO, 'NOOP\n', lines('MAIL FROM:<a@example.com>')] },
  { name: 'an unknown command in a transaction keeps it', steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'FOO', 'RCPT TO:<alice@lab.test>', 'DATA'), MESSAGE] },
  { name: 'a message whose last line is a dot followed by spaces', steps: [EHLO, ENVELOPE, lines('Subject: x', '', '. ', '.')] },
  { name: 'an empty message', steps: [EHLO, ENVELOPE, lines('.')] },
  { name: 'a message without headers', steps: [EHLO, ENVELOPE, lines('just a body line', '.')] },
];
