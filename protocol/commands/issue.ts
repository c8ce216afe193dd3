/**
 * Shared building blocks of the per-verb parsers: issues, ranges and the parse context. An
 * issue names its code, the code's message variant and the values to quote; its words come
 * from GRAMMAR_MESSAGES.
 */
import { GRAMMAR_MESSAGES, type GrammarParams, type GrammarTemplate, type GrammarVariant } from './grammar-messages.ts';
import { fillTemplate, type TemplateValue } from './grammar-template.ts';
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

/** The parameters argument of a message: left out when the message quotes nothing. */
export type ParamsArgument<Code extends SyntaxErrorCode, Variant extends GrammarVariant<Code>> =
  keyof GrammarParams<Code, Variant> extends never ? [] : [params: GrammarParams<Code, Variant>];

/** The table seen entry by entry: each code's variants each hold a template. */
const MESSAGES: { readonly [Code in SyntaxErrorCode]: { readonly [Variant in GrammarVariant<Code>]: GrammarTemplate } } = GRAMMAR_MESSAGES;

/** A syntax error or warning: the code, which of its messages, where, and the values it quotes. */
export function issue<Code extends SyntaxErrorCode, Variant extends GrammarVariant<Code>>(
  code: Code,
  variant: Variant,
  verb: Verb | null,
  range: ColumnRange,
  ...[params]: ParamsArgument<Code, Variant>
): CommandSyntaxError {
  const template: GrammarTemplate = MESSAGES[code][variant];
  const values: Readonly<Record<string, TemplateValue>> = params ?? {};
  return {
    code,
    variant,
    verb,
    range,
    params: values,
    message: fillTemplate(template.message, values),
    fix: fillTemplate(template.fix, values),
  };
}

export function fail<Code extends SyntaxErrorCode, Variant extends GrammarVariant<Code>>(
  context: VerbContext,
  code: Code,
  variant: Variant,
  range: ColumnRange,
  ...params: ParamsArgument<Code, Variant>
): VerbParseResult {
  return { ok: false, error: issue(code, variant, context.verb, range, ...params) };
}

export function warn<Code extends SyntaxErrorCode, Variant extends GrammarVariant<Code>>(
  context: VerbContext,
  code: Code,
  variant: Variant,
  range: ColumnRange,
  ...params: ParamsArgument<Code, Variant>
): void {
  context.warnings.push(issue(code, variant, context.verb, range, ...params));
}

const EXAMPLE_LIMIT = 60;

/**
 * Shortens a learner's text for quoting in a message, so a 100 KB line does not become a
 * 100 KB hint.
 */
export function quote(text: string): string {
  return text.length <= EXAMPLE_LIMIT ? text : `${text.slice(0, EXAMPLE_LIMIT)}…`;
}
