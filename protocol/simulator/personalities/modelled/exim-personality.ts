/**
 * Exim 4.99.1 with its default configuration, modelled on its source (github.com/Exim/exim at
 * tag exim-4.99.1, commit 0864bb6313ce: src/src/smtp_in.c, globals.c, receive.c,
 * configure.default), not verified against a running Exim. Where the source gives no fixed text
 * (address syntax errors, parameters, VRFY), smtp-server's answers are kept. Differences a
 * learner meets: MAIL before EHLO is fine; a nested MAIL is "503 sender already given"; the
 * fourth unknown command ends the session; pipelining a command that must end a group (EHLO,
 * DATA, NOOP, VRFY…) is "554 SMTP synchronization error" and a hang-up, and so is talking
 * before the greeting.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { eximReceived, utcDate } from './modelled-received.ts';
import { MODELLED_LOCAL_DOMAINS, MODELLED_LOCAL_USERS, SMTP_SERVER_TEXTS, type ModelledReply, type ModelledTable } from './modelled-table.ts';

const reply = (code: number, text: string): ModelledReply => ({ code, text });
const syncError = reply(554, 'SMTP synchronization error');

const EXIM_VERSION = '4.99.1';
const SOURCE = `github.com/Exim/exim exim-${EXIM_VERSION}`;
const SMTP_IN = `${SOURCE} src/src/smtp_in.c`;
const CONFIGURE_DEFAULT = `${SOURCE} src/src/configure.default`;

/** Exim's $tod_full (tod_stamp(tod_full)), in UTC: "Mon, 07 Dec 2026 13:10:00 +0000". */
const todFull = (date: Date): string => utcDate(date, '0');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An Exim message id as 4.97 and later write it, 6-11-4 base-62 characters (local_scan.h
 * MESSAGE_ID_TIME_LEN, MESSAGE_ID_PID_LEN, MESSAGE_ID_SUBTIME_LEN; the spec's example
 * "16VDhn-000000001bo-D342").
 */
function eximMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(21));
  const chars = Array.from(bytes, (byte) => BASE62[byte % 62]).join('');
  return `${chars.slice(0, 6)}-${chars.slice(6, 17)}-${chars.slice(17)}`;
}

export const EXIM_TABLE: ModelledTable = {
  name: 'exim',
  label: `Exim ${EXIM_VERSION} (default configuration)`,
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.exim.lab.test',
  banner: (hostname) => `${hostname} ESMTP Exim ${EXIM_VERSION} ${todFull(new Date())}`,
  // The lab does no reverse lookup, so the HELO name stands where Exim writes the host's name.
  welcome: (hostname, helo, clientHostname) => `${hostname} Hello ${helo} ${clientHostname}`,
  // globals.c defaults: message_size_limit 50M, smtp_accept_max_per_connection 1000, recipients_max
  // 50000. CHUNKING is left out because BDAT is not modelled, STARTTLS because the lab's Exim has
  // no certificate.
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
  // message_size_limit's default (50M), as the SIZE keyword announces it.
  messageSizeLimit: 52428800,
  replies: {
    ...SMTP_SERVER_TEXTS,
    heloSyntax: (verb) => reply(501, `Syntactically invalid ${verb} argument(s)`),
    needHelo: reply(503, 'HELO or EHLO required'),
    mailOk: reply(250, 'OK'),
    nestedMail: reply(503, 'sender already given'),
    needMail: reply(503, 'sender not yet given'),
    rcptOk: reply(250, 'Accepted'),
    // The text for DATA not right after a RCPT; straight after a refused RCPT with PIPELINING
    // advertised Exim writes "Valid…" with a capital (not modelled: the table keeps no history).
    needRcpt: reply(503, 'valid RCPT command must precede DATA'),
    dataWithoutMail: reply(503, 'valid RCPT command must precede DATA'),
    startData: reply(354, 'Enter message, ending with "." on a line by itself'),
    // Without the ACL-dependent ETRN/EXPN/VRFY and without STARTTLS (not advertised here).
    help: { code: 214, text: ['Commands supported:', 'AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP'] },
    ok: reply(250, 'OK'),
    reset: reply(250, 'Reset OK'),
    unknownCommand: reply(500, 'unrecognized command'),
    tooManyUnknownCommands: reply(500, 'Too many unrecognized commands'),
    earlyTalker: () => syncError,
    bye: (hostname) => reply(221, `${hostname} closing connection`),
    queued: (queueId) => reply(250, `OK id=${queueId}`),
    // The default router's refusal, reported by acl_check_rcpt's "require verify = recipient".
    unknownUser: () => reply(550, 'Unknown user'),
    relayDenied: () => reply(550, 'relay not permitted'),
    // The same words at MAIL SIZE= (smtp_in.c) and at the end of an oversized message (receive.c).
    sizeExceeded: () => reply(552, 'Message size exceeds maximum permitted'),
  },
  received: eximReceived(EXIM_VERSION),
  sources: {
    banner: { source: `${SOURCE} src/src/globals.c`, quote: 'smtp_banner = US"$smtp_active_hostname ESMTP " "Exim $version_number $tod_full"' },
    welcome: { source: SMTP_IN, quote: 'g = string_fmt_append(g, "%.3s %s Hello %s%s%s", ...' },
    ehloKeywords: {
      source: SMTP_IN,
      quote: '"%.3s-SIZE %d\\r\\n" "%.3s-LIMITS" " MAILMAX=%d" " RCPTMAX=%d" US"-8BITMIME\\r\\n" US"-PIPELINING\\r\\n" US"-SMTPUTF8\\r\\n" US" HELP\\r\\n"',
    },
    heloSyntax: { source: SMTP_IN, quote: 'smtp_printf("501 Syntactically invalid %s argument(s)\\r\\n", SP_NO_MORE, hello);' },
    needHelo: { source: SMTP_IN, quote: 'done = synprot_error(L_smtp_protocol_error, 503, NULL, US"HELO or EHLO required");' },
    mailOk: { source: SMTP_IN, quote: 'smtp_printf("%s%s%s", more, US"250 OK", ...' },
    nestedMail: { source: SMTP_IN, quote: 'done = synprot_error(L_smtp_protocol_error, 503, NULL, US"sender already given");' },
    needMail: { source: SMTP_IN, quote: 'smtp_printf("503 sender not yet given\\r\\n", SP_NO_MORE);' },
    rcptOk: { source: SMTP_IN, quote: 'smtp_printf("250 Accepted\\r\\n", more);' },
    needRcpt: { source: SMTP_IN, quote: 'done = synprot_error(L_smtp_protocol_error, 503, NULL, ... ? US"valid RCPT command must precede DATA"' },
    dataWithoutMail: { source: SMTP_IN, quote: 'done = synprot_error(L_smtp_protocol_error, 503, NULL, ... ? US"valid RCPT command must precede DATA"' },
    startData: { source: SMTP_IN, quote: '"354 Enter message, ending with \\".\\" on a line by itself\\r\\n"' },
    help: { source: SMTP_IN, quote: 'smtp_printf("214-Commands supported:\\r\\n214", SP_MORE); smtp_printf(" AUTH", SP_MORE); smtp_printf(" HELO EHLO MAIL RCPT DATA BDAT", SP_MORE); smtp_printf(" NOOP QUIT RSET HELP", SP_MORE);' },
    ok: { source: SMTP_IN, quote: 'case NOOP_CMD: HAD(SCH_NOOP); smtp_printf("250 OK\\r\\n", SP_NO_MORE);' },
    reset: { source: SMTP_IN, quote: 'smtp_printf("250 Reset OK\\r\\n", SP_NO_MORE);' },
    unknownCommand: { source: SMTP_IN, quote: 'done = synprot_error(L_smtp_syntax_error, 500, NULL, US"unrecognized command");' },
    tooManyUnknownCommands: { source: SMTP_IN, quote: 'smtp_notquit_exit(US"bad-commands", US"500", US"Too many unrecognized commands");' },
    earlyTalker: { source: SMTP_IN, quote: 'smtp_printf("554 SMTP synchronization error\\r\\n", SP_NO_MORE);' },
    bye: { source: SMTP_IN, quote: 'smtp_printf("221 %s closing connection\\r\\n", SP_NO_MORE, smtp_active_hostname);' },
    queued: { source: `${SOURCE} src/src/receive.c`, quote: 'smtp_printf("250 OK id=%s\\r\\n", receive_hasc(), message_id);' },
    // The code is the RCPT ACL's default refusal code (globals.c acl_wherecodes).
    unknownUser: { source: CONFIGURE_DEFAULT, quote: 'cannot_route_message = Unknown user; globals.c: acl_wherecodes[] = { [ACL_WHERE_RCPT] = US"550"' },
    relayDenied: { source: CONFIGURE_DEFAULT, quote: 'require message = relay not permitted; globals.c: acl_wherecodes[] = { [ACL_WHERE_RCPT] = US"550"' },
    sizeExceeded: { source: SMTP_IN, quote: 'if (thismessage_size_limit > 0 && message_size > thismessage_size_limit) { smtp_printf("552 Message size exceeds maximum permitted\\r\\n", SP_NO_MORE);' },
  },
};

export const EXIM_PERSONALITY = modelledPersonality(EXIM_TABLE, eximMessageId);
