/**
 * Completions that know where the conversation stands: only the commands a server would
 * accept now (per the session model's prediction), the parameters the server advertised in
 * its EHLO reply, the SASL mechanisms it offers, and the addresses already used.
 */
import { parseCommand, VERB_INFO, VERBS, type Verb } from '../../../protocol/commands/index.ts';
import { EXTENSION_INFO } from '../../../protocol/replies/index.ts';
import { predictCommand, type SessionSnapshot } from '../../../protocol/session/index.ts';
import type { InputMode } from './input-mode.ts';

export type CompletionKind = 'command' | 'parameter' | 'address' | 'mechanism' | 'header';

export interface Completion {
  readonly label: string;
  /** Text to insert; `${1:…}` placeholders when `snippet` is true. */
  readonly insertText: string;
  readonly snippet: boolean;
  readonly kind: CompletionKind;
  /** A short note beside the label. */
  readonly detail: string;
  /** The longer explanation (markdown). */
  readonly documentation: string;
}

export interface CompletionResult {
  /** Column range [start, end) of the text the completion replaces. */
  readonly start: number;
  readonly end: number;
  readonly items: readonly Completion[];
}

/** How each verb is inserted: the fixed part, then a placeholder for what the learner supplies. */
const VERB_SNIPPETS: Readonly<Record<Exclude<Verb, 'RCPT'>, string>> = {
  EHLO: 'EHLO ${1:client.example.com}',
  HELO: 'HELO ${1:client.example.com}',
  MAIL: 'MAIL FROM:<${1:you@example.com}>',
  DATA: 'DATA',
  RSET: 'RSET',
  NOOP: 'NOOP',
  QUIT: 'QUIT',
  VRFY: 'VRFY ${1:user}',
  EXPN: 'EXPN ${1:list}',
  HELP: 'HELP',
  AUTH: 'AUTH ${1:PLAIN}',
  STARTTLS: 'STARTTLS',
  BDAT: 'BDAT ${1:100} LAST',
};

/** The snippet for `verb`; RCPT suggests a recipient the session's server accepts (Postfix refuses example.org). */
function snippetFor(verb: Verb, snapshot: SessionSnapshot): string {
  if (verb !== 'RCPT') return VERB_SNIPPETS[verb];
  return `RCPT TO:<\${1:${snapshot.context.recipients[0]}}>`;
}

/** A valid line per verb to ask the model about (AUTH uses an advertised mechanism). */
function probeLine(verb: Verb, mechanism: string): string {
  if (verb === 'AUTH') return `AUTH ${mechanism}`;
  return VERB_INFO[verb].example;
}

const HEADERS = ['From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type'];

/** Completions for `line` with the cursor at `column` (0-based). */
export function completionsFor(
  line: string,
  column: number,
  mode: InputMode,
  snapshot: SessionSnapshot,
  usedAddresses: readonly string[],
): CompletionResult {
  const before = line.slice(0, column);
  if (mode === 'data') return headerCompletions(before, snapshot);
  if (mode !== 'command') return { start: column, end: column, items: [] };

  const verbMatch = /^([A-Za-z]*)$/.exec(before);
  if (verbMatch) return { start: 0, end: wordEnd(line, 0), items: commandCompletions(snapshot) };

  const addressMatch = /^(MAIL\s+FROM:|RCPT\s+TO:)\s*<([^>\s]*)$/i.exec(before);
  if (addressMatch) {
    const start = column - (addressMatch[2] ?? '').length;
    const end = line.indexOf('>', start) === -1 ? wordEnd(line, start) : line.indexOf('>', start);
    return { start, end, items: usedAddresses.map(addressItem) };
  }

  const authMatch = /^AUTH\s+([A-Za-z0-9-]*)$/i.exec(before);
  if (authMatch) {
    const start = column - (authMatch[1] ?? '').length;
    return { start, end: wordEnd(line, start), items: mechanismItems(snapshot) };
  }

  const paramMatch = /^(MAIL|RCPT)\s+(?:FROM|TO):\s*<[^>]*>(?:\s+\S+)*\s+([A-Za-z0-9=-]*)$/i.exec(before);
  if (paramMatch) {
    const start = column - (paramMatch[2] ?? '').length;
    const verb = (paramMatch[1] ?? '').toUpperCase() as 'MAIL' | 'RCPT';
    return { start, end: wordEnd(line, start), items: parameterItems(verb, snapshot, line) };
  }
  return { start: column, end: column, items: [] };
}

function commandCompletions(snapshot: SessionSnapshot): Completion[] {
  const mechanism = advertisedMechanisms(snapshot)[0] ?? 'PLAIN';
  return VERBS.filter((verb) => predictCommand(snapshot, parseCommand(probeLine(verb, mechanism))).outcome !== 'reject').map((verb) => {
    const info = VERB_INFO[verb];
    const snippet = snippetFor(verb, snapshot);
    return {
      label: verb,
      insertText: snippet,
      snippet: snippet.includes('$'),
      kind: 'command',
      detail: info.rfc,
      documentation: `${info.summary}\n\n\`${info.syntax}\``,
    };
  });
}

function addressItem(address: string): Completion {
  return { label: address, insertText: address, snippet: false, kind: 'address', detail: 'used earlier', documentation: 'An address already used in this session.' };
}

function advertisedMechanisms(snapshot: SessionSnapshot): readonly string[] {
  return snapshot.context.extensions?.['AUTH'] ?? [];
}

function mechanismItems(snapshot: SessionSnapshot): Completion[] {
  return advertisedMechanisms(snapshot).map((mechanism) => ({
    label: mechanism,
    insertText: mechanism,
    snippet: false,
    kind: 'mechanism',
    detail: 'offered by the server',
    documentation:
      mechanism.toUpperCase() === 'PLAIN'
        ? 'PLAIN sends "\\0user\\0password" in base64, on the AUTH line or after the 334 (RFC 4616). Use the credentials helper to encode it.'
        : mechanism.toUpperCase() === 'LOGIN'
          ? 'LOGIN asks for the user name, then the password, each in base64 after a 334.'
          : `A SASL mechanism the server advertised in its EHLO reply (RFC 4954).`,
  }));
}

/** MAIL and RCPT parameters the server advertised (RFC 1870, 6152, 6531, 3461). */
function parameterItems(verb: 'MAIL' | 'RCPT', snapshot: SessionSnapshot, line: string): Completion[] {
  const extensions = snapshot.context.extensions ?? {};
  const offered = (keyword: string): boolean => keyword in extensions;
  const candidates: { label: string; insert: string; extension: string }[] =
    verb === 'MAIL'
      ? [
          { label: 'SIZE=', insert: 'SIZE=${1:1024}', extension: 'SIZE' },
          { label: 'BODY=8BITMIME', insert: 'BODY=8BITMIME', extension: '8BITMIME' },
          { label: 'SMTPUTF8', insert: 'SMTPUTF8', extension: 'SMTPUTF8' },
          { label: 'AUTH=<>', insert: 'AUTH=<>', extension: 'AUTH' },
          { label: 'RET=HDRS', insert: 'RET=${1|HDRS,FULL|}', extension: 'DSN' },
          { label: 'ENVID=', insert: 'ENVID=${1:id}', extension: 'DSN' },
        ]
      : [
          { label: 'NOTIFY=', insert: 'NOTIFY=${1|SUCCESS\\,FAILURE,NEVER,DELAY|}', extension: 'DSN' },
          { label: 'ORCPT=rfc822;', insert: 'ORCPT=rfc822;${1:address}', extension: 'DSN' },
        ];
  const present = line.toUpperCase();
  return candidates
    .filter((candidate) => offered(candidate.extension) && !present.includes(` ${candidate.label.replace(/=.*$/, '')}`))
    .map((candidate) => {
      const info = EXTENSION_INFO[candidate.extension];
      const limit = candidate.extension === 'SIZE' ? ` The server's limit: ${extensions['SIZE']?.[0] ?? 'none'} bytes.` : '';
      return {
        label: candidate.label,
        insertText: candidate.insert,
        snippet: candidate.insert.includes('$'),
        kind: 'parameter',
        detail: `${candidate.extension} (${info?.rfc ?? 'ESMTP'})`,
        documentation: `The server advertised ${candidate.extension}: ${info?.summary ?? 'an ESMTP extension'}.${limit}`,
      };
    });
}

/** In the message, before the blank line, header names are what comes next. */
function headerCompletions(before: string, snapshot: SessionSnapshot): CompletionResult {
  const draft = snapshot.context.draft;
  const inBody = draft !== null && /\r\n\r\n/.test(draft.body);
  if (inBody || !/^[A-Za-z-]*$/.test(before)) return { start: before.length, end: before.length, items: [] };
  return {
    start: 0,
    end: before.length,
    items: HEADERS.map((name) => ({
      label: `${name}:`,
      insertText: `${name}: `,
      snippet: false,
      kind: 'header',
      detail: 'message header (RFC 5322)',
      documentation: 'Header fields come first; an empty line separates them from the body.',
    })),
  };
}

function wordEnd(line: string, from: number): number {
  const match = /^[^\s>]*/.exec(line.slice(from));
  return from + (match?.[0].length ?? 0);
}

/** Addresses seen in MAIL FROM and RCPT TO lines so far, without duplicates. */
export function usedAddresses(clientLines: readonly string[]): string[] {
  const found = new Set<string>();
  for (const line of clientLines) {
    const match = /^(?:MAIL\s+FROM|RCPT\s+TO):\s*<([^>]+)>/i.exec(line);
    if (match?.[1]) found.add(match[1]);
  }
  return [...found];
}
