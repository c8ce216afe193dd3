/**
 * Conformance scenarios, part 3: the teaching behaviours (ServerBehaviours), each on, at its
 * edges and combined. Off is covered by parts 1 and 2, which run with the defaults.
 */
import { b64, lines, RECONNECT, TLS, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');
const MESSAGE = lines('Subject: hello', '', 'Hi there.', '.');
const AUTH_STUDENT = lines(`AUTH PLAIN ${b64('\0student\0learn-smtp')}`);
const ENVELOPE = lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA');

const REQUIRE_AUTH: readonly Scenario[] = [
  {
    name: 'requireAuth: MAIL, RCPT and DATA get 530 until AUTH, then work',
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('RCPT TO:<b@example.org>'), lines('DATA'), lines('VRFY b', 'HELP'), AUTH_STUDENT, ENVELOPE, MESSAGE],
  },
  {
    name: 'requireAuth: before EHLO the 503 comes first, and EHLO still offers AUTH',
    behaviours: { requireAuth: true },
    steps: [lines('MAIL FROM:<a@example.com>', 'AUTH PLAIN'), EHLO, lines('mail from:<a@example.com>')],
  },
  {
    name: 'requireAuth: the tenth unauthenticated command closes; AUTH and unknown verbs do not count',
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('FOO', `AUTH PLAIN ${b64('\0student\0wrong')}`, 'AUTH CRAM-MD5', 'NOOP', 'NOOP', 'NOOP', 'RSET', 'MAIL FROM:<a@example.com>'), lines('NOOP', 'NOOP'), lines('NOOP'), lines('NOOP', 'NOOP')],
  },
  {
    name: 'requireAuth: AUTH LOGIN continuation lines count as unauthenticated commands',
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('AUTH LOGIN'), lines(b64('alice')), lines(b64('wrong')), lines('AUTH LOGIN', b64('alice'), b64('nope')), lines('AUTH LOGIN', b64('alice'), b64('no')), lines('AUTH LOGIN', b64('alice')), lines(b64('wonderland'))],
  },
  {
    name: 'requireAuth: no limit once authenticated',
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('NOOP', 'NOOP', 'NOOP'), AUTH_STUDENT, lines(...Array.from({ length: 12 }, () => 'NOOP')), ENVELOPE, MESSAGE, lines('QUIT')],
  },
  {
    name: 'requireAuth: STARTTLS forgets the login, the count goes on',
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('NOOP', 'NOOP'), AUTH_STUDENT, lines('NOOP'), lines('STARTTLS'), TLS, EHLO, lines('MAIL FROM:<a@example.com>', 'NOOP', 'NOOP', 'NOOP', 'NOOP'), lines('NOOP', 'NOOP')],
  },
  {
    name: 'requireAuth with enhanced status codes off',
    config: { enhancedStatusCodes: false },
    behaviours: { requireAuth: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>'), AUTH_STUDENT, ENVELOPE, MESSAGE],
  },
];

const GREYLIST: readonly Scenario[] = [
  {
    name: 'greylist: first RCPT gets 451, the retry in the same transaction is accepted',
    behaviours: { greylist: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>'), lines('DATA'), lines('RCPT TO:<b@example.org>', 'RCPT TO:<c@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'greylist: a retry in a second connection is accepted',
    behaviours: { greylist: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RCPT TO:<c@example.org>', 'QUIT'), RECONNECT, EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'), MESSAGE, RECONNECT, EHLO, ENVELOPE, MESSAGE],
  },
  {
    name: 'greylist: the pair is sender and recipient, in any case',
    behaviours: { greylist: true },
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RSET'),
      lines('MAIL FROM:<other@example.com>', 'RCPT TO:<b@example.org>', 'RSET'),
      lines('MAIL FROM:<A@Example.COM>', 'RCPT TO:<B@EXAMPLE.org>', 'RSET'),
      lines('MAIL FROM:<>', 'RCPT TO:<b@example.org>', 'RCPT TO:<b@example.org>', 'RCPT TO:<postmaster>', 'RCPT TO:<Postmaster>', 'DATA'),
      MESSAGE,
    ],
  },
  {
    name: 'greylist: authenticated clients are not greylisted',
    behaviours: { greylist: true },
    steps: [EHLO, AUTH_STUDENT, ENVELOPE, MESSAGE, RECONNECT, EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RCPT TO:<new@example.org>')],
  },
  {
    name: 'greylist: refusals before the hook (syntax, sequence, too many recipients) are not remembered',
    config: { maxRecipients: 1 },
    behaviours: { greylist: true },
    steps: [EHLO, lines('RCPT TO:<b@example.org>', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RCPT TO:<b@example.org>', 'RCPT TO:<c@example.org>', 'RCPT TO:<c@example.org>', 'RSET'), lines('MAIL FROM:<a@example.com>', 'RCPT TO:<c@example.org>', 'RCPT TO:<c@example.org>')],
  },
];

const RELAY: readonly Scenario[] = [
  {
    name: 'refuseRelay: other domains refused without AUTH; local domains and postmaster accepted',
    behaviours: { refuseRelay: true },
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>', 'RCPT TO:<b@example.org>', 'RCPT TO:<Bob@EXAMPLE.NET>', 'RCPT TO:<postmaster>', 'RCPT TO:<x@[192.0.2.1]>', 'RCPT TO:<y@sub.example.org>', 'DATA'),
      MESSAGE,
    ],
  },
  {
    name: 'refuseRelay: allowed after AUTH, in the same transaction too',
    behaviours: { refuseRelay: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>'), AUTH_STUDENT, lines('RCPT TO:<friend@gmail.com>', 'DATA'), MESSAGE],
  },
  {
    name: 'refuseRelay: own local domains, any case, punycode decoded',
    behaviours: { refuseRelay: true, localDomains: ['Lab.Test', 'bücher.example'] },
    steps: [EHLO, lines('MAIL FROM:<a@elsewhere.example>', 'RCPT TO:<a@lab.test>', 'RCPT TO:<b@example.org>', 'RCPT TO:<c@xn--bcher-kva.example>', 'RCPT TO:<d@BÜCHER.example>', 'DATA'), MESSAGE],
  },
  {
    name: 'refuseRelay with enhanced status codes off',
    config: { enhancedStatusCodes: false },
    behaviours: { refuseRelay: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>', 'RCPT TO:<nobody@example.org>')],
  },
];

const UNKNOWN_MAILBOXES: readonly Scenario[] = [
  {
    name: 'unknown mailbox among several recipients: only that one is refused',
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<ann@example.org>', 'RCPT TO:<nobody@example.org>', 'RCPT TO:<NoBody@Example.ORG>', 'RCPT TO:<x@host.invalid>', 'RCPT TO:<ben@example.org>', 'DATA'),
      MESSAGE,
    ],
  },
  {
    name: 'unknown mailboxes: custom patterns with regex characters taken literally',
    behaviours: { unknownMailboxes: ['ghost@example.org', 'test.*@*', 'a+b?@*'] },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<ghost@example.org>', 'RCPT TO:<ghost@example.org.uk>', 'RCPT TO:<test.one@x.example>', 'RCPT TO:<testXone@x.example>', 'RCPT TO:<a+b?@example.org>', 'RCPT TO:<nobody@example.org>', 'RCPT TO:<aab@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'unknown mailboxes: none listed',
    behaviours: { unknownMailboxes: [] },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@example.org>', 'DATA'), MESSAGE],
  },
  {
    name: 'unknown mailbox: every recipient refused leaves DATA with 503',
    steps: [EHLO, lines('MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@example.org>', 'DATA', 'RSET')],
  },
];

const CLOSE_AFTER_COMMANDS: readonly Scenario[] = [
  {
    name: 'closeAfterCommands: three commands answered, the fourth gets 421',
    behaviours: { closeAfterCommands: 3 },
    steps: [EHLO, lines('NOOP'), lines('NOOP'), lines('NOOP'), lines('NOOP')],
  },
  {
    name: 'closeAfterCommands: pipelined lines past the limit are never read',
    behaviours: { closeAfterCommands: 3 },
    steps: [lines('EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', 'Subject: x', '.', 'QUIT')],
  },
  {
    name: 'closeAfterCommands: unknown verbs, empty lines and AUTH continuation lines count',
    behaviours: { closeAfterCommands: 6 },
    steps: [EHLO, lines('FOO', ''), lines('AUTH LOGIN', b64('alice'), b64('wonderland')), lines('NOOP')],
  },
  {
    name: 'closeAfterCommands: message data lines do not count',
    behaviours: { closeAfterCommands: 5 },
    steps: [EHLO, ENVELOPE, lines('one', 'two', 'three', 'four', 'five', 'six', '.'), lines('NOOP'), lines('NOOP')],
  },
  {
    name: 'closeAfterCommands: the count goes on across STARTTLS',
    behaviours: { closeAfterCommands: 4 },
    steps: [EHLO, lines('STARTTLS'), TLS, EHLO, lines('NOOP'), lines('NOOP')],
  },
  {
    name: 'closeAfterCommands: QUIT at the limit is answered, QUIT beyond it gets 421',
    behaviours: { closeAfterCommands: 2 },
    steps: [EHLO, lines('QUIT'), RECONNECT, EHLO, lines('NOOP'), lines('QUIT')],
  },
  {
    name: 'closeAfterCommands: a new connection starts counting again',
    behaviours: { closeAfterCommands: 1 },
    steps: [EHLO, lines('NOOP'), RECONNECT, lines('NOOP', 'NOOP')],
  },
  {
    name: 'closeAfterCommands comes before the unauthenticated-commands limit',
    behaviours: { closeAfterCommands: 3, requireAuth: true },
    steps: [EHLO, lines('MAIL FROM:<a@example.com>'), lines('MAIL FROM:<a@example.com>'), lines('MAIL FROM:<a@example.com>')],
  },
];

const REPLY_DELAY: readonly Scenario[] = [
  {
    name: 'replyDelayMs: slow replies, same texts, pipelined and split writes',
    behaviours: { replyDelayMs: 20 },
    steps: [EHLO, AUTH_STUDENT, ENVELOPE, 'Subject: slow\r\n\r\nbody\r\n', '.\r\n', lines('NOOP', 'RSET', 'FOO'), lines('STARTTLS'), TLS, EHLO, lines('QUIT')],
  },
  {
    name: 'replyDelayMs: 552 for an oversized message is delayed too',
    config: { maxMessageSize: 50 },
    behaviours: { replyDelayMs: 15 },
    steps: [EHLO, ENVELOPE, lines('x'.repeat(80), '.'), lines('NOOP')],
  },
];

const COMBINED: readonly Scenario[] = [
  {
    name: 'a strict MX: relay before unknown mailbox before greylisting',
    behaviours: { refuseRelay: true, greylist: true },
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@gmail.com>', 'RCPT TO:<nobody@example.org>', 'RCPT TO:<b@example.org>', 'RCPT TO:<x@other.invalid>', 'RCPT TO:<b@example.org>', 'DATA'),
      MESSAGE,
    ],
  },
  {
    name: 'all behaviours at once, slowly, across connections',
    config: { enhancedStatusCodes: false },
    behaviours: { requireAuth: true, greylist: true, refuseRelay: true, closeAfterCommands: 7, replyDelayMs: 5 },
    steps: [
      EHLO,
      lines('MAIL FROM:<a@example.com>'),
      AUTH_STUDENT,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>', 'RCPT TO:<nobody@example.org>', 'DATA'),
      MESSAGE,
      lines('NOOP', 'NOOP'),
      RECONNECT,
      EHLO,
      lines('MAIL FROM:<a@example.com>', 'RCPT TO:<friend@gmail.com>'),
    ],
  },
];

export const BEHAVIOUR_SCENARIOS: readonly Scenario[] = [
  ...REQUIRE_AUTH,
  ...GREYLIST,
  ...RELAY,
  ...UNKNOWN_MAILBOXES,
  ...CLOSE_AFTER_COMMANDS,
  ...REPLY_DELAY,
  ...COMBINED,
];
