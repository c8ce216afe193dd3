/**
 * What the command grammar says about a client line, memoized by the line's text.
 *
 * WHY A CACHE: parsing a command and writing its explanation is a good part of the model's
 * cost per command, and the same lines come back again and again (`DATA`, `RSET`, `QUIT`,
 * the same `RCPT TO` in every transaction, and the same lesson lines typed by a whole class).
 * parseCommand and explainCommand are pure functions of the text, so a reading can be shared;
 * it is never changed once built. The cache is bounded (it forgets everything when full) and
 * keeps only well-formed commands other than AUTH, so that no credential outlives its session
 * in it (a refused line may be a password sent ahead of a 334).
 */
import { explainCommand, parseCommand } from '../commands/index.ts';
import type { Command } from '../commands/types.ts';
import type { PendingKind } from './types.ts';

export interface CommandReading {
  /** The typed command, or null when the grammar refused the line. */
  readonly command: Command | null;
  readonly kind: PendingKind;
  /** The command's meaning, or the syntax error and its fix. */
  readonly explanation: string;
}

/** Readings kept at most; plenty for the distinct lines of many concurrent sessions. */
const MAX_READINGS = 2048;
/** Longer lines are read every time (RFC 5321 §4.5.3.1.4 caps command lines at 512 octets). */
const MAX_CACHED_LENGTH = 512;
const readings = new Map<string, CommandReading>();

/** The grammar's reading of a command line. */
export function readCommandLine(text: string): CommandReading {
  const cached = readings.get(text);
  if (cached !== undefined) return cached;
  const reading = read(text);
  if (reading.command !== null && reading.kind !== 'AUTH' && text.length <= MAX_CACHED_LENGTH) {
    if (readings.size >= MAX_READINGS) readings.clear();
    readings.set(text, reading);
  }
  return reading;
}

function read(text: string): CommandReading {
  const parsed = parseCommand(text);
  if (parsed.ok) return { command: parsed.command, kind: parsed.command.verb, explanation: explainCommand(parsed.command) };
  return { command: null, kind: parsed.error.verb ?? 'UNKNOWN', explanation: `${parsed.error.message} ${parsed.error.fix}` };
}
