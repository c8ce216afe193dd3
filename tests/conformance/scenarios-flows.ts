/**
 * Conformance scenarios, part 2: AUTH, pipelining and chunking, dot-stuffing, limits,
 * configuration variants and STARTTLS.
 */
import { b64, lines, TLS, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const MESSAGE = lines('Subject: hello', '', 'Hi there.', '.');
const PLAIN_STUDENT = b64('\0student\0learn-smtp');
const ENVELOPE = lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA');

export const FLOW_SCENARIOS: readonly Scenario[] = [
  {
    name: 'AUTH PLAIN inline, then no AUTH in EHLO and no second AUTH',
    steps: [EHLO, lines(`AUTH PLAIN ${PLAIN_STUDENT}`), EHLO, lines('AUTH LOGIN'), ENVELOPE, MESSAGE],
  },
  {
    name: 'AUTH PLAIN with the 334 prompt',
    steps: [EHLO, lines('AUTH PLAIN'), lines(b64('\0alice\0wonderland')), lines('AUTH PLAIN')],
  },
  {
    name: 'AUTH LOGIN step by step',
    steps: [EHLO, lines('auth login'), lines(b64('alice')), lines(b64('wonderland')), ENVELOPE, MESSAGE],
  },
  {
    name: 'AUTH LOGIN with the user name on the AUTH line',
    steps: [EHLO, lines(`AUTH LOGIN ${b64('student')}`), lines(b64('learn-smtp'))],
  },
  {
    name: 'wrong passwords and unknown users',
    steps: [EHLO, lines(`AUTH PLAIN ${b64('\0student\0wrong')}`), lines('AUTH LOGIN', b64('nobody'), b64('learn-smtp')), lines(`AUTH PLAIN ${b64('\0Student\0learn-smtp')}`)],
  },
  {
    // Node's Buffer keeps a leading byte-order mark, so the server is asked for "\uFEFFalice", who does not exist.
    name: 'AUTH LOGIN with a user name whose decoded text starts with a byte-order mark',
    steps: [EHLO, lines('AUTH LOGIN'), lines(b64('\uFEFFalice')), lines(b64('wonderland')), lines(`AUTH PLAIN ${b64('\0\uFEFFstudent\0learn-smtp')}`)],
  },
  {
    name: 'user name in the authzid field only',
    steps: [EHLO, lines(`AUTH PLAIN ${b64('student\0\0learn-smtp')}`)],
  },
  {
    name: 'cancelling AUTH with *',
    steps: [EHLO, lines('AUTH PLAIN'), lines('*'), lines('AUTH LOGIN'), lines('*'), lines('AUTH LOGIN'), lines(b64('alice')), lines(' * '), lines('AUTH PLAIN *'), lines('AUTH LOGIN *')],
  },
  {
    name: 'invalid base64 and malformed user data',
    steps: [
      EHLO,
      lines('AUTH PLAIN !!!notbase64'),
      lines(`AUTH PLAIN ${b64('student\0learn-smtp')}`),
      lines('AUTH PLAIN', 'QUIT'),
      lines('AUTH LOGIN', ''),
      lines('AUTH LOGIN', b64('bad\u0007user')),
      lines(`AUTH PLAIN ${b64('\0stu\ndent\0x')}`),
      lines(`AUTH PLAIN ${b64('\0student\0learn-smtp').replace(/=/g, '')}`),
    ],
  },
  {
    name: 'unknown mechanisms and AUTH syntax errors',
    steps: [EHLO, lines('AUTH CRAM-MD5', 'AUTH XOAUTH2', 'AUTH', 'AUTH PLAIN a b', 'AUTH LOGIN a b', 'AUTH plain', '*')],
  },
  {
    name: 'AUTH refused before STARTTLS when insecure auth is off',
    config: { allowInsecureAuth: false },
    steps: [EHLO, lines(`AUTH PLAIN ${PLAIN_STUDENT}`), lines('AUTH CRAM-MD5'), lines('STARTTLS'), TLS, EHLO, lines(`AUTH PLAIN ${PLAIN_STUDENT}`)],
  },
  {
    name: 'pipelining: MAIL, RCPT and DATA in one write',
    steps: [EHLO, ENVELOPE, MESSAGE, lines('QUIT')],
  },
  {
    name: 'pipelining: EHLO and MAIL in one write',
    steps: [lines('EHLO client.example', 'MAIL FROM:<a@example.com>'), lines('RCPT TO:<b@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'a whole session in one write',
    steps: [lines('EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', 'one line', '.', 'NOOP', 'QUIT', 'NOOP')],
  },
  {
    name: 'commands split across writes, bare LF line ends',
    steps: ['EH', 'LO client.example\r\nNO', 'OP\r', '\n', 'MAIL FROM:<a@example.com>\nRCPT TO:<b@example.org>\n', 'DATA\n', 'bare\nlf\r\n.\r\n', 'RSET\r\r\n'],
  },
  {
    name: 'dot-stuffing: unstuffed, kept and ending dots',
    steps: [EHLO, ENVELOPE, lines('..', '..leading', '.single dot kept', '...', 'a.b', ' .', '.')],
  },
  {
    name: 'dot-stuffing: first line, empty message and stuffed first line',
    steps: [EHLO, ENVELOPE, lines('.'), ENVELOPE, lines('..', '.'), ENVELOPE, lines('.x', '.'), ENVELOPE, '\r\n.\r\n'],
  },
  {
    name: 'dot-stuffing: terminator and escapes split across writes',
    steps: [EHLO, ENVELOPE, 'line one\r', '\n.', '.two\r\n', '.', '\r', '\n', 'NOOP\r\n'],
  },
  {
    name: 'data with bare LF lines, UTF-8 and a fake terminator',
    steps: [EHLO, lines('MAIL FROM:<a@example.com> SMTPUTF8', 'RCPT TO:<b@example.org>', 'DATA'), 'Grüße\n.\nstill data\n..x\r\n.\r\n'],
  },
  {
    name: 'too many recipients',
    config: { maxRecipients: 2 },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<r1@example.org>', 'RCPT TO:<r2@example.org>', 'RCPT TO:<r3@example.org>', 'RCPT TO:<R1@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'declared SIZE over the limit, at the limit',
    config: { maxMessageSize: 100 },
    steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=101', 'MAIL FROM:<a@example.com> SIZE=100')],
  },
  {
    name: 'message data over the size limit',
    config: { maxMessageSize: 100 },
    steps: [EHLO, ENVELOPE, lines('x'.repeat(60), 'y'.repeat(39), '.'), lines('NOOP'), ENVELOPE, lines('x'.repeat(96), '.'), ENVELOPE, lines('x'.repeat(97), '.')],
  },
  {
    name: 'command line at and over the length limit',
    config: { maxLineLength: 64 },
    steps: [EHLO, lines(`NOOP ${'x'.repeat(59)}`), lines(`NOOP ${'é'.repeat(30)}`), lines('NOOP')],
  },
  {
    name: 'unfinished line over the length limit',
    config: { maxLineLength: 64 },
    steps: [EHLO, `NOOP ${'x'.repeat(59)}`, 'y', '\r\n'],
  },
  {
    name: 'length limit does not apply to message data',
    config: { maxLineLength: 64 },
    steps: [EHLO, ENVELOPE, lines('z'.repeat(500), '.'), lines('QUIT')],
  },
  {
    name: 'no enhanced status codes',
    config: { enhancedStatusCodes: false },
    steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=99999999999', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b>', 'RCPT TO:<b@example.org>', 'DATA'), MESSAGE, lines('FOO', 'QUIT')],
  },
  {
    name: 'no SIZE limit',
    config: { maxMessageSize: 0 },
    steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=99999999999', 'RCPT TO:<b@example.org>', 'DATA'), MESSAGE, lines('QUIT')],
  },
  {
    name: 'empty AUTH method list falls back to smtp-server defaults',
    config: { authMethods: [] },
    steps: [EHLO, lines(`AUTH PLAIN ${PLAIN_STUDENT}`)],
  },
  {
    name: 'STARTTLS: session starts over, no STARTTLS advertised, REQUIRETLS allowed',
    steps: [
      EHLO,
      lines(`AUTH PLAIN ${PLAIN_STUDENT}`),
      lines('STARTTLS'),
      TLS,
      lines('MAIL FROM:<a@example.com>'),
      EHLO,
      lines('STARTTLS'),
      lines('MAIL FROM:<a@example.com> REQUIRETLS=yes', 'MAIL FROM:<a@example.com> REQUIRETLS', 'RCPT TO:<b@example.org>', 'DATA'),
      MESSAGE,
      lines('QUIT'),
    ],
  },
  {
    name: 'STARTTLS before EHLO, with an argument, and the unrecognized count across it',
    steps: [lines('STARTTLS now'), lines('U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8'), lines('STARTTLS'), TLS, lines('U9'), lines('U10')],
  },
];
