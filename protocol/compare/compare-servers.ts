/**
 * "Compare servers": replays the learner's client lines on every personality of the simulator
 * and lines the answers up by client step. A step ends at a line some server answered (or
 * hung up at), so a message that every server reads as data is one step up to its "."; where
 * one server reads the lines as commands, each line is its own step. Bounded: at most
 * MAX_COMPARED_LINES lines are replayed, one command at a time, each reply waited for at
 * most a second (the simulator answers at once).
 */
import type { Reply } from '../replies/types.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName, type SandboxConfig } from '../sandbox-config.ts';
import { PERSONALITY_NAMES } from '../simulator/personalities/index.ts';
import { explainDifference } from './explain-difference.ts';
import { replayOnPersonality, type PersonalityRun } from './replay-on-personality.ts';
import type { CompareCell, CompareRow, Comparison } from './types.ts';

/** More than any lesson or hand-typed conversation; a pasted novel is cut here. */
export const MAX_COMPARED_LINES = 400;

export interface CompareOptions {
  /** The configuration the simulated servers start from (a lesson's); the default sandbox otherwise. */
  readonly config?: SandboxConfig;
  /** The servers to compare, in column order; every personality by default. */
  readonly personalities?: readonly PersonalityName[];
}

export async function compareServers(clientLines: readonly string[], options: CompareOptions = {}): Promise<Comparison> {
  const lines = clientLines.slice(0, MAX_COMPARED_LINES);
  const personalities = options.personalities ?? PERSONALITY_NAMES;
  const config = options.config ?? DEFAULT_SANDBOX_CONFIG;
  const runs = await Promise.all(personalities.map((name) => replayOnPersonality(lines, name, config)));
  return { personalities, rows: alignRows(lines, personalities, runs), linesLeftOut: clientLines.length - lines.length };
}

function replyCell(replies: readonly Reply[], closed: boolean, stored: string | null): CompareCell {
  const last = replies[replies.length - 1] as Reply;
  return { kind: 'reply', code: last.code, enhanced: last.enhanced?.text ?? null, lines: replies.flatMap((reply) => reply.lines), closed, stored };
}

/** The cell of `run` for the step that ends at line `end` (0-based), or for the greeting when `end` is -1. */
function cellAt(run: PersonalityRun, end: number): CompareCell {
  const closedHere = run.closedAfterLines === end + 1;
  if (end < 0) return run.greeting.length > 0 ? replyCell(run.greeting, closedHere, null) : { kind: 'no-reply', closed: closedHere };
  const outcome = run.lines[end];
  if (outcome === undefined || !outcome.sent) return { kind: 'connection-closed' };
  if (outcome.replies.length > 0) return replyCell(outcome.replies, closedHere, outcome.stored);
  return { kind: 'no-reply', closed: closedHere };
}

/** What decides whether two servers answered alike: the code and whether it hung up, not the words. */
function signature(cell: CompareCell): string | null {
  if (cell.kind === 'connection-closed') return null;
  const closed = cell.closed ? ' then closed' : '';
  return cell.kind === 'reply' ? `${cell.code}${closed}` : `no reply${closed}`;
}

function differs(cells: readonly CompareCell[]): boolean {
  const open = cells.flatMap((cell) => signature(cell) ?? []);
  if (open.length < 2) return false;
  if (new Set(open).size > 1) return true;
  const stored = cells.flatMap((cell) => (cell.kind === 'reply' && cell.stored !== null ? [cell.stored] : []));
  return new Set(stored).size > 1;
}

function alignRows(lines: readonly string[], personalities: readonly PersonalityName[], runs: readonly PersonalityRun[]): CompareRow[] {
  const rows: CompareRow[] = [];
  const cellsFor = (end: number) => runs.map((run) => cellAt(run, end));
  const record = (start: number, end: number, afterRefusedData: boolean): void => {
    const cells = cellsFor(end);
    const stepLines = end < 0 ? [] : lines.slice(start, end + 1);
    const different = differs(cells);
    const explanation = different
      ? explainDifference({ line: stepLines[stepLines.length - 1] ?? '', lines: stepLines, earlierLines: lines.slice(0, Math.max(start, 0)), afterRefusedData, cells }, personalities)
      : null;
    rows.push({
      step: rows.length,
      lines: stepLines,
      cells: Object.fromEntries(personalities.map((name, index) => [name, cells[index]])) as Record<PersonalityName, CompareCell>,
      differs: different,
      explanation,
    });
  };

  record(-1, -1, false);
  let start = 0;
  let afterRefusedData = false;
  for (let index = 0; index < lines.length; index++) {
    // Once every server has hung up, nothing more was sent anywhere.
    if (runs.every((run) => !(run.lines[index]?.sent ?? false))) break;
    const answered = runs.some((run) => (run.lines[index]?.replies.length ?? 0) > 0 || run.closedAfterLines === index + 1);
    if (!answered && index < lines.length - 1) continue;
    record(start, index, afterRefusedData);
    const line = lines[index] ?? '';
    const cells = cellsFor(index);
    if (/^\s*DATA\s*$/i.test(line)) afterRefusedData = cells.some((cell) => cell.kind === 'reply' && cell.code !== 354);
    else if (line === '.' || /^\s*(RSET|MAIL)\b/i.test(line)) afterRefusedData = false;
    start = index + 1;
  }
  return rows;
}
