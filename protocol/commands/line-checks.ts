/** Checks that apply to every command line before and after its verb's grammar. */
import { DEFAULT_SANDBOX_CONFIG } from '../sandbox-config.ts';
import { findForbiddenCharacter, indexBeyondOctets, utf8Length } from './characters.ts';
import { CONTROL_CHARACTER_NAMES } from './grammar-messages.ts';
import { issue, span } from './issue.ts';
import type { CommandSyntaxError, Verb } from './types.ts';

/** RFC 5321 §4.5.3.1.4: 512 octets per command line, CRLF included. */
const MAX_COMMAND_TEXT_OCTETS = 510;

/** The error for the first control character or lone surrogate in the line, or null. */
export function forbiddenCharacterError(line: string, verb: Verb | null): CommandSyntaxError | null {
  const found = findForbiddenCharacter(line);
  if (!found) return null;
  const range = span(found.index, found.index + 1);
  if (found.kind === 'lone-surrogate') {
    return issue('invalid-character', 'lone-surrogate', verb, range);
  }
  const code = line.charCodeAt(found.index);
  if (code === 0x09) return issue('control-character', 'tab', verb, range);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CONTROL_CHARACTER_NAMES[code];
  return name
    ? issue('control-character', 'named', verb, range, { name, hex })
    : issue('control-character', 'unnamed', verb, range, { hex });
}

/** A warning when the line is longer than RFC 5321 allows (or than the sandbox accepts). */
export function lineLengthWarning(line: string, verb: Verb): CommandSyntaxError | null {
  // Only count octets when the line could exceed the limit (at most 3 octets per code unit).
  if (line.length * 3 <= MAX_COMMAND_TEXT_OCTETS) return null;
  const beyond = indexBeyondOctets(line, MAX_COMMAND_TEXT_OCTETS);
  if (beyond === -1) return null;
  const octets = utf8Length(line);
  const limit = DEFAULT_SANDBOX_CONFIG.maxLineLength;
  const beyondSandbox = octets > limit;
  const variant = verb === 'AUTH'
    ? beyondSandbox ? 'auth-beyond-sandbox' : 'auth-within-sandbox'
    : beyondSandbox ? 'beyond-sandbox' : 'within-sandbox';
  return issue('line-too-long', variant, verb, span(beyond, line.length), { octets, limit });
}
