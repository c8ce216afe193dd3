/**
 * Gmail's MX (mx.google.com) as Google Workspace documents it ("Gmail SMTP errors and codes",
 * https://support.google.com/a/answer/3726730: every error ends in "<session id> - gsmtp") and
 * as a published session shows it (https://pastebin.com/yJvD0fLt: banner, EHLO reply, the
 * "EHLO/HELO first" refusal). Not verified against the server. Where neither gives a text,
 * smtp-server's is kept.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { SMTP_SERVER_SESSION_RULES, SMTP_SERVER_TEXTS, type ModelledReply } from './modelled-table.ts';

/** The lab's stand-in for the per-connection session id Gmail writes before "- gsmtp". */
export const GMAIL_SESSION_ID = 'lab1si0000000lab.1';
const gsmtp = (text: string): string => `${text} ${GMAIL_SESSION_ID} - gsmtp`;
const reply = (code: number, text: string): ModelledReply => ({ code, text });

export const GMAIL_PERSONALITY = modelledPersonality({
  name: 'gmail',
  label: 'Gmail-like (mx.google.com)',
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.gmail.lab.test',
  banner: (hostname) => gsmtp(`${hostname} ESMTP`), // pastebin yJvD0fLt: "220 mx.google.com ESMTP <id> - gsmtp"
  welcome: (hostname, _helo, clientHostname) => `${hostname} at your service, ${clientHostname}`, // pastebin yJvD0fLt
  // pastebin yJvD0fLt, in its order; CHUNKING left out because BDAT is not modelled.
  ehloKeywords: ['SIZE 157286400', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES', 'PIPELINING', 'SMTPUTF8'],
  // smtp-server's session rules: EHLO/HELO first (pastebin yJvD0fLt shows the refusal); the
  // documented "too many unrecognized commands" limit has no count in the sources, so smtp-server's
  // 10; no documented synchronization check.
  ...SMTP_SERVER_SESSION_RULES,
  replies: {
    ...SMTP_SERVER_TEXTS,
    needHelo: reply(503, gsmtp('5.5.1 EHLO/HELO first.')), // pastebin yJvD0fLt
    // support.google.com/a/answer/3726730: 550, "5.1.1", The email account that you tried to reach does not exist…
    unknownUser: () => ({
      code: 550,
      text: [
        '5.1.1 The email account that you tried to reach does not exist. Please try',
        "5.1.1 double-checking the recipient's email address for typos or",
        gsmtp('5.1.1 unnecessary spaces.'),
      ],
    }),
  },
});
