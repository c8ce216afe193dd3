/** What "Compare servers" produces: one conversation replayed on every personality, row by row. */
import type { PersonalityName } from '../sandbox-config.ts';

/** One server's answer at one step. */
export type CompareCell =
  /** The server answered (usually one reply; more when it sent several to one line). */
  | {
      readonly kind: 'reply';
      readonly code: number;
      /** The RFC 3463 code of the first reply, e.g. "5.5.1", or null when it gave none. */
      readonly enhanced: string | null;
      /** Every reply line as sent, without CRLF. */
      readonly lines: readonly string[];
      /** True when the server closed the connection after this reply. */
      readonly closed: boolean;
      /** For the reply that accepted a message: what the server stored (after removing transparency dots). */
      readonly stored: string | null;
    }
  /** The line went to the server and got no reply of its own (message data, or the conversation stopped here). */
  | { readonly kind: 'no-reply'; readonly closed: boolean }
  /** The server had closed the connection before this step: the line was never sent. */
  | { readonly kind: 'connection-closed' };

/** One client step: a command, or the lines that went together before a reply (a message up to "."). */
export interface CompareRow {
  /** 0 is the connection (the greeting); client steps count from 1. */
  readonly step: number;
  /** The client's lines in this step; empty for the greeting row. */
  readonly lines: readonly string[];
  readonly cells: Readonly<Record<PersonalityName, CompareCell>>;
  /**
   * True when the servers still connected answer differently: another reply code, one hangs
   * up, one answers and another does not, or they stored a different message. Reply texts
   * differ on nearly every line and do not count.
   */
  readonly differs: boolean;
  /** For a differing row: what the RFC asks and which servers meet it. */
  readonly explanation: DifferenceExplanation | null;
}

/** How a server stands against the requirement an explanation names. */
export type RequirementVerdict = 'meets' | 'departs' | 'not-applicable';

export interface DifferenceExplanation {
  /** The kind of difference, e.g. "data-without-recipients"; "generic" when no entry matched. */
  readonly kind: string;
  readonly title: string;
  /** Where the rule is, e.g. "RFC 5321 §3.3". */
  readonly rfc: string;
  /** What the RFC asks, at its own MUST/SHOULD/MAY level. */
  readonly requirement: string;
  /** Per server: whether its answer meets the requirement (not-applicable: no reply, or the entry does not judge it). */
  readonly verdicts: Readonly<Record<PersonalityName, RequirementVerdict>>;
}

export interface Comparison {
  /** The servers, in column order. */
  readonly personalities: readonly PersonalityName[];
  readonly rows: readonly CompareRow[];
  /** Client lines left out because the conversation was longer than the comparison replays. */
  readonly linesLeftOut: number;
}
