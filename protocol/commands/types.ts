/** Typed results of parsing one SMTP command line (RFC 5321 §4.1, with its extensions). */

export const VERBS = [
  'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT',
  'VRFY', 'EXPN', 'HELP', 'AUTH', 'STARTTLS', 'BDAT',
] as const;
export type Verb = (typeof VERBS)[number];

/** A half-open column range [start, end) into the line, in UTF-16 code units. */
export interface ColumnRange {
  readonly start: number;
  readonly end: number;
}

/** A reverse-path or forward-path: the address inside the angle brackets. */
export interface Path {
  /** The address without brackets; "" for the null reverse-path `<>`. */
  readonly address: string;
  readonly localPart: string;
  readonly domain: string;
  /** Where the `<…>` sits in the line. */
  readonly range: ColumnRange;
}

/** One ESMTP parameter such as `SIZE=1024` or `SMTPUTF8` (RFC 5321 §4.1.2 esmtp-param). */
export interface EsmtpParam {
  /** Upper-cased keyword. */
  readonly keyword: string;
  /** The value after `=`, or null for a bare keyword. */
  readonly value: string | null;
  readonly range: ColumnRange;
}

export type Command =
  | { readonly verb: 'EHLO' | 'HELO'; readonly domain: string }
  | { readonly verb: 'MAIL'; readonly path: Path; readonly params: readonly EsmtpParam[] }
  | { readonly verb: 'RCPT'; readonly path: Path; readonly params: readonly EsmtpParam[] }
  | { readonly verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS' }
  | { readonly verb: 'NOOP'; readonly argument: string | null }
  | { readonly verb: 'VRFY' | 'EXPN'; readonly argument: string }
  | { readonly verb: 'HELP'; readonly topic: string | null }
  | {
      readonly verb: 'AUTH';
      /** Upper-cased SASL mechanism, e.g. PLAIN, LOGIN, CRAM-MD5. */
      readonly mechanism: string;
      /** The initial response (base64 or `=` for empty), if given on the AUTH line. */
      readonly initialResponse: string | null;
    }
  | { readonly verb: 'BDAT'; readonly size: number; readonly last: boolean };

/** Stable identifiers for every kind of syntax error, for tests and lesson checks. */
export const SYNTAX_ERROR_CODES = [
  'empty-line',
  'control-character',
  'line-too-long',
  'unknown-command',
  'missing-argument',
  'unexpected-argument',
  'missing-from-keyword',
  'missing-to-keyword',
  'missing-angle-brackets',
  'unclosed-angle-bracket',
  'invalid-address',
  'invalid-domain',
  'invalid-parameter',
  'unknown-parameter',
  'duplicate-parameter',
  'invalid-parameter-value',
  'invalid-base64',
  'invalid-mechanism',
  'invalid-chunk-size',
  /** A lone UTF-16 surrogate: it cannot be sent as UTF-8 at all. */
  'invalid-character',
  /** `MAIL FROM <a@b>`: the colon after FROM/TO is missing. */
  'missing-colon',
  /** `MAIL FROM: <a@b>`: RFC 5321 has no space there; most servers tolerate it. */
  'space-after-colon',
  /** Several spaces where RFC 5321 has exactly one, or trailing spaces. */
  'extra-whitespace',
  /** `<@relay:alice@example.com>`: an obsolete source route (RFC 5321 §4.1.1.3, Appendix C). */
  'source-route',
  /** Valid by the RFCs, but the sandbox's smtp-server refuses it. */
  'server-may-reject',
  /** A non-ASCII address without the SMTPUTF8 parameter (RFC 6531 §3.4). */
  'missing-smtputf8',
] as const;
export type SyntaxErrorCode = (typeof SYNTAX_ERROR_CODES)[number];

export interface CommandSyntaxError {
  readonly code: SyntaxErrorCode;
  /** The verb, when the line began with a known one. */
  readonly verb: Verb | null;
  /** The columns at fault; always inside the line (an empty line gets {0,0}). */
  readonly range: ColumnRange;
  /** Which of the code's messages in GRAMMAR_MESSAGES (grammar-messages.ts) this is. */
  readonly variant: string;
  /** The values the message quotes, by placeholder name. */
  readonly params: Readonly<Record<string, string | number>>;
  /** What is wrong, for a learner: one or two plain sentences (rendered from the table). */
  readonly message: string;
  /** How to write it correctly, with an example line when there is one. */
  readonly fix: string;
}

export type CommandParseResult =
  | {
      readonly ok: true;
      readonly command: Command;
      /** Things RFC 5321 forbids but real servers tolerate (e.g. a space after `FROM:`). */
      readonly warnings: readonly CommandSyntaxError[];
    }
  | { readonly ok: false; readonly error: CommandSyntaxError };

/** A line a client sends while an AUTH exchange waits for it (RFC 4954 §4). */
export type AuthResponse =
  | { readonly kind: 'base64'; readonly value: string; readonly decoded: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'invalid'; readonly error: CommandSyntaxError };
