/**
 * Conformance scenarios, part 1: the happy path, sequence errors, syntax errors and the
 * other commands. Only client writes are listed: the expectation is whatever the real
 * sandbox answers.
 */
import { lines, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const MESSAGE = lines('Subject: hello', '', 'Hi there.', '.');

export const COMMAND_SCENARIOS: readonly Scenario[] = [
  {
    name: 'happy path, one command per write',
    steps: [EHLO, lines('MAIL FROM:<alice@example.com>'), lines('RCPT TO:<bob@example.org>'), lines('DATA'), MESSAGE, lines('QUIT')],
  },
  {
    name: 'HELO instead of EHLO, mixed-case hostname and verbs',
    steps: [lines('helo Client.EXAMPLE'), lines('mail from:<alice@example.com>', 'rcpt to:<bob@example.org>', 'data'), MESSAGE],
  },
  {
    name: 'null sender <> (bounce)',
    steps: [EHLO, lines('MAIL FROM:<>', 'RCPT TO:<bob@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'several messages in one session',
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'),
      lines('first', '.'),
      lines('MAIL FROM:<c@example.com>', 'RCPT TO:<d@example.org>', 'RCPT TO:<e@example.org>', 'DATA'),
      lines('second', '.'),
      lines('QUIT'),
    ],
  },
  {
    name: 'repeated and postmaster recipients',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<Bob@Example.org>', 'RCPT TO:<bob@example.org>', 'RCPT TO:<postmaster>', 'RCPT TO:<PostMaster>', 'DATA'), MESSAGE],
  },
  {
    name: 'source route, address literals and punycode domains',
    steps: [
      EHLO,
      lines('MAIL FROM:<@relay.example,@other.example:alice@example.com>', 'RCPT TO:<a@[192.0.2.1]>', 'RCPT TO:<b@[IPv6:2001:DB8:0:0::1]>', 'RCPT TO:<c@xn--bcher-kva.example>', 'RCPT TO:<d@[300.1.1.1]>', 'RCPT TO:<e@[IPv6:nonsense]>', 'RCPT TO:<f@xn--99999999999.example>', 'DATA'),
      MESSAGE,
    ],
  },
  {
    name: 'NOOP, HELP, VRFY, EXPN and RSET before EHLO',
    steps: [lines('NOOP', 'HELP', 'HELP MAIL', 'VRFY', 'VRFY alice', 'EXPN staff', 'RSET', 'NOOP extra words'), lines('QUIT')],
  },
  {
    name: 'commands pipelined after QUIT are never read',
    steps: [EHLO, lines('QUIT', 'NOOP', 'MAIL FROM:<a@example.com>')],
  },
  {
    name: 'EHLO in the middle of a transaction resets it',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'EHLO again.example', 'RCPT TO:<b@example.org>', 'DATA', 'MAIL FROM:<a@example.com>')],
  },
  {
    name: 'MAIL, RCPT, DATA and AUTH before EHLO',
    steps: [lines('MAIL FROM:<a@example.com>'), lines('RCPT TO:<b@example.org>'), lines('DATA'), lines('AUTH PLAIN'), lines('QUIT')],
  },
  {
    name: 'RCPT before MAIL, and a bad RCPT before MAIL is a syntax error first',
    steps: [EHLO, lines('RCPT TO:<b@example.org>'), lines('RCPT TO:b@example.org'), lines('RCPT TO:<b@example.org> NOTIFY')],
  },
  {
    name: 'DATA before MAIL and before RCPT',
    steps: [EHLO, lines('DATA'), lines('MAIL FROM:<a@example.com>'), lines('DATA'), lines('DATA now')],
  },
  {
    name: 'nested MAIL',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('MAIL FROM:<b@example.com>'), lines('MAIL FROM:<b@example.com> SIZE=abc')],
  },
  {
    name: 'RSET mid-transaction',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>'), lines('RSET'), lines('RCPT TO:<b@example.org>'), lines('DATA'), lines('MAIL FROM:<a@example.com>', 'RCPT TO:<c@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'EHLO and HELO argument errors',
    steps: [lines('EHLO'), lines('EHLO a b'), lines('HELO'), lines('HELO a b'), lines('EHLO a\x01b'), lines(`EHLO ${'h'.repeat(301)}`), lines(`EHLO ${'h'.repeat(300)}`), lines('EHLO [192.0.2.7]')],
  },
  {
    name: 'sender address syntax errors',
    steps: [
      EHLO,
      lines('MAIL FROM:alice@example.com', 'MAIL FROM <alice@example.com>', 'MAIL FROM:', 'MAIL TO:<alice@example.com>', 'MAIL FROM:<alice@example.com', 'MAIL  FROM:<alice@example.com>'),
      lines('MAIL FROM:<alice@@example.com>', 'MAIL FROM:<.alice@example.com>', 'MAIL FROM:<al..ice@example.com>', 'MAIL FROM:<alice@example..com>', 'MAIL FROM:<alice@exa_mple.com>', 'MAIL FROM:<alice>', 'MAIL FROM:<postmaster>'),
      lines('MAIL FROM:<alice@example.-com>', 'MAIL FROM:<alice@\u200bexample.com>', `MAIL FROM:<${'a'.repeat(250)}@ex.com>`, 'MAIL FROM: <alice@-example.com>'),
    ],
  },
  {
    name: 'MAIL FROM parameters: SIZE syntax and limit',
    steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=abc', 'MAIL FROM:<a@example.com> SIZE=', 'MAIL FROM:<a@example.com> SIZE', 'MAIL FROM:<a@example.com> SIZE=-1', 'MAIL FROM:<a@example.com> SIZE=123456789012345678901', 'MAIL FROM:<a@example.com> SIZE=99999999999', 'MAIL FROM:<a@example.com> SIZE=1000')],
  },
  {
    name: 'MAIL FROM parameters: BODY, SMTPUTF8 and duplicates',
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com> BODY=9BIT', 'MAIL FROM:<a@example.com> BODY', 'MAIL FROM:<a@example.com> SMTPUTF8=yes', 'MAIL FROM:<a@example.com> SIZE=10 size=20', 'MAIL FROM:<a@example.com> body=8bitmime'),
      lines('RSET', 'MAIL FROM:<a@example.com> BODY=7BIT SMTPUTF8', 'RSET', 'MAIL FROM:<a@example.com> SMTPUTF8 SMTPUTF8'),
    ],
  },
  {
    name: 'MAIL FROM parameters: hidden DSN, REQUIRETLS, xtext, unknown keywords',
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com> RET', 'MAIL FROM:<a@example.com> ENVID=', 'MAIL FROM:<a@example.com> ENVID=abc+0D+0Aevil', 'MAIL FROM:<a@example.com> REQUIRETLS'),
      lines('MAIL FROM:<a@example.com> RET=BOGUS ENVID=x+2By FOO=bar =skipped'),
      lines('RCPT TO:<b@example.org> NOTIFY=BOGUS ORCPT=nonsense', 'RCPT TO:<c@example.org> ORCPT', 'RCPT TO:<c@example.org> ORCPT=a ORCPT=b', 'RCPT TO:<>'),
    ],
  },
  {
    name: 'unrecognized commands, including lookalikes',
    steps: [EHLO, lines('EXPN staff', 'BDAT 10 LAST', 'LHLO client.example', 'DATA_OK', 'MAIL_FROM_OK', '', ' EHLO leading.space', 'NOOP\tx', 'ETRN example.com')],
  },
  {
    name: 'HTTP request line',
    steps: [lines('GET / HTTP/1.1', 'Host: sandbox')],
  },
  {
    name: 'sendmail jokes and proxy commands',
    steps: [lines('SHELL', 'WIZ', 'WIZ magic', 'SHELL', 'KILL', 'XCLIENT ADDR=192.0.2.1', 'XFORWARD NAME=x'), lines('QUIT')],
  },
  {
    name: 'ten unrecognized commands close the connection',
    steps: [EHLO, lines('ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'), lines('SIX', 'SEVEN', 'EIGHT', 'NINE'), lines('TEN', 'NOOP')],
  },
  {
    name: 'the unrecognized count survives RSET and EHLO but restarts after a message',
    steps: [
      EHLO,
      lines('X1', 'X2', 'X3', 'RSET', 'X4', 'X5', 'EHLO again.example', 'X6', 'X7', 'X8', 'X9'),
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'),
      MESSAGE,
      lines('Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Y8', 'Y9'),
      lines('Y10'),
    ],
  },
  {
    name: 'the unauthenticated-commands limit does not apply (AUTH is optional)',
    steps: [EHLO, lines(...Array.from({ length: 12 }, () => 'NOOP')), lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'), MESSAGE],
  },
];
