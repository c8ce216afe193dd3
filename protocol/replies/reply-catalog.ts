/** Looks up the explanation of a reply code, optionally in the context of the command it answers. */
import { replyClass } from './parse-reply.ts';
import { COMMAND_SPECIFIC_REPLY_CODES, EXTENSION_REPLY_CODES } from './reply-codes-extensions.ts';
import { RFC5321_REPLY_CODES } from './reply-codes-rfc5321.ts';
import type { ReplyClass, ReplyCodeEntry } from './types.ts';

/** Every catalog entry: general meanings first, then command-specific ones. */
export const REPLY_CODE_CATALOG: readonly ReplyCodeEntry[] = [
  ...RFC5321_REPLY_CODES,
  ...EXTENSION_REPLY_CODES,
  ...COMMAND_SPECIFIC_REPLY_CODES,
];

const GENERAL = new Map<number, ReplyCodeEntry>();
const SPECIFIC = new Map<string, ReplyCodeEntry>();
for (const entry of REPLY_CODE_CATALOG) {
  if (entry.command === undefined) GENERAL.set(entry.code, entry);
  else SPECIFIC.set(`${entry.code} ${entry.command}`, entry);
}

/** RFC 5321 §4.2.1: what the first digit says. */
export const REPLY_CLASS_MEANING: Readonly<Record<ReplyClass, string>> = {
  'positive-completion': 'Success: the command was carried out.',
  'positive-intermediate': 'So far so good: the server waits for more from you to finish the command.',
  'transient-negative': 'Temporary failure: the command was not carried out, but the same command may work later.',
  'permanent-negative': 'Permanent failure: the command was not carried out and will not work if repeated unchanged.',
};

// RFC 5321 §4.2.1: what the second digit says; 3 and 4 are unspecified there.
const SECOND_DIGIT_MEANING: readonly string[] = [
  'about syntax',
  'information',
  'about the connection',
  'unspecified category',
  'unspecified category',
  'about the mail system',
];

function fallbackEntry(code: number): ReplyCodeEntry {
  const inRange = Number.isInteger(code) && code >= 200 && code <= 599;
  if (!inRange) {
    return {
      code,
      title: 'Not an SMTP reply code',
      meaning: 'SMTP reply codes are three digits from 200 to 599.',
      typicalCause: 'A peer that does not speak SMTP, or a misread line.',
      clientAction: 'Check that you are connected to an SMTP server.',
      rfc: 'RFC 5321 §4.2',
    };
  }
  const second = Math.floor(code / 10) % 10;
  const category = SECOND_DIGIT_MEANING[second] ?? `second digit ${second}, which RFC 5321 does not define`;
  const classMeaning = REPLY_CLASS_MEANING[replyClass(code)];
  return {
    code,
    title: `Unlisted code (${category})`,
    meaning: `${classMeaning} The code itself is not a standard one, so read the text for details.`,
    typicalCause: 'A server-specific or newer code.',
    clientAction: 'Act on the first digit: 2 go on, 3 send what is asked, 4 retry later, 5 change something before retrying.',
    rfc: 'RFC 5321 §4.2.1',
  };
}

/**
 * Explains a reply code. With the command it answers (e.g. "STARTTLS", "AUTH", "MAIL", "RCPT",
 * "DATA"), returns the meaning specific to that command when there is one. Codes not in the
 * catalog get an entry built from their first two digits (RFC 5321 §4.2.1). Never throws.
 */
export function explainReplyCode(code: number, command?: string): ReplyCodeEntry {
  if (command !== undefined) {
    const specific = SPECIFIC.get(`${code} ${command.toUpperCase()}`);
    if (specific) return specific;
  }
  return GENERAL.get(code) ?? fallbackEntry(code);
}
