/** The replacement line a syntax error's `fix` proposes, when it proposes a whole line. */
import { parseCommand, type CommandSyntaxError } from '../../../protocol/commands/index.ts';

/** Fixes that name a whole corrected line: "Write it as `…`", "Write just `…`", "Start with `…`". */
const WHOLE_LINE_FIX = /^(?:Write it as|Write just|Start with) `([^`]+)`/;

/**
 * The corrected line, or null when the fix is advice rather than a line (or only an example
 * that would replace the learner's own data, like sample credentials).
 */
export function quickFixLine(issue: CommandSyntaxError, line: string): string | null {
  if (issue.code === 'invalid-base64') return null;
  const example = WHOLE_LINE_FIX.exec(issue.fix)?.[1];
  if (example === undefined || example === line) return null;
  return parseCommand(example).ok ? example : null;
}
