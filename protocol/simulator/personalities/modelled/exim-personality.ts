/**
 * Exim 4 with its default configuration (src/src/configure.default), modelled on its source
 * (github.com/Exim/exim, src/src/smtp_in.c at 13835a3c1), not verified against a running Exim.
 * Where the source gives no fixed text (address syntax errors, parameters, VRFY), smtp-server's
 * answers are kept. Differences a learner meets: MAIL before EHLO is fine; a nested MAIL is
 * "503 sender already given"; the fourth unknown command ends the session; pipelining a
 * command that must end a group (EHLO, DATA, NOOP, VRFY…) is "554 SMTP synchronization
 * error" and a hang-up, and so is talking before the greeting.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { MODELLED_LOCAL_DOMAINS, MODELLED_LOCAL_USERS, SMTP_SERVER_TEXTS, type ModelledReply } from './modelled-table.ts';

const reply = (code: number, text: string): ModelledReply => ({ code, text });
const syncError = reply(554, 'SMTP synchronization error'); // smtp_in.c smtp_start_session() and BADSYN_CMD

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number): string => String(value).padStart(2, '0');

/** Exim's $tod_full (tod_stamp(tod_full)), in UTC: "Mon, 07 Dec 2026 13:10:00 +0000". */
function todFull(date: Date): string {
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad).join(':');
  return `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An Exim message id in the classic 6-6-2 base-62 layout (e.g. 1rOkQa-000Bx9-3c). */
function eximMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  const chars = Array.from(bytes, (byte) => BASE62[byte % 62]).join('');
  return `${chars.slice(0, 6)}-${chars.slice(6, 12)}-${chars.slice(12)}`;
}

export const EXIM_PERSONALITY = modelledPersonality({
  name: 'exim',
  label: 'Exim 4 (default configuration)',
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.exim.lab.test',
  // globals.c smtp_banner: "$smtp_active_hostname ESMTP Exim $version_number $tod_full".
  banner: (hostname) => `${hostname} ESMTP Exim 4.98 ${todFull(new Date())}`,
  // smtp_in.c HELO_EHLO: "%s Hello %s%s%s" then " [%s]"; the lab does no reverse lookup, so the HELO name.
  welcome: (hostname, helo, clientHostname) => `${hostname} Hello ${helo} ${clientHostname}`,
  // smtp_in.c HELO_EHLO with globals.c defaults (message_size_limit 50M, smtp_accept_max_per_connection
  // 1000, recipients_max 50000). CHUNKING is left out because BDAT is not modelled, STARTTLS because
  // the lab's Exim has no certificate.
  ehloKeywords: ['SIZE 52428800', 'LIMITS MAILMAX=1000 RCPTMAX=50000', '8BITMIME', 'PIPELINING', 'SMTPUTF8', 'HELP'],
  // smtp_in.c MAIL_CMD: HELO is required only with helo_verify/hosts_require_helo, unset by default.
  requireHelo: false,
  // globals.c smtp_max_unknown_commands = 3: the 4th unknown command is refused and ends the session.
  maxUnknownCommands: 4,
  // smtp_in.c's command enum: these must be last in a pipelined group (smtp_enforce_sync = TRUE).
  // Before PIPELINING is advertised MAIL, RCPT and RSET must be too; that nuance is not modelled.
  syncCommands: new Set(['HELO', 'EHLO', 'DATA', 'VRFY', 'EXPN', 'NOOP', 'ATRN', 'ETRN', 'STARTTLS']),
  syncError,
  localDomains: MODELLED_LOCAL_DOMAINS,
  localUsers: MODELLED_LOCAL_USERS,
  replies: {
    ...SMTP_SERVER_TEXTS,
    heloSyntax: (verb) => reply(501, `Syntactically invalid ${verb} argument(s)`), // smtp_in.c HELO_EHLO
    needHelo: reply(503, 'HELO or EHLO required'), // smtp_in.c MAIL_CMD
    mailOk: reply(250, 'OK'), // smtp_in.c MAIL_CMD
    nestedMail: reply(503, 'sender already given'), // smtp_in.c MAIL_CMD
    needMail: reply(503, 'sender not yet given'), // smtp_in.c RCPT_CMD
    rcptOk: reply(250, 'Accepted'), // smtp_in.c RCPT_CMD
    needRcpt: reply(503, 'Valid RCPT command must precede DATA'), // smtp_in.c DATA_BDAT
    dataWithoutMail: reply(503, 'Valid RCPT command must precede DATA'), // smtp_in.c DATA_BDAT
    startData: reply(354, 'Enter message, ending with "." on a line by itself'), // smtp_in.c DATA_BDAT
    // smtp_in.c HELP_CMD, without the ACL-dependent ETRN/EXPN/VRFY and without STARTTLS.
    help: { code: 214, text: ['Commands supported:', 'AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP'] },
    ok: reply(250, 'OK'), // smtp_in.c NOOP_CMD
    reset: reply(250, 'Reset OK'), // smtp_in.c smtp_rset_handler()
    unknownCommand: reply(500, 'unrecognized command'), // smtp_in.c default: synprot_error()
    tooManyUnknownCommands: reply(500, 'Too many unrecognized commands'), // smtp_in.c default:
    earlyTalker: () => syncError,
    bye: (hostname) => reply(221, `${hostname} closing connection`), // smtp_in.c smtp_quit_handler()
    queued: (queueId) => reply(250, `OK id=${queueId}`), // receive.c receive_msg()
    // configure.default: router localuser's cannot_route_message, reported by "require verify = recipient".
    unknownUser: () => reply(550, 'Unknown user'),
    // configure.default acl_check_rcpt: "require message = relay not permitted".
    relayDenied: () => reply(550, 'relay not permitted'),
  },
}, eximMessageId);
