/** Shared building blocks of the per-verb parsers: issues, ranges and the parse context. */
import type { ColumnRange, Command, CommandSyntaxError, SyntaxErrorCode, Verb } from './types.ts';

/** What a per-verb parser sees: the whole line and where its verb sits. */
export interface VerbContext {
  readonly line: string;
  readonly verb: Verb;
  /** The verb as typed; arguments start at `verbRange.end` (a space, or the end of the line). */
  readonly verbRange: ColumnRange;
  /** Collects the things RFC 5321 forbids but real servers tolerate. */
  readonly warnings: CommandSyntaxError[];
}

export type VerbParseResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly error: CommandSyntaxError };

/** A per-verb parser, found by the dispatcher in its table. */
export type VerbParser = (context: VerbContext) => VerbParseResult;

export function span(start: number, end: number): ColumnRange {
  return { start, end };
}

export function issue(
  code: SyntaxErrorCode,
  verb: Verb | null,
  range: ColumnRange,
  message: string,
  fix: string,
): CommandSyntaxError {
  return { code, verb, range, message, fix };
}

export function fail(
  context: VerbContext,
  code: SyntaxErrorCode,
  range: ColumnRange,
  message: string,
  fix: string,
): VerbParseResult {
  return { ok: false, error: issue(code, context.verb, range, message, fix) };
}

export function warn(
  context: VerbContext,
  code: SyntaxErrorCode,
  range: ColumnRange,
  message: string,
  fix: string,
): void {
  context.warnings.push(issue(code, context.verb, range, message, fix));
}

const EXAMPLE_LIMIT = 60;

/**
 * Shortens a learner's text for quoting in a message, so a 100 KB line does not become a
 * 100 KB hint.
 */
export function quote(text: string): string {
  return text.length <= EXAMPLE_LIMIT ? text : `${text.slice(0, EXAMPLE_LIMIT)}…`;
}
