/** The shape every primitive returns, and the count helper several of them share. */
import type { CountSpec } from '../goal-types.ts';

/** A primitive's answer: passed or not, the requirement in words, and what is missing. */
export interface Verdict {
  readonly passed: boolean;
  /** The requirement, as a sentence without a final period: "The server accepts a message". */
  readonly label: string;
  /** What is missing, lower-case, for "Not yet: …": "the server has not accepted a message". */
  readonly notYet: string;
}

/** True when `value` satisfies the count (an exact number or bounds). */
export function countMatches(value: number, spec: CountSpec): boolean {
  if (typeof spec === 'number') return value === spec;
  return (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
}

/** "2 recipients", "at least 2 messages", "1 to 3 recipients". */
export function describeCount(spec: CountSpec, singular: string, plural: string): string {
  const noun = (n: number): string => (n === 1 ? singular : plural);
  if (typeof spec === 'number') return `${spec} ${noun(spec)}`;
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) return min === max ? `${min} ${noun(min)}` : `${min} to ${max} ${plural}`;
  if (min !== undefined) return `at least ${min} ${noun(min)}`;
  return `at most ${max ?? 0} ${noun(max ?? 0)}`;
}

/** "The server…" → "the server…", for use inside a sentence; "EHLO…" stays as it is. */
export function lowerFirst(text: string): string {
  return /^[A-Z](?=[a-z\s])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
