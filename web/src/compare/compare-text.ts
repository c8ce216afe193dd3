/** The words "Compare servers" shows for a cell and a verdict, kept out of the component so they are tested alone. */
import type { CompareCell, RequirementVerdict } from '../../../protocol/compare/types.ts';

/** What a cell says: the reply's lines, or why there is none. */
export function cellLines(cell: CompareCell): readonly string[] {
  if (cell.kind === 'reply') return cell.lines;
  if (cell.kind === 'connection-closed') return ['connection closed'];
  return ['no reply'];
}

/** The note under a cell: the server hung up after it. */
export function closedNote(cell: CompareCell): string | null {
  return cell.kind !== 'connection-closed' && cell.closed ? 'then closed the connection' : null;
}

export const VERDICT_TEXT: Readonly<Record<Exclude<RequirementVerdict, 'not-applicable'>, string>> = {
  meets: 'Meets it',
  departs: 'Departs from it',
};
