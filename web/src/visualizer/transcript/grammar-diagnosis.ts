/**
 * "Rejected commands explain themselves": when the server answers 500 or 501 to a line the
 * command grammar flagged, the grammar's diagnosis and fix belong next to that line, without
 * a click. Lines the grammar found fine get nothing here (the server's reasons are its own).
 */
import { parseCommand } from '../../../../protocol/commands/index.ts';
import type { TranscriptEntry } from '../../../../protocol/session/index.ts';

export interface GrammarDiagnosis {
  /** What is wrong with the line, in the grammar's words. */
  readonly message: string;
  /** How to write it, usually with an example in `backticks`. */
  readonly fix: string;
}

/** The syntax replies: 500 (command unrecognized) and 501 (bad parameters or arguments). */
const SYNTAX_CODES = new Set([500, 501]);

/** The diagnosis of a client command the server refused with 500/501, or null. */
export function rejectedDiagnosis(entries: readonly TranscriptEntry[], entry: TranscriptEntry): GrammarDiagnosis | null {
  if (entry.from !== 'client' || entry.role !== 'command' || entry.answeredBy === null) return null;
  const code = entries[entry.answeredBy]?.reply?.code;
  if (code === undefined || !SYNTAX_CODES.has(code)) return null;
  const parsed = parseCommand(entry.text);
  const issue = parsed.ok ? parsed.warnings[0] : parsed.error;
  return issue === undefined ? null : { message: issue.message, fix: issue.fix };
}

/** Every refused, grammar-flagged client line of a transcript, by entry index. */
export function rejectedDiagnoses(entries: readonly TranscriptEntry[]): ReadonlyMap<number, GrammarDiagnosis> {
  const found = new Map<number, GrammarDiagnosis>();
  for (const entry of entries) {
    const diagnosis = rejectedDiagnosis(entries, entry);
    if (diagnosis !== null) found.set(entry.index, diagnosis);
  }
  return found;
}

/** The index of the newest client line whose refusal the grammar explains, if it is the last exchange. */
export function latestExplainedRejection(entries: readonly TranscriptEntry[]): number | null {
  const last = entries.at(-1);
  if (last === undefined || last.answers === null) return null;
  const answered = entries[last.answers];
  return answered !== undefined && rejectedDiagnosis(entries, answered) !== null ? answered.index : null;
}

/** Splits text at `backticks` so the example lines can be shown as code. */
export function codeSpans(text: string): { readonly text: string; readonly code: boolean }[] {
  return text.split('`').flatMap((part, i) => (part === '' ? [] : [{ text: part, code: i % 2 === 1 }]));
}
