/**
 * The checklist a learner sees: a lesson result's conditions, one level of combinators
 * unfolded, so "In this order: A, then B" reads as two steps rather than one long sentence.
 */
import type { ConditionResult, LessonResult } from '../../../protocol/lessons/index.ts';

export interface ChecklistItem {
  readonly passed: boolean;
  readonly label: string;
}

export interface Checklist {
  /** True when the items are steps to do in order. */
  readonly ordered: boolean;
  readonly items: readonly ChecklistItem[];
}

/** Combinators whose children only make sense together (either/or, avoid, earlier connection). */
const KEEP_WHOLE = /^(One of:|Avoid this:|In an earlier connection:)/;

/** The checklist for a lesson result. */
export function checklistOf(result: LessonResult): Checklist {
  const ordered = result.conditions.length === 1 && result.conditions[0]?.label.startsWith('In this order:') === true;
  return { ordered, items: result.conditions.flatMap(unfold) };
}

function unfold(condition: ConditionResult): ChecklistItem[] {
  if (condition.children.length < 2 || KEEP_WHOLE.test(condition.label)) return [itemOf(condition)];
  return condition.children.map(itemOf);
}

function itemOf(condition: ConditionResult): ChecklistItem {
  return { passed: condition.passed, label: condition.label };
}
