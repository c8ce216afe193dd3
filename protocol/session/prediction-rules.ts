/**
 * Where a server's answers depart from the plain RFC 5321 prediction, per personality, as
 * data: predict.ts asks these before its RFC rules. smtp-server's rules are the RFC ones the
 * model always used; Postfix's were read off the lab's Postfix 3.7 (the simulator's `postfix`
 * personality, verified in tests/conformance).
 */
import type { PersonalityName } from '../sandbox-config.ts';
import { etrnRefused, POSTFIX_REPLIES, type PostfixReply } from '../simulator/personalities/postfix/postfix-replies.ts';

/** A known answer: the code and why, for a warning in the console. */
export interface RuleAnswer {
  readonly outcome: 'accept' | 'reject' | 'unknown';
  readonly code: number | null;
  readonly reason: string;
}

/** The answer to a line outside the command grammar, in the server's own words. */
export interface LineAnswer extends RuleAnswer {
  /** The reply exactly as the server writes it: "459 <x>: service unavailable". */
  readonly reply: string;
  /** True when the server hangs up right after it. */
  readonly closes: boolean;
}

export interface PredictionRules {
  /** MAIL before EHLO/HELO: refused with 503, or accepted. */
  readonly mailNeedsHello: boolean;
  /**
   * A malformed MAIL or RCPT out of sequence (RCPT before MAIL, a second MAIL): refused for the
   * sequence (503) before its syntax is read, or for its syntax (501) first. smtp-server parses
   * the address first; Postfix's smtpd checks the state first (verified on the lab's Postfix).
   */
  readonly sequenceBeforeSyntax: boolean;
  /** The refusal of a MAIL or RCPT line whose address cannot be read (RFC 5321 §4.2.2 allows 501 or 555). */
  readonly addressSyntaxCode: 501 | 555;
  /** The refusal of DATA after an accepted MAIL FROM but no accepted recipient. */
  readonly dataWithoutRecipients: RuleAnswer;
  /** RSET or DATA with words after the verb: ignored (null), or this answer. */
  readonly argumentsAfterRsetOrData: RuleAnswer | null;
  /** AUTH when the server did not advertise it. */
  readonly authNotAdvertised: RuleAnswer;
  /** HELP and VRFY, when the server answers them one known way (null: several legal ways). */
  readonly help: RuleAnswer | null;
  readonly vrfy: RuleAnswer | null;
  /**
   * A line the command grammar cannot read (ETRN, "Subject: hi") that this server answers its
   * own way, or null when it answers it as any unknown command. `inTransaction`: MAIL FROM
   * was accepted.
   */
  readonly unreadLine: ((line: string, inTransaction: boolean) => LineAnswer | null) | null;
}

const RFC_5321_RULES: PredictionRules = {
  mailNeedsHello: true,
  sequenceBeforeSyntax: false,
  addressSyntaxCode: 501,
  dataWithoutRecipients: { outcome: 'reject', code: 503, reason: 'No recipient was accepted, so there is nobody to deliver to (RFC 5321 §3.3).' },
  argumentsAfterRsetOrData: null,
  authNotAdvertised: { outcome: 'reject', code: 502, reason: 'The server did not advertise AUTH (RFC 4954 §3).' },
  help: null,
  vrfy: null,
  unreadLine: null,
};

/** Postfix's is_header(): a first word that is a header name and a colon ("Subject:"), as postfix-dispatcher.ts. */
const HEADER_NAME = /^[!-9;-~]+:/;
/** `smtpd_forbidden_commands = CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}` (case-insensitive). */
const FORBIDDEN_COMMAND = /^(CONNECT|GET|POST)$|^[^A-Z]/i;

const says = (answer: PostfixReply): string => `${answer.code} ${answer.text}`;

/** Postfix's answers to ETRN (RFC 1985) and to lines it takes for a client that lost track of the protocol. */
function postfixUnreadLine(line: string, inTransaction: boolean): LineAnswer | null {
  const [word = '', domain] = line.trim().split(/\s+/);
  if (word.toUpperCase() === 'ETRN') {
    if (inTransaction) {
      const answer = POSTFIX_REPLIES.etrnInTransaction;
      return { outcome: 'reject', code: answer.code, reply: says(answer), closes: false, reason: 'Postfix takes no ETRN during a mail transaction: finish it or RSET first.' };
    }
    if (domain === undefined) {
      const answer = POSTFIX_REPLIES.etrnSyntax;
      return { outcome: 'reject', code: answer.code, reply: says(answer), closes: false, reason: 'ETRN needs the domain whose queued mail you ask for (RFC 1985).' };
    }
    // The real Postfix names the domain without a leading "@" (ETRN @x → <x>).
    const answer = etrnRefused(domain.replace(/^@/, ''));
    return {
      outcome: 'reject',
      code: answer.code,
      reply: says(answer),
      closes: false,
      reason:
        'ETRN (RFC 1985) asks a server to deliver the mail it queues for a domain; the lab Postfix queues mail for no other host, so it refuses with 459, the code RFC 1985 gives for that. smtp-server does not know ETRN at all (500).',
    };
  }
  if (!HEADER_NAME.test(word) && !FORBIDDEN_COMMAND.test(word)) return null;
  const answer = POSTFIX_REPLIES.breakRules;
  return {
    outcome: 'reject',
    code: answer.code,
    reply: says(answer),
    closes: true,
    reason:
      'Postfix reads this as a command, and a "command" that looks like a message header (a name and a colon) or a web request tells it the client lost track of the protocol, typically one sending its message although DATA was refused: it hangs up at once (smtpd_forbidden_commands). RFC 5321 would answer 500 and keep the connection open (§3.8 keeps 221 for QUIT); smtp-server does that.',
  };
}

const POSTFIX_RULES: PredictionRules = {
  mailNeedsHello: false,
  sequenceBeforeSyntax: true,
  addressSyntaxCode: 501,
  dataWithoutRecipients: {
    outcome: 'reject',
    code: 554,
    reason: 'No recipient was accepted: Postfix answers 554 "no valid recipients" (RFC 5321 §3.3 allows 554 or 503 here).',
  },
  argumentsAfterRsetOrData: {
    outcome: 'reject',
    code: 501,
    reason: 'RSET and DATA take no argument (RFC 5321 §4.1.1): Postfix refuses the line with 501 (smtp-server ignores the extra words).',
  },
  authNotAdvertised: {
    outcome: 'reject',
    code: 503,
    reason: 'This Postfix has no SASL, so it did not advertise AUTH and answers 503 "authentication not enabled".',
  },
  help: {
    outcome: 'reject',
    code: 500,
    reason: 'Postfix does not implement HELP: 500. RFC 5321 §4.1.1.8 says servers SHOULD support it, though it is not in §4.5.1\'s minimum list.',
  },
  vrfy: {
    outcome: 'unknown',
    code: null,
    reason: 'Postfix really checks VRFY, like RCPT TO: 252 for a local user, 550 for an unknown one, 554 for a domain it does not serve.',
  },
  unreadLine: postfixUnreadLine,
};

/** The modelled servers (simulator/personalities/modelled) check the sequence before the syntax. */
const MODELLED_RULES: PredictionRules = { ...RFC_5321_RULES, sequenceBeforeSyntax: true };

/** The rules for each personality; one without its own entry follows RFC 5321 as smtp-server does. */
const RULES: Readonly<Partial<Record<PersonalityName, PredictionRules>>> = {
  'smtp-server': RFC_5321_RULES,
  postfix: POSTFIX_RULES,
  // Exim's smtp_in.c takes MAIL before HELO unless helo_verify_hosts says otherwise.
  exim: { ...MODELLED_RULES, mailNeedsHello: false },
  // Google's SMTP error reference gives "555 5.5.2 Syntax error" for an address it cannot read.
  gmail: { ...MODELLED_RULES, addressSyntaxCode: 555 },
  exchange: MODELLED_RULES,
};

export function predictionRules(personality: PersonalityName): PredictionRules {
  return RULES[personality] ?? RFC_5321_RULES;
}
