/**
 * Templates for the grammar's learner-facing words: text with `{name}` placeholders, written
 * as one string or as pieces joined by single spaces (so a long message keeps short lines).
 * The placeholder names are read from the template's literal type, so each message's
 * parameters are typed where the message is written.
 */

export type GrammarText = string | readonly string[];

/** The placeholder names in one piece of text, e.g. "localPart" | "example". */
type NamesIn<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | NamesIn<Rest> : never;

/** The placeholder names in a template, whole or in pieces. */
export type PlaceholdersOf<T extends GrammarText> = T extends readonly string[] ? NamesIn<T[number]> : T extends string ? NamesIn<T> : never;

export type TemplateValue = string | number;

/** The values a template needs, one per placeholder. */
export type TemplateParams<T extends GrammarText> = { readonly [Name in PlaceholdersOf<T>]: TemplateValue };

const PLACEHOLDER = /\{(\w+)\}/;

/**
 * Each template split once into text and placeholder names (names at the odd indexes):
 * errors are common while a learner types, and splitting is most of the cost of writing one.
 * The keys are the tables' own templates, so the map stays as small as the tables.
 */
const SPLIT_TEMPLATES = new Map<GrammarText, readonly string[]>();

function splitTemplate(template: GrammarText): readonly string[] {
  let parts = SPLIT_TEMPLATES.get(template);
  if (parts === undefined) {
    parts = (typeof template === 'string' ? template : template.join(' ')).split(PLACEHOLDER);
    SPLIT_TEMPLATES.set(template, parts);
  }
  return parts;
}

/**
 * The one place grammar words become text: joins the pieces with single spaces and fills
 * each `{name}`. Values are inserted as they are, never read as templates themselves, so a
 * learner's `{x}` stays `{x}`. A placeholder without a value stays visible, for tests to find.
 */
export function fillTemplate(template: GrammarText, params: Readonly<Record<string, TemplateValue>>): string {
  const parts = splitTemplate(template);
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? '';
    text += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + (parts[i + 1] ?? '');
  }
  return text;
}
