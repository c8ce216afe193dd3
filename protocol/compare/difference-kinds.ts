/**
 * Why servers answered one step differently, and what the RFC asks there: a table keyed by the
 * kind of difference, each entry with its RFC section, the requirement at the RFC's own level
 * (MUST, SHOULD, MAY), and a rule that judges each server's reply against it. The table is
 * tried in order; a step no entry matches gets the generic explanation, which judges nobody.
 */
import type { CompareCell } from './types.ts';

/** What an entry looks at: the step's last line, the lines before the step, the answers. */
export interface DifferenceContext {
  /** The step's last client line (the one the replies answer). */
  readonly line: string;
  /** Every client line of the step. */
  readonly lines: readonly string[];
  /** The client lines sent before this step. */
  readonly earlierLines: readonly string[];
  /** True when an earlier DATA was refused by at least one server and no message was sent since. */
  readonly afterRefusedData: boolean;
  readonly cells: readonly CompareCell[];
}

/** How one reply stands against the entry's requirement; null when the entry does not judge it. */
type Judge = (cell: Extract<CompareCell, { kind: 'reply' }>, context: DifferenceContext) => 'meets' | 'departs' | null;

export interface DifferenceKind {
  readonly kind: string;
  readonly title: string;
  readonly rfc: string;
  readonly requirement: string;
  matches(context: DifferenceContext): boolean;
  judge: Judge;
}

const verbOf = (line: string): string => /^\s*([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase() ?? '';
const argumentOf = (line: string): string => line.replace(/^\s*[A-Za-z]+/, '').trim();
const isPositive = (code: number): boolean => code >= 200 && code < 400;
const codeIn = (codes: readonly number[]) => (cell: { code: number }) => (codes.includes(cell.code) ? 'meets' : null);
/** The address command's path, from after "FROM"/"TO" (colon included) to the end of the line. */
const pathOf = (line: string): string => /^\s*(?:MAIL\s+FROM|RCPT\s+TO)(\s*:.*)$/i.exec(line)?.[1] ?? '';
const isAddressCommand = (line: string): boolean => /^\s*(?:MAIL\s+FROM|RCPT\s+TO)\s*:/i.test(line);
/** The text inside the first <…>, or null. */
const bracketed = (line: string): string | null => /<([^>]*)>/.exec(line)?.[1] ?? null;
/** Parameter keywords RFC 5321 and the extensions the lab servers know define for MAIL/RCPT. */
const KNOWN_PARAMETERS = new Set(['SIZE', 'BODY', 'SMTPUTF8', 'RET', 'ENVID', 'NOTIFY', 'ORCPT', 'AUTH', 'REQUIRETLS']);
/** What RFC 5321 §4.3.2 lists as replies to RCPT (plus the syntax errors and 421 any command may get). */
const RCPT_REPLIES = [250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555, 500, 501, 421];
/** A refusal of the line's syntax or of the address (not of its place in the conversation, 503). */
const refusesSyntax = (cell: { code: number }): boolean => cell.code === 501 || cell.code === 553;
const strictMeets: Judge = (cell) => (refusesSyntax(cell) ? 'meets' : isPositive(cell.code) ? 'departs' : null);

/** The RFC's transparency rule (RFC 5321 §4.5.2) applied to a message's lines: the text a server should store. */
export function unstuffedMessage(lines: readonly string[]): string {
  return lines.map((line) => `${line.startsWith('.') ? line.slice(1) : line}\r\n`).join('');
}

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  {
    kind: 'mail-before-hello',
    title: 'MAIL before EHLO or HELO',
    rfc: 'RFC 5321 §4.1.4',
    requirement:
      'A session that will contain mail transactions MUST first be initialised with EHLO (or HELO): the duty is the client\'s. The RFC does not require the server to enforce it, so refusing MAIL with 503 "bad sequence of commands" and accepting it are both allowed; the client that skipped EHLO is the one out of line.',
    matches: ({ line, earlierLines }) => verbOf(line) === 'MAIL' && !earlierLines.some((earlier) => /^\s*(EHLO|HELO)\b/i.test(earlier)),
    judge: (cell) => (isPositive(cell.code) || cell.code === 503 ? 'meets' : null),
  },
  {
    kind: 'command-with-argument',
    title: 'A command that takes no argument, given one',
    rfc: 'RFC 5321 §4.1.1.4 (DATA), §4.1.1.5 (RSET)',
    requirement:
      'The grammar is "DATA" CRLF and "RSET" CRLF: anything after the verb is a syntax error, which 501 "syntax error in parameters or arguments" reports. A server that ignores the extra words is lenient: it departs from the grammar, and a client cannot count on that leniency.',
    matches: ({ line }) => /^\s*(DATA|RSET)\s+\S/i.test(line),
    judge: (cell) => (cell.code === 501 ? 'meets' : isPositive(cell.code) ? 'departs' : null),
  },
  {
    kind: 'data-without-recipients',
    title: 'DATA with no valid recipient',
    rfc: 'RFC 5321 §3.3',
    requirement:
      'If there was no MAIL, or no RCPT, or all of them were refused, the server MAY answer DATA with 503 "command out of sequence" or with 554 "no valid recipients": either meets the RFC. Both mean: do not send the message.',
    matches: ({ line, cells }) =>
      verbOf(line) === 'DATA' && argumentOf(line) === '' && cells.some((cell) => cell.kind === 'reply' && (cell.code === 503 || cell.code === 554)),
    judge: codeIn([503, 554]),
  },
  {
    kind: 'unknown-parameter',
    title: 'An unknown MAIL or RCPT parameter',
    rfc: 'RFC 5321 §4.1.1.11',
    requirement:
      'When a server does not recognise or cannot implement a parameter of MAIL FROM or RCPT TO, the RFC says it returns 555 "MAIL FROM/RCPT TO parameters not recognized or not implemented". 501 (syntax error in parameters) is a less precise refusal; accepting a parameter it does not know, and ignoring it, departs from the rule.',
    matches: ({ line }) => {
      if (!isAddressCommand(line)) return false;
      const parameters = line.slice(line.indexOf('>') + 1).trim();
      return line.includes('>') && parameters.split(/\s+/).some((word) => word !== '' && !KNOWN_PARAMETERS.has(word.split('=')[0]?.toUpperCase() ?? ''));
    },
    judge: (cell) => (cell.code === 555 ? 'meets' : cell.code === 501 || isPositive(cell.code) ? 'departs' : null),
  },
  {
    kind: 'space-around-colon',
    title: 'A space before or after the colon',
    rfc: 'RFC 5321 §3.3',
    requirement:
      'The RFC singles this out because it is a common source of errors: spaces are not permitted on either side of the colon after FROM in MAIL or TO in RCPT; the syntax is exactly "MAIL FROM:<path>". Refusing it follows the RFC; accepting it is lenient, and a client cannot count on it.',
    matches: ({ line }) => isAddressCommand(line) && /^\s*:\s|^\s+:/.test(pathOf(line)),
    judge: strictMeets,
  },
  {
    kind: 'source-route',
    title: 'A source route (<@relay:user@domain>)',
    rfc: 'RFC 5321 §3.3, §4.1.1.3 and Appendix C',
    requirement:
      'Source routes are obsolete, but servers MUST still accept their syntax; they SHOULD ignore the route (using only the mailbox after the colon) and MAY decline the relaying it implies. Accepting meets the RFC; refusing it as a syntax error departs from it.',
    matches: ({ line }) => isAddressCommand(line) && /^\s*@[^:]*:/.test(bracketed(line) ?? ''),
    judge: (cell) => (isPositive(cell.code) ? 'meets' : cell.code === 501 ? 'departs' : null),
  },
  {
    kind: 'quoted-local-part',
    title: 'A quoted local part ("john smith"@example.com)',
    rfc: 'RFC 5321 §4.1.2',
    requirement:
      'A local part may be a Dot-string or a Quoted-string, so a quoted local part is valid syntax (the RFC only advises sites not to create mailboxes that need one). Accepting it meets the grammar; refusing it as a syntax error departs from it.',
    matches: ({ line }) => isAddressCommand(line) && /"[^"]*"@/.test(bracketed(line) ?? ''),
    judge: (cell) => (isPositive(cell.code) ? 'meets' : cell.code === 501 || cell.code === 553 ? 'departs' : null),
  },
  {
    kind: 'trailing-dot',
    title: 'A domain ending in a dot (user@example.com.)',
    rfc: 'RFC 5321 §4.1.2',
    requirement:
      'In SMTP a Domain is sub-domains joined by dots, with no final dot (the trailing dot of DNS zone files is not allowed here). Refusing it follows the grammar; accepting it is lenient.',
    matches: ({ line }) => isAddressCommand(line) && /\.\s*$/.test(bracketed(line) ?? ''),
    judge: strictMeets,
  },
  {
    kind: 'space-in-path',
    title: 'Spaces inside the angle brackets',
    rfc: 'RFC 5321 §4.1.2',
    requirement:
      'A Path is "<" [source route ":"] Mailbox ">" with no spaces anywhere inside the brackets (outside a quoted local part). Refusing it follows the grammar; accepting it is lenient.',
    matches: ({ line }) => isAddressCommand(line) && /\s/.test((bracketed(line) ?? '').replace(/"[^"]*"/g, '')),
    judge: strictMeets,
  },
  {
    kind: 'help',
    title: 'HELP',
    rfc: 'RFC 5321 §4.1.1.8',
    requirement:
      'Servers SHOULD support HELP without an argument (answering 211 or 214) and MAY support it with one. A server that answers 500 or 502 is allowed to, but departs from the SHOULD.',
    matches: ({ line }) => verbOf(line) === 'HELP',
    judge: (cell, { line }) =>
      cell.code === 211 || cell.code === 214 ? 'meets' : argumentOf(line) === '' && (cell.code === 500 || cell.code === 502) ? 'departs' : null,
  },
  {
    kind: 'vrfy',
    title: 'VRFY',
    rfc: 'RFC 5321 §3.5.3, §4.5.1, §7.3',
    requirement:
      'VRFY is in the minimum every server implements (§4.5.1). A server MUST NOT answer 250 unless it really verified the address; one that will not verify (a site may turn VRFY off for privacy) MUST answer 252, never a code that looks like a verdict. 550 says the address is unknown.',
    matches: ({ line }) => verbOf(line) === 'VRFY',
    judge: (cell) => ([250, 251, 252, 550, 551, 553].includes(cell.code) ? 'meets' : cell.code === 502 ? 'departs' : null),
  },
  {
    kind: 'etrn',
    title: 'ETRN',
    rfc: 'RFC 1985, RFC 5321 §4.2.4',
    requirement:
      'ETRN is an extension (RFC 1985): a server that offers it answers 250–253, or 458/459 when it will not start a queue run for that node; one that does not implement it answers like any unknown command (500 or 502). All of these meet the RFCs.',
    matches: ({ line }) => verbOf(line) === 'ETRN',
    judge: codeIn([250, 251, 252, 253, 458, 459, 500, 501, 502]),
  },
  {
    kind: 'bdat',
    title: 'BDAT (CHUNKING)',
    rfc: 'RFC 3030 §2, §4',
    requirement:
      'A client may send BDAT only to a server that lists CHUNKING in its EHLO reply; a server without it answers like any unknown command, and then reads the chunk\'s lines as commands. After BDAT n the server reads exactly n octets before it answers.',
    matches: ({ line, lines }) => verbOf(lines[0] ?? line) === 'BDAT',
    judge: codeIn([250, 500, 501, 502, 503, 552, 554]),
  },
  {
    kind: 'auth',
    title: 'AUTH',
    rfc: 'RFC 4954 §3, §4',
    requirement:
      'A server that offers authentication lists AUTH and its mechanisms in the EHLO reply; a client uses AUTH only when it is listed. A server without it refuses the command, and that is its choice: both meet the RFC.',
    matches: ({ line }) => verbOf(line) === 'AUTH',
    judge: (cell) => (cell.code !== 421 ? 'meets' : null),
  },
  {
    kind: 'unknown-command-limit',
    title: 'One unknown command too many',
    rfc: 'RFC 5321 §4.1.1.10, §4.2.4, §7.8',
    requirement:
      'An unrecognised command gets 500 and the conversation goes on; a server MUST NOT close on its own before QUIT (§4.1.1.10), but §7.8 lets it defend itself against a client that floods it with errors, saying 421 before it closes. Answering 500 and going on meets the RFC, and so does closing with 421; closing with another code departs from it.',
    matches: ({ cells }) => cells.some((cell) => cell.kind === 'reply' && cell.closed && (cell.code === 421 || cell.code === 500)),
    judge: (cell) => (cell.closed ? (cell.code === 421 ? 'meets' : 'departs') : cell.code === 500 || cell.code === 502 ? 'meets' : null),
  },
  {
    kind: 'lines-after-refused-data',
    title: 'Message lines after a refused DATA',
    rfc: 'RFC 5321 §3.3, §4.1.1.10, §7.8',
    requirement:
      'After DATA is refused the client MUST NOT send the message: the server reads each line as a command and answers 500. A server MUST NOT close the connection on its own before QUIT, even after an error (§4.1.1.10); §7.8 lets a server protect itself against abuse, and a server that closes on its own says 421. Answering 500 and carrying on meets the letter; hanging up with 221 departs from it.',
    matches: ({ afterRefusedData, line }) => afterRefusedData && !/^\s*(EHLO|HELO|MAIL|RCPT|DATA|RSET|NOOP|QUIT|VRFY|EXPN|HELP|AUTH|STARTTLS|BDAT|ETRN)\b/i.test(line),
    judge: (cell) => (cell.closed ? (cell.code === 421 ? 'meets' : 'departs') : cell.code >= 500 ? 'meets' : null),
  },
  {
    kind: 'dot-stuffing',
    title: 'A line that starts with a dot',
    rfc: 'RFC 5321 §4.5.2',
    requirement:
      'Transparency: a client doubles a leading dot; the server, when a line starts with a dot and has more on it, deletes that first dot. So ".x" is stored as "x" and "..x" as ".x". A server that removes only the dot of ".." stores ".x" unchanged, and departs from the rule.',
    matches: ({ line, cells }) =>
      line === '.' && new Set(cells.flatMap((cell) => (cell.kind === 'reply' && cell.stored !== null ? [cell.stored] : []))).size > 1,
    judge: (cell, { lines }) => (cell.stored === null ? null : cell.stored === unstuffedMessage(lines.slice(0, -1)) ? 'meets' : 'departs'),
  },
  {
    kind: 'recipient',
    title: 'Which recipients a server takes',
    rfc: 'RFC 5321 §3.3, §4.3.2',
    requirement:
      'Each server decides which recipients it accepts (its own users, its relaying rules) and refuses the rest, most often with 550 (mailbox unavailable), 553 (mailbox name not allowed) or 554; §4.3.2 lists the replies RCPT may get. Accepting and refusing both meet the RFC.',
    matches: ({ line }) => verbOf(line) === 'RCPT',
    judge: codeIn(RCPT_REPLIES),
  },
];

/** When no entry matches: what the reply classes mean, without judging anyone. */
export const GENERIC_DIFFERENCE: Omit<DifferenceKind, 'matches' | 'judge'> = {
  kind: 'generic',
  title: 'The servers answer differently',
  rfc: 'RFC 5321 §4.2.1',
  requirement:
    'The first digit says how the command fared: 2 done, 3 go on (send more), 4 failed for now (try again later), 5 failed for good (do not repeat it unchanged). RFC 5321 leaves many such choices to the server; this difference is not one the lab judges, so read each server\'s text for its reason.',
};
