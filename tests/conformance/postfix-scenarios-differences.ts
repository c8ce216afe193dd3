/**
 * Postfix conformance, part 1: every way the issue lists in which Debian's Postfix 3.7
 * answers differently from smtp-server, each shown on its own. Only client writes are
 * listed: the expectation is whatever the real Postfix answers. Recipients at lab.test are
 * the lab's users (postmaster, alice, bob, carol → root); other domains are refused as relay.
 */
import { lines, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const MESSAGE = lines('Subject: hello', '', 'Hi there.', '.');

export const POSTFIX_DIFFERENCE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'MAIL before EHLO is accepted',
    steps: [lines('MAIL FROM:<a@example.com>'), lines('RCPT TO:<alice@lab.test>'), lines('DATA'), MESSAGE],
  },
  {
    name: 'DATA after an accepted sender but no recipient: 554 no valid recipients',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('DATA')],
  },
  {
    name: 'DATA after every recipient was refused: 554 no valid recipients',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@example.org>', 'RCPT TO:<zed@lab.test>', 'DATA')],
  },
  {
    name: 'DATA without MAIL: 503',
    steps: [EHLO, lines('DATA')],
  },
  {
    name: 'DATA before EHLO and without MAIL',
    steps: [lines('DATA')],
  },
  {
    name: 'refused DATA, then the message pipelined: header lines read as commands, Postfix hangs up',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@example.org>', 'DATA', 'Subject: hello', 'From: a@example.com', '', 'Hi there.', '.')],
  },
  {
    name: 'refused DATA without MAIL, then the message pipelined',
    steps: [EHLO, lines('DATA', 'Subject: hello', '', 'Hi there.', '.')],
  },
  {
    name: 'refused DATA, then a body line that is not a header',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'DATA', 'Hi there.', '.')],
  },
  {
    name: 'unknown MAIL parameter: 555 Unsupported option',
    steps: [EHLO, lines('MAIL FROM:<a@example.com> FOO=bar')],
  },
  {
    name: 'unknown RCPT parameter',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test> FOO=bar')],
  },
  {
    name: 'a single leading dot is stripped, a double one unstuffed; the message is accepted',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA'), lines('Subject: dots', '', '.single', '..double', '...triple', '. space', '.')],
  },
  {
    name: 'RSET with an argument: 501',
    steps: [EHLO, lines('RSET now')],
  },
  {
    name: 'DATA with an argument: 501',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA now')],
  },
  {
    name: 'HELP: 500',
    steps: [EHLO, lines('HELP'), lines('HELP MAIL')],
  },
  {
    name: 'VRFY checks local users',
    steps: [EHLO, lines('VRFY alice@lab.test'), lines('VRFY zed@lab.test'), lines('VRFY postmaster@lab.test')],
  },
  {
    name: 'VRFY without a domain, and of another domain',
    steps: [EHLO, lines('VRFY alice'), lines('VRFY friend@example.org')],
  },
  {
    name: 'VRFY without an argument and with angle brackets',
    steps: [EHLO, lines('VRFY'), lines('VRFY <bob@lab.test>')],
  },
  {
    name: 'ETRN: 459',
    steps: [EHLO, lines('ETRN lab.test'), lines('ETRN example.org'), lines('ETRN @lab.test')],
  },
  {
    name: 'ETRN before EHLO, without an argument, and in a transaction',
    steps: [lines('ETRN lab.test'), EHLO, lines('ETRN'), lines('MAIL FROM:<a@example.com>', 'ETRN lab.test')],
  },
  {
    name: 'CHUNKING is advertised: BDAT LAST with its bytes is accepted',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>'), 'BDAT 20 LAST\r\nSubject: hi\r\n\r\nHey\r\n'],
  },
  {
    name: 'BDAT in two chunks',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>'), 'BDAT 13\r\nSubject: hi\r\n', 'BDAT 7 LAST\r\n\r\nHey\r\n'],
  },
  {
    name: 'BDAT without MAIL reads and discards its bytes',
    steps: [EHLO, 'BDAT 5 LAST\r\nhello'],
  },
  {
    name: 'BDAT with a bad size, and BDAT 0 LAST',
    steps: [EHLO, lines('BDAT abc'), lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>'), lines('BDAT 0 LAST')],
  },
  {
    name: 'DATA after BDAT in the same transaction',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>'), 'BDAT 4\r\nabcd', lines('DATA')],
  },
  {
    name: 'unknown commands keep getting 500: twelve in a row, no hang-up on the tenth',
    steps: [EHLO, lines('FOO', 'BAR', 'BAZ', 'QUX'), lines('FOO', 'BAR', 'BAZ', 'QUX'), lines('FOO', 'BAR'), lines('FOO'), lines('BAR'), lines('NOOP')],
  },
];
