/**
 * The error for a line whose first word is not a verb we know, with the most useful hint we
 * can give: a typo fix, a missing space, or what the word really is.
 */
import { closestWord } from './did-you-mean.ts';
import { issue, quote, span } from './issue.ts';
import { VERBS, type CommandSyntaxError } from './types.ts';

/** Words learners type that are not SMTP commands, and what to say about each. */
const NOT_COMMANDS: Readonly<Record<string, { readonly message: string; readonly fix: string }>> = {
  LHLO: { message: 'LHLO is the greeting of LMTP (RFC 2033), a cousin of SMTP for final delivery.', fix: 'In SMTP write `EHLO client.example.com`.' },
  ETRN: { message: 'ETRN (RFC 1985) asks a server to flush its queue for a domain; this lab does not cover it.', fix: 'Try `HELP` to see what the server offers.' },
  TURN: { message: 'TURN was part of the original SMTP (RFC 821); RFC 5321 removed it because it was insecure.', fix: 'Try `HELP` to see what the server offers.' },
  SEND: { message: 'SEND was part of the original SMTP (RFC 821) for delivering to terminals; RFC 5321 removed it.', fix: 'To send mail write `MAIL FROM:<alice@example.com>`.' },
  SOML: { message: 'SOML was part of the original SMTP (RFC 821); RFC 5321 removed it.', fix: 'To send mail write `MAIL FROM:<alice@example.com>`.' },
  SAML: { message: 'SAML was part of the original SMTP (RFC 821); RFC 5321 removed it.', fix: 'To send mail write `MAIL FROM:<alice@example.com>`.' },
  XCLIENT: { message: 'XCLIENT is a Postfix extension that only trusted proxies may use.', fix: 'Start with `EHLO client.example.com`.' },
  XFORWARD: { message: 'XFORWARD is a Postfix extension that only trusted proxies may use.', fix: 'Start with `EHLO client.example.com`.' },
  END: { message: 'There is no END command. After DATA (and the server\'s 354 reply) a message ends with a line that holds only a dot.', fix: 'End the message with a line containing just `.`.' },
  '.': { message: 'A line with only a dot ends a message, but only after DATA and its 354 reply. Outside the message it means nothing.', fix: 'Send `DATA` first, then the message, then `.`.' },
  EXIT: { message: 'SMTP says goodbye with QUIT.', fix: 'Write `QUIT`.' },
  BYE: { message: 'SMTP says goodbye with QUIT.', fix: 'Write `QUIT`.' },
  LOGOUT: { message: 'SMTP says goodbye with QUIT.', fix: 'Write `QUIT`.' },
  LOGIN: { message: 'To log in, SMTP uses AUTH with a mechanism name.', fix: 'Write `AUTH LOGIN` or `AUTH PLAIN`.' },
  PLAIN: { message: 'To log in, SMTP uses AUTH with a mechanism name.', fix: 'Write `AUTH PLAIN`.' },
  'FROM:': { message: 'The envelope sender is set with MAIL FROM:<…>. A "From:" header line belongs inside the message, after DATA.', fix: 'Write `MAIL FROM:<alice@example.com>`.' },
  'TO:': { message: 'A recipient is added with RCPT TO:<…>. A "To:" header line belongs inside the message, after DATA.', fix: 'Write `RCPT TO:<bob@example.com>`.' },
  'SUBJECT:': { message: 'Subject: is a header line of the message, not a command. Headers go after DATA and the server\'s 354 reply.', fix: 'Send `DATA` first, then your headers, a blank line and the body.' },
};

/** Builds the unknown-command error for the first word of the line, `[0, verbEnd)`. */
export function unknownCommand(line: string, verbEnd: number): CommandSyntaxError {
  const word = line.slice(0, verbEnd);
  const upper = word.toUpperCase();
  const range = span(0, verbEnd);
  const rest = line.slice(verbEnd);
  // "FROM:<a@b>" and "From: Alice" both mean the learner skipped MAIL (or RCPT for "TO:").
  const key = upper.startsWith('FROM:') ? 'FROM:' : upper.startsWith('TO:') ? 'TO:' : upper;
  const known = Object.hasOwn(NOT_COMMANDS, key) ? NOT_COMMANDS[key] : undefined;
  if (known) {
    const envelopeLine = key === 'FROM:' || key === 'TO:' ? upper.startsWith(`${key}<`) : false;
    const fix = envelopeLine ? `Write it as \`${key === 'FROM:' ? 'MAIL' : 'RCPT'} ${quote(line)}\`.` : known.fix;
    return issue('unknown-command', null, range, `"${quote(word)}" is not an SMTP command. ${known.message}`, fix);
  }
  for (const [joined, verb, keyword] of [['MAILFROM', 'MAIL', 'FROM'], ['RCPTTO', 'RCPT', 'TO']] as const) {
    if (upper.startsWith(joined)) {
      return issue('unknown-command', null, range, `${verb} and ${keyword}: are two words: put a space between them.`, `Write it as \`${verb} ${keyword}${quote(word.slice(joined.length) + rest)}\`.`);
    }
  }
  const suggestion = closestWord(word, VERBS);
  if (suggestion) {
    return issue('unknown-command', null, range, `"${quote(word)}" is not an SMTP command. Did you mean ${suggestion}?`, `Write it as \`${suggestion}${quote(rest)}\`.`);
  }
  return issue('unknown-command', null, range, `"${quote(word)}" is not an SMTP command. A command line starts with one of ${VERBS.join(', ')}.`, 'Start with `EHLO client.example.com`, or type `HELP`.');
}
