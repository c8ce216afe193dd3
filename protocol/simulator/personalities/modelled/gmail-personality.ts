/**
 * Gmail's MX as Google Workspace documents it: "Gmail SMTP errors and codes",
 * https://support.google.com/a/answer/3726730 (every error carries "<session id> - gsmtp"; each
 * entry gives code, enhanced code and text). Not verified against the server. Google publishes
 * no banner, EHLO reply, positive replies or limits: those are smtp-server's (said in the
 * table's `sources` by their absence), and the extensions are only the ones the documented
 * errors presuppose, with no invented size.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { GMAIL_RECEIVED } from './modelled-received.ts';
import { SMTP_SERVER_GREETING, SMTP_SERVER_SESSION_RULES, SMTP_SERVER_TEXTS, type ModelledReply, type ModelledTable } from './modelled-table.ts';

/** The lab's stand-in for the per-connection session id Gmail writes before "- gsmtp". */
export const GMAIL_SESSION_ID = 'lab1si0000000lab.1';
/** "gsmtp (Google SMTP) is added to all errors", after the session id. */
const gsmtp = (text: string): string => `${text} ${GMAIL_SESSION_ID} - gsmtp`;
const error = (code: number, text: string): ModelledReply => ({ code, text: gsmtp(text) });

const ERRORS = 'https://support.google.com/a/answer/3726730';

export const GMAIL_TABLE: ModelledTable = {
  name: 'gmail',
  label: 'Gmail-like (Google Workspace error reference)',
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.gmail.lab.test',
  ...SMTP_SERVER_GREETING,
  // SIZE without a number (RFC 1870: no fixed limit announced; Google names none here); STARTTLS
  // and PIPELINING because documented errors refuse their misuse; ENHANCEDSTATUSCODES because
  // every documented error carries one.
  ehloKeywords: ['SIZE', 'PIPELINING', 'ENHANCEDSTATUSCODES', 'STARTTLS'],
  // EHLO/HELO first is documented; the unknown-command limit has no documented count, so
  // smtp-server's 10; no documented synchronization check.
  ...SMTP_SERVER_SESSION_RULES,
  // SIZE announces no number: the lab's configured limit, refused in the reference's words.
  messageSizeLimit: null,
  replies: {
    ...SMTP_SERVER_TEXTS,
    heloSyntax: () => error(501, '5.5.4 HELO/EHLO argument is invalid.'),
    needHelo: error(503, '5.5.1 EHLO/HELO first.'),
    badSender: error(555, '5.5.2 Syntax error.'),
    badRecipient: error(555, '5.5.2 Syntax error.'),
    needMail: error(503, '5.5.1 MAIL first.'),
    needRcpt: error(503, '5.5.1 RCPT first.'),
    dataWithoutMail: error(503, '5.5.1 RCPT first.'),
    unknownCommand: error(502, '5.5.1 Unrecognized command.'),
    tooManyUnknownCommands: error(502, '5.5.1 Too many unrecognized commands, goodbye.'),
    // One line: the reference gives the text whole, not how Gmail wraps it.
    unknownUser: () => error(550, "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces."),
    relayDenied: () => error(550, '5.7.0 Mail relay denied.'),
    sizeExceeded: () => error(552, "5.2.3 Your message exceeded Google's message size limits."),
  },
  received: GMAIL_RECEIVED,
  sources: {
    ehloKeywords: { source: ERRORS, quote: '454, "4.5.0", SMTP protocol violation, no commands allowed to pipeline after STARTTLS, see RFC 3207. 530, "5.7.0", Must issue a STARTTLS command first. 552, "5.2.3", Your message exceeded Google\'s message size limits.' },
    heloSyntax: { source: ERRORS, quote: '501, "5.5.4", HELO/EHLO argument is invalid.' },
    needHelo: { source: ERRORS, quote: '503, "5.5.1", EHLO/HELO first.' },
    badSender: { source: ERRORS, quote: '555, "5.5.2", Syntax error.' },
    badRecipient: { source: ERRORS, quote: '555, "5.5.2", Syntax error.' },
    needMail: { source: ERRORS, quote: '503, "5.5.1", MAIL first.' },
    needRcpt: { source: ERRORS, quote: '503, "5.5.1", RCPT first.' },
    dataWithoutMail: { source: ERRORS, quote: '503, "5.5.1", RCPT first.' },
    unknownCommand: { source: ERRORS, quote: '502, "5.5.1", Unrecognized command.' },
    tooManyUnknownCommands: { source: ERRORS, quote: '502, "5.5.1", Too many unrecognized commands, goodbye.' },
    unknownUser: { source: ERRORS, quote: '550, "5.1.1", The email account that you tried to reach does not exist. Please try double-checking the recipient\'s email address for typos or unnecessary spaces.' },
    relayDenied: { source: ERRORS, quote: '550, "5.7.0", Mail relay denied.' },
    sizeExceeded: { source: ERRORS, quote: '552, "5.2.3", Your message exceeded Google\'s message size limits.' },
  },
};

export const GMAIL_PERSONALITY = modelledPersonality(GMAIL_TABLE);
