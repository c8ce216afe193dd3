/**
 * Postfix conformance, part 4: limits (SIZE 10240000, line length, 1000 recipients, the
 * error limits that slow down and then close a session) and what ends a message (bare LF,
 * the dot on its own line, SMTP smuggling's `\n.\n`: RFC 5321 §2.3.8, CVE-2023-51764).
 * The error-limit scenarios are the slow ones: past 10 errors Postfix waits 1 s before each
 * error reply, so their writes hold at most three errors (the client waits 5 s per write).
 */
import { lines, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const ENVELOPE = lines('MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA');

export const POSTFIX_LIMIT_SCENARIOS: readonly Scenario[] = [
  { name: 'SIZE exactly at the limit is accepted', steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=10240000')] },
  { name: 'SIZE one over the limit: 552', steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=10240001')] },
  { name: 'SIZE too large for a number', steps: [EHLO, lines('MAIL FROM:<a@example.com> SIZE=99999999999999999999999')] },
  { name: 'a command line of 3000 characters', steps: [EHLO, lines(`NOOP ${'x'.repeat(3000)}`), lines('NOOP')] },
  { name: 'an address of 400 characters', steps: [EHLO, lines(`MAIL FROM:<${'a'.repeat(390)}@example.com>`)] },
  { name: 'a domain label of 70 characters', steps: [EHLO, lines(`MAIL FROM:<a@${'b'.repeat(70)}.example>`)] },
  { name: 'a message line of 3000 characters is accepted', steps: [EHLO, ENVELOPE, lines('Subject: long', '', 'y'.repeat(3000), '.')] },
  {
    name: '1000 recipients accepted, the 1001st refused',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', ...Array.from({ length: 1001 }, () => 'RCPT TO:<alice@lab.test>'))],
  },
  { name: 'bare LF line ends inside a message', steps: [EHLO, ENVELOPE, 'Subject: lf\n\nline one\nline two\r\n.\r\n'] },
  { name: 'a dot on its own line ended by a bare LF ends the message (smuggling)', steps: [EHLO, ENVELOPE, 'Subject: smuggle\r\n\r\nhi\n.\nMAIL FROM:<b@example.com>\r\n.\r\n'] },
  { name: 'a dot ended by CR only does not end the message', steps: [EHLO, ENVELOPE, 'Subject: cr\r\n\r\nhi\r.\rthere\r\n.\r\n'] },
  { name: 'a dot before CRLF pipelined with the next commands', steps: [EHLO, ENVELOPE, lines('Subject: x', '', 'body', '.', 'RSET', 'NOOP')] },
  {
    name: 'errors past the soft limit keep the connection open',
    steps: [EHLO, lines('FOO', 'FOO', 'FOO', 'FOO', 'FOO'), lines('FOO', 'FOO', 'FOO', 'FOO', 'FOO'), lines('FOO', 'NOOP'), lines('FOO'), lines('MAIL FROM:<a@example.com>')],
  },
  {
    name: 'the hard error limit (20) closes with 421',
    steps: [
      EHLO,
      lines('FOO', 'FOO', 'FOO', 'FOO', 'FOO', 'FOO', 'FOO', 'FOO', 'FOO', 'FOO'),
      lines('FOO', 'FOO', 'FOO'),
      lines('FOO', 'FOO', 'FOO'),
      lines('FOO', 'FOO', 'FOO'),
      lines('FOO'),
      lines('NOOP'),
    ],
  },
  { name: 'a hundred NOOPs in a row', steps: [EHLO, lines(...Array.from({ length: 50 }, () => 'NOOP')), lines(...Array.from({ length: 50 }, () => 'NOOP')), lines('NOOP', 'NOOP')] },
];
