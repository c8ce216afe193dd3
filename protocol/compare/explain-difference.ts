/** Picks the explanation of a differing step from the table and judges each server's answer by it. */
import type { PersonalityName } from '../sandbox-config.ts';
import { DIFFERENCE_KINDS, GENERIC_DIFFERENCE, type DifferenceContext } from './difference-kinds.ts';
import type { DifferenceExplanation, RequirementVerdict } from './types.ts';

export function explainDifference(context: DifferenceContext, personalities: readonly PersonalityName[]): DifferenceExplanation {
  const entry = DIFFERENCE_KINDS.find((candidate) => candidate.matches(context));
  const verdicts = Object.fromEntries(
    personalities.map((name, index): [PersonalityName, RequirementVerdict] => {
      const cell = context.cells[index];
      if (entry === undefined || cell === undefined || cell.kind !== 'reply') return [name, 'not-applicable'];
      return [name, entry.judge(cell, context) ?? 'not-applicable'];
    }),
  ) as Record<PersonalityName, RequirementVerdict>;
  const { kind, title, rfc, requirement } = entry ?? GENERIC_DIFFERENCE;
  return { kind, title, rfc, requirement, verdicts };
}
