/**
 * Reads the `smtp-lab replay` script format: one client line per script line, exactly as it
 * goes on the wire (message data already dot-stuffed by the author).
 *
 * - `#` at the start of a line makes it a comment; blank lines are skipped.
 * - `<empty>` sends an empty line (a blank script line is skipped, so this is how a message
 *   writes the empty line between its header and body).
 * - `+ TEXT` sends TEXT in the same write as the line before it (RFC 2920 pipelining).
 *   In message data (always sent as one write anyway) it is the escape for a line that would
 *   otherwise be skipped: `+ # not a comment` sends `# not a comment`, `+ ` plus spaces sends
 *   the spaces. `+ <empty>` sends an empty line.
 */
import type { ScriptLine, ScriptParseResult } from './types.ts';

const EMPTY_MARKER = '<empty>';
const PIPELINE_PREFIX = '+ ';

/** Parses script text (CRLF or LF line ends) into the lines to send, or the first error. */
export function parseScript(text: string): ScriptParseResult {
  const lines: ScriptLine[] = [];
  const sourceLines = text.split(/\r?\n/);
  for (let index = 0; index < sourceLines.length; index++) {
    const source = sourceLines[index] ?? '';
    const sourceLine = index + 1;
    if (source.trim() === '' || source.startsWith('#')) continue;
    const pipelined = source.startsWith(PIPELINE_PREFIX);
    if (pipelined && lines.length === 0) {
      return {
        ok: false,
        sourceLine,
        message: 'a "+ " line is sent together with the line before it, but there is no line before it',
      };
    }
    const body = pipelined ? source.slice(PIPELINE_PREFIX.length) : source;
    lines.push({ text: body === EMPTY_MARKER ? '' : body, pipelined, sourceLine });
  }
  return { ok: true, lines };
}
