/**
 * The goal language: a lesson's goal is one condition, usually `all` of several. Every
 * condition is an object with exactly one primitive key (plus an optional `label`, the text
 * the learner sees instead of the generated one). The zod schema is in goal-schema.ts.
 */

/** A whole number, or bounds on one (`2`, `{ min: 2 }`, `{ min: 1, max: 3 }`). */
export type CountSpec = number | { readonly min?: number; readonly max?: number };

/**
 * What a reply answered: a command verb, or a line that is not a command (the `.` ending DATA,
 * an AUTH answer), the greeting, or a line that names no verb.
 */
export type AnsweredKind =
  | 'EHLO' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA' | 'RSET' | 'NOOP' | 'QUIT'
  | 'VRFY' | 'EXPN' | 'HELP' | 'AUTH' | 'STARTTLS' | 'BDAT'
  | 'END-OF-DATA' | 'AUTH-RESPONSE' | 'GREETING' | 'UNKNOWN';

/** Matches one server reply in the transcript; every field given must match. */
export interface ReplySpec {
  /** What the reply answered. */
  readonly to?: AnsweredKind;
  /** The exact three-digit code. */
  readonly code?: number;
  /** The first digit (RFC 5321 §4.2.1). */
  readonly class?: 2 | 3 | 4 | 5;
  /** The exact RFC 3463 enhanced status code, e.g. "5.1.1". */
  readonly enhanced?: string;
  /** A regular expression (case-insensitive) the answered client line must match. */
  readonly sent?: string;
}

/** A header line of an accepted message. */
export interface HeaderSpec {
  /** Header field name, case-insensitive. */
  readonly name: string;
  /** A regular expression (case-insensitive) the field's value must match. */
  readonly matches?: string;
}

/** Matches one message the server accepted in this connection. */
export interface MessageSpec {
  /** The envelope sender exactly (case-insensitive); "" is the null sender `<>`. */
  readonly sender?: string;
  /** How many envelope recipients the server accepted for it. */
  readonly recipients?: CountSpec;
  /** Header fields the message must carry. */
  readonly headers?: readonly HeaderSpec[];
  /** A regular expression (multi-line, case-sensitive) the stored text must match. */
  readonly body?: string;
}

/** ESMTP keywords a lesson can ask the learner to use (see primitives/extension.ts). */
export type UsableExtension = 'PIPELINING' | 'SIZE' | 'STARTTLS' | 'AUTH' | '8BITMIME' | 'SMTPUTF8';

export type ConditionBody =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly sequence: readonly EventCondition[] }
  | { readonly earlierConnection: Condition }
  | { readonly reply: ReplySpec }
  | { readonly rejected: Omit<ReplySpec, 'class'> & { readonly class?: 4 | 5 } }
  | { readonly state: string }
  | { readonly identity: { readonly verb?: 'EHLO' | 'HELO'; readonly domain?: string } }
  | { readonly extension: { readonly advertised: string } | { readonly used: UsableExtension } }
  | { readonly tls: boolean }
  | { readonly auth: { readonly user?: string; readonly mechanism?: string } }
  | { readonly message: MessageSpec }
  | { readonly messages: CountSpec };

/** Conditions met by one transcript event, so they can be put in a `sequence`. */
export type EventCondition = (
  | { readonly reply: ReplySpec }
  | { readonly rejected: Omit<ReplySpec, 'class'> & { readonly class?: 4 | 5 } }
) & { readonly label?: string };

/** One condition of a goal. */
export type Condition = ConditionBody & { readonly label?: string };

