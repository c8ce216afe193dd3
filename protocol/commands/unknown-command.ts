/**
 * The error for a line whose first word is not a verb we know, with the most useful hint we
 * can give: a typo fix, a missing space, or what the word really is.
 */
import { closestWord } from './did-you-mean.ts';
import { NOT_COMMAND_MESSAGES } from './grammar-messages.ts';
import { issue, quote, span } from './issue.ts';
import { VERBS, type CommandSyntaxError } from './types.ts';

type NotCommandWord = keyof typeof NOT_COMMAND_MESSAGES;

/** Whether the (upper-cased) word is one learners type that the table has a note for. */
function isNotCommandWord(word: string): word is NotCommandWord {
  return Object.hasOwn(NOT_COMMAND_MESSAGES, word);
}

/** Builds the unknown-command error for the first word of the line, `[0, verbEnd)`. */
export function unknownCommand(line: string, verbEnd: number): CommandSyntaxError {
  const word = line.slice(0, verbEnd);
  const upper = word.toUpperCase();
  const range = span(0, verbEnd);
  const rest = line.slice(verbEnd);
  // "FROM:<a@b>" and "From: Alice" both mean the learner skipped MAIL (or RCPT for "TO:").
  const key = upper.startsWith('FROM:') ? 'FROM:' : upper.startsWith('TO:') ? 'TO:' : upper;
  if (isNotCommandWord(key)) {
    const envelopeLine = (key === 'FROM:' || key === 'TO:') && upper.startsWith(`${key}<`);
    if (envelopeLine) {
      const variant = key === 'FROM:' ? 'envelope-from' : 'envelope-to';
      return issue('unknown-command', variant, null, range, { word: quote(word), line: quote(line) });
    }
    return issue('unknown-command', key, null, range, { word: quote(word) });
  }
  for (const [joined, verb, keyword] of [['MAILFROM', 'MAIL', 'FROM'], ['RCPTTO', 'RCPT', 'TO']] as const) {
    if (upper.startsWith(joined)) {
      return issue('unknown-command', 'joined-words', null, range, { verb, keyword, rest: quote(word.slice(joined.length) + rest) });
    }
  }
  const suggestion = closestWord(word, VERBS);
  if (suggestion) {
    return issue('unknown-command', 'did-you-mean', null, range, { word: quote(word), suggestion, rest: quote(rest) });
  }
  return issue('unknown-command', 'not-a-verb', null, range, { word: quote(word), verbs: VERBS.join(', ') });
}
