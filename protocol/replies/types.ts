/** Typed server replies (RFC 5321 §4.2) with RFC 3463 enhanced status codes. */

/** An RFC 3463 enhanced status code such as 2.1.0: class.subject.detail. */
export interface EnhancedStatusCode {
  readonly statusClass: 2 | 4 | 5;
  readonly subject: number;
  readonly detail: number;
  /** As written, e.g. "5.7.8". */
  readonly text: string;
}

/** One complete reply, possibly spread over several lines (`250-…` then `250 …`). */
export interface Reply {
  /** Three-digit reply code. */
  readonly code: number;
  /** Every line exactly as received, without CRLF. */
  readonly lines: readonly string[];
  /** The text of each line after the code and separator (and after the enhanced code). */
  readonly texts: readonly string[];
  /** The enhanced status code, when the first line carried one. */
  readonly enhanced: EnhancedStatusCode | null;
}

/** What the first digit says (RFC 5321 §4.2.1). */
export type ReplyClass =
  | 'positive-completion'
  | 'positive-intermediate'
  | 'transient-negative'
  | 'permanent-negative';

/** A line the reply grammar could not read, and why. */
export interface ReplySyntaxError {
  readonly line: string;
  readonly message: string;
}

/** The catalog's explanation of one reply code. */
export interface ReplyCodeEntry {
  readonly code: number;
  /** The RFC's short name, e.g. "Requested mail action okay, completed". */
  readonly title: string;
  /** What it means, in plain words. */
  readonly meaning: string;
  /** When a learner typically meets it. */
  readonly typicalCause: string;
  /** What a client should do next. */
  readonly clientAction: string;
  /** Where it is defined, e.g. "RFC 5321 §4.2.2". */
  readonly rfc: string;
  /**
   * The command this entry is specific to, upper-case (e.g. "STARTTLS" for 220 "Ready to start
   * TLS"); absent for the code's general meaning.
   */
  readonly command?: string;
  /** How smtp-server (the sandbox's real server) uses the code, where that is worth knowing. */
  readonly smtpServer?: string;
}

/** The catalog's explanation of one enhanced status code (RFC 3463, RFC 5248 registry). */
export interface EnhancedCodeEntry {
  /** "X.1.1" form with the class left as X, or a full code. */
  readonly code: string;
  readonly title: string;
  readonly meaning: string;
  readonly rfc: string;
}

/** One reply line read by the grammar of RFC 5321 §4.2. */
export interface ParsedReplyLine {
  readonly code: number;
  /** True for `250-…` (more lines follow), false for `250 …` or a bare `250`. */
  readonly continues: boolean;
  /** Everything after the code and its separator, enhanced status code included. */
  readonly text: string;
  /** Set when the line is readable but bends the grammar (e.g. a second digit above 5). */
  readonly warning: string | null;
}

/** What `ReplyAssembler.push` returns once a reply is complete or a line is unreadable. */
export type ReplyAssemblerResult =
  | { readonly kind: 'reply'; readonly reply: Reply; readonly warnings: readonly string[] }
  | { readonly kind: 'error'; readonly error: ReplySyntaxError };
