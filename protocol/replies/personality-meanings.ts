/**
 * What a reply means when a particular server sends it, where that differs from the code's
 * general meaning in the catalog: Postfix's `554` to DATA is "no valid recipients", not "no
 * SMTP service here". Each meaning says what RFC 5321 (or the extension's RFC) asks at that
 * point and whether the server meets it. Keyed by personality; a personality without
 * entries (smtp-server, whose texts the catalog's `smtpServer` notes already cover) gets the
 * catalog's meanings.
 */
import type { PersonalityName } from '../sandbox-config.ts';
import type { Reply } from './types.ts';

export interface PersonalityReplyMeaning {
  readonly code: number;
  /** The command the reply answers (upper-case), when the meaning is specific to one. */
  readonly command?: string;
  /** Words of the server's own text that single this reply out (case-insensitive; "" for any text). */
  readonly textIncludes: string;
  readonly title: string;
  readonly meaning: string;
  readonly clientAction: string;
  /** What the RFC asks at this point, and whether this server meets it. */
  readonly rfcRequirement: string;
}

/**
 * Exim, Gmail and Exchange use RFC 7505's registered words (protocol/world/null-mx-sender.ts);
 * Postfix's entry below differs only in its words and when it checks.
 */
const NULL_MX_SENDER_MEANING: PersonalityReplyMeaning = {
  code: 550,
  command: 'RCPT',
  textIncludes: 'Sender address has null MX',
  title: 'Sender refused: its domain publishes a null MX',
  meaning:
    'The refusal is about MAIL FROM, not this recipient: the sender\'s domain publishes a null MX ("0 .", RFC 7505), which says it takes no mail at all, so no reply and no bounce could ever reach that sender. Every recipient of this transaction will get the same answer.',
  clientAction: 'Start over (RSET) with MAIL FROM an address at a domain that receives mail, or use the null sender <> for a bounce.',
  rfcRequirement:
    'RFC 7505 §4.2: a server that refuses mail from a null-MX sender domain SHOULD answer 550 with enhanced code 5.7.27 "Sender address has null MX". The null sender <> has no domain and is never refused for this.',
};

const POSTFIX_MEANINGS: readonly PersonalityReplyMeaning[] = [
  {
    code: 554,
    command: 'DATA',
    textIncludes: 'no valid recipients',
    title: 'No valid recipients',
    meaning:
      'Postfix accepted a sender but no recipient, so there is nobody to deliver the message to; it refuses DATA with 554 (it says 503 only when MAIL FROM is missing too).',
    clientAction: 'Give at least one recipient the server accepts (RCPT TO), then send DATA again; do not send the message now.',
    rfcRequirement:
      'RFC 5321 §3.3 lets a server answer DATA without a valid recipient with 503 "command out of sequence" or 554 "no valid recipients": Postfix takes 554, smtp-server 503, and both meet the RFC.',
  },
  {
    code: 221,
    textIncludes: 'I can break rules, too',
    title: 'Closing: the client lost track of the protocol',
    meaning:
      'Postfix read a line that looks like a message header (a name and a colon) or an HTTP request where it expected a command, concluded that the client lost track of the conversation (typically: it sent its message after DATA was refused) and hung up.',
    clientAction:
      'Reconnect. After a refused DATA, never send the message: fix the envelope first (MAIL FROM, RCPT TO) and wait for 354 before the first header line.',
    rfcRequirement:
      'RFC 5321 §3.8 keeps 221 for the answer to QUIT and asks a server that closes on its own to say 421; §7.8 lets it close to protect itself. Postfix departs from the letter here: the RFC would answer each line with 500 and keep the connection open.',
  },
  {
    code: 501,
    command: 'RSET',
    textIncludes: 'Syntax: RSET',
    title: 'RSET takes no argument',
    meaning: 'Postfix refuses RSET with anything after the verb; the transaction was not reset.',
    clientAction: 'Send RSET alone.',
    rfcRequirement: 'RFC 5321 §4.1.1.5 gives RSET no argument ("RSET" CRLF): Postfix enforces the grammar, smtp-server ignores the extra words.',
  },
  {
    code: 501,
    command: 'DATA',
    textIncludes: 'Syntax: DATA',
    title: 'DATA takes no argument',
    meaning: 'Postfix refuses DATA with anything after the verb, so it does not ask for the message.',
    clientAction: 'Send DATA alone, and the message only after 354.',
    rfcRequirement: 'RFC 5321 §4.1.1.4 gives DATA no argument ("DATA" CRLF): Postfix enforces the grammar, smtp-server ignores the extra words.',
  },
  {
    code: 500,
    command: 'HELP',
    textIncludes: 'command not recognized',
    title: 'HELP not implemented',
    meaning: 'Postfix does not implement HELP at all: it answers it like any unknown command.',
    clientAction: 'Read the EHLO reply instead: it lists what the server supports.',
    rfcRequirement:
      'RFC 5321 §4.1.1.8 says servers SHOULD support HELP. It is not in §4.5.1\'s list of commands every server MUST implement, so Postfix is allowed to refuse it, but it departs from the SHOULD; smtp-server answers 214.',
  },
  {
    code: 252,
    command: 'VRFY',
    textIncludes: '',
    title: 'Address checked: Postfix would accept mail for it',
    meaning:
      'Postfix really checks VRFY: the address passed the same recipient checks as RCPT TO (a local domain, a known user). It says 252, not 250: passing those checks means it will accept mail for the address and try delivery, not that delivery will succeed.',
    clientAction: 'You may send to this address; an unknown user would have got 550 and a foreign domain 554.',
    rfcRequirement: 'RFC 5321 §3.5.3 allows 252 when the server will accept mail for the address but does not confirm the mailbox: Postfix meets it.',
  },
  {
    code: 459,
    textIncludes: 'service unavailable',
    title: 'ETRN refused for this domain',
    meaning: 'ETRN asks the server to send the mail it queues for a domain; the lab Postfix keeps no queue for other hosts, so it refuses.',
    clientAction: 'Nothing to do: ETRN only matters to a backup mail server that holds mail for you.',
    rfcRequirement: 'RFC 1985 defines 459 for a node the server will not start a queue run for: Postfix meets it.',
  },
  {
    code: 503,
    command: 'AUTH',
    textIncludes: 'authentication not enabled',
    title: 'Authentication not enabled',
    meaning: 'This Postfix knows AUTH but has no SASL configured, so it did not advertise AUTH and refuses it.',
    clientAction: 'Send mail without AUTH: the lab Postfix accepts mail for its own users from anyone on loopback.',
    rfcRequirement:
      'RFC 4954 §3 ties AUTH to the EHLO keyword; for a command the server does not offer, RFC 5321 §4.2.4 asks for 502. Postfix answers 503 instead.',
  },
  {
    code: 521,
    command: 'BDAT',
    textIncludes: 'Syntax: BDAT',
    title: 'Unreadable BDAT: hanging up',
    meaning:
      'Postfix could not read the chunk size, so it cannot know where the chunk ends and which bytes are the next command: it answers 521 and closes the connection.',
    clientAction: 'Reconnect and send BDAT with a size in octets, e.g. "BDAT 42 LAST", then exactly that many octets.',
    rfcRequirement:
      'RFC 3030 §2 expects the size and the chunk to agree and names no reply for a bad size (RFC 5321 answers a malformed command with 501). RFC 7504 keeps 521 for a host that accepts no mail at all, and RFC 5321 §3.8 expects 421 from a server that closes on its own: Postfix departs from both, because it can no longer tell data from commands.',
  },
  {
    ...NULL_MX_SENDER_MEANING,
    textIncludes: 'does not accept mail (nullMX)',
    meaning:
      'The refusal is about MAIL FROM, not this recipient: the sender\'s domain publishes a null MX ("0 .", RFC 7505), which says it takes no mail at all, so no reply and no bounce could ever reach that sender. Postfix checks the sender here, at RCPT, because it delays its sender restrictions until then (smtpd_delay_reject=yes), so MAIL FROM got 250; every recipient will get the same answer.',
  },
];

export const PERSONALITY_REPLY_MEANINGS: Readonly<Partial<Record<PersonalityName, readonly PersonalityReplyMeaning[]>>> = {
  postfix: POSTFIX_MEANINGS,
  exim: [NULL_MX_SENDER_MEANING],
  gmail: [NULL_MX_SENDER_MEANING],
  exchange: [NULL_MX_SENDER_MEANING],
};

/** The personality's own meaning of this reply (to this command), or null when it has none. */
export function personalityMeaning(personality: PersonalityName, reply: Reply, command?: string): PersonalityReplyMeaning | null {
  const meanings = PERSONALITY_REPLY_MEANINGS[personality];
  if (meanings === undefined) return null;
  const text = reply.texts.join(' ').toLowerCase();
  return (
    meanings.find(
      (entry) => entry.code === reply.code && (entry.command === undefined || entry.command === command) && text.includes(entry.textIncludes.toLowerCase()),
    ) ?? null
  );
}
