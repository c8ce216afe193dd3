/** Checks that apply to every command line before and after its verb's grammar. */
import { DEFAULT_SANDBOX_CONFIG } from '../sandbox-config.ts';
import { findForbiddenCharacter, indexBeyondOctets, utf8Length } from './characters.ts';
import { issue, span } from './issue.ts';
import type { CommandSyntaxError, Verb } from './types.ts';

/** RFC 5321 §4.5.3.1.4: 512 octets per command line, CRLF included. */
const MAX_COMMAND_TEXT_OCTETS = 510;

const CONTROL_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL', 0x08: 'backspace', 0x09: 'tab', 0x0a: 'line feed (LF)', 0x0d: 'carriage return (CR)',
  0x1b: 'escape', 0x7f: 'DEL',
};

/** The error for the first control character or lone surrogate in the line, or null. */
export function forbiddenCharacterError(line: string, verb: Verb | null): CommandSyntaxError | null {
  const found = findForbiddenCharacter(line);
  if (!found) return null;
  const range = span(found.index, found.index + 1);
  if (found.kind === 'lone-surrogate') {
    return issue('invalid-character', verb, range, 'This character is half of a UTF-16 surrogate pair on its own: it cannot be sent as UTF-8.', 'Remove it, or retype the line if you pasted it.');
  }
  const code = line.charCodeAt(found.index);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CONTROL_NAMES[code];
  const what = name ? `a ${name} (${hex})` : `the control character ${hex}`;
  const why = code === 0x09
    ? 'SMTP separates words with single spaces, and smtp-server refuses control characters.'
    : 'Commands are printable text; smtp-server refuses control characters, and a CR or LF would end the line early.';
  return issue('control-character', verb, range, `This line contains ${what}. ${why}`, code === 0x09 ? 'Use a space instead of the tab.' : 'Remove it, or retype the line if you pasted it.');
}

/** A warning when the line is longer than RFC 5321 allows (or than the sandbox accepts). */
export function lineLengthWarning(line: string, verb: Verb): CommandSyntaxError | null {
  // Only count octets when the line could exceed the limit (at most 3 octets per code unit).
  if (line.length * 3 <= MAX_COMMAND_TEXT_OCTETS) return null;
  const beyond = indexBeyondOctets(line, MAX_COMMAND_TEXT_OCTETS);
  if (beyond === -1) return null;
  const octets = utf8Length(line);
  const sandboxLimit = DEFAULT_SANDBOX_CONFIG.maxLineLength;
  const sandbox = octets > sandboxLimit
    ? `The sandbox's smtp-server refuses lines over ${sandboxLimit} octets with 421 and closes the connection.`
    : `This sandbox accepts up to ${sandboxLimit} octets, but other servers may refuse it with 500.`;
  const auth = verb === 'AUTH'
    ? ' RFC 4954 §4 keeps AUTH under this limit too: if the initial response makes the line too long, send AUTH without it and send the response on its own line after the 334 reply.'
    : '';
  return issue(
    'line-too-long',
    verb,
    span(beyond, line.length),
    `This line is ${octets} octets long. RFC 5321 §4.5.3.1.4 limits a command line to 512 octets including the CRLF, so 510 of text.${auth} ${sandbox}`,
    verb === 'AUTH' ? 'Write just `AUTH PLAIN` and send the base64 response on the next line.' : 'Shorten the line.',
  );
}
