/**
 * What the model does with one client line, depending on the server's mode. Every function is
 * pure: it returns an Outcome that the machine's actions apply.
 *
 * WHY LINES ARE SOMETIMES "HELD": the server switches mode when it PROCESSES a command, not when
 * the client sees the reply. After accepting DATA it reads the following bytes as message data,
 * even bytes the client sent before the 354 arrived; after `AUTH PLAIN` (no initial response)
 * it reads the next line as the SASL answer; after STARTTLS it discards plaintext sent before
 * the TLS handshake. So while such a mode-changing command waits for its reply, the model cannot
 * know what the lines behind it are. It holds them as "undetermined" and classifies them when
 * the reply arrives: 354 → message data, 334 → an AUTH answer, 220 to STARTTLS → discarded, a
 * rejection → commands, each then waiting for a reply of its own (see reply-steps.ts).
 */
import { parseAuthResponse } from '../commands/index.ts';
import { readCommandLine } from './command-reading.ts';
import { elidedText, type ElidedLines } from './message-window.ts';
import { clientEntry, recordClientLine, type LineInput, type MutablePatch, type Outcome } from './transcript.ts';
import type { MessageDraft, PendingCommand, PendingKind, SessionContext, SessionEmitted, TranscriptEntry } from './types.ts';
import type { PersonalityName } from '../sandbox-config.ts';
import { dotLineNote, storedBySmtpServer } from './dot-stuffing.ts';
import { classDigit, decodeBase64, plainUser, utf8Bytes } from './wire-text.ts';

/** Shared by the many entries without notes (message lines, mostly); never mutated. */
const NO_NOTES: readonly string[] = Object.freeze([]);
const EMPTY_DRAFT: MessageDraft = Object.freeze({ body: '', bytes: 0, lines: 0 });

const MODE_CHANGING: ReadonlySet<PendingKind> = new Set(['DATA', 'AUTH', 'AUTH-RESPONSE', 'STARTTLS', 'BDAT']);

/** True for commands after which the server may stop reading lines as commands. */
export function isModeChanging(kind: PendingKind): boolean {
  return MODE_CHANGING.has(kind);
}

/** How a pending item is named in notes: "MAIL FROM", "your AUTH answer"… */
export function kindLabel(kind: PendingKind): string {
  switch (kind) {
    case 'MAIL':
      return 'MAIL FROM';
    case 'RCPT':
      return 'RCPT TO';
    case 'AUTH-RESPONSE':
      return 'your AUTH answer';
    case 'END-OF-DATA':
      return 'the end of data (`.`)';
    case 'UNKNOWN':
      return 'an unrecognized line';
    default:
      return kind;
  }
}

function orNoNotes(notes: readonly string[]): readonly string[] {
  return notes.length === 0 ? NO_NOTES : notes;
}

function heldNote(kind: PendingKind): string {
  switch (kind) {
    case 'DATA':
      return 'Sent before the reply to DATA: if the server answers 354, it takes this line as message data; if it refuses DATA, as a command.';
    case 'STARTTLS':
      return 'Sent before the reply to STARTTLS: if the server answers 220, it discards this plaintext line (RFC 3207 §4.2); otherwise it reads it as a command.';
    case 'BDAT':
      return 'Sent after BDAT: if the server takes the chunk, these bytes are part of it (RFC 3030); otherwise it reads them as commands.';
    default:
      return `Sent before the reply to ${kindLabel(kind)}: if the server answers 334, it takes this line as your AUTH answer; otherwise as a command.`;
  }
}

/** Why a line held behind a mode-changing command turned out to be a command. */
export interface HeldSettlement {
  readonly behind: PendingKind;
  readonly code: number;
}

function releasedAsCommandNote(settled: HeldSettlement): string {
  const refused = classDigit(settled.code) === 4 || classDigit(settled.code) === 5;
  return refused
    ? `The server refused ${kindLabel(settled.behind)}, so it read this line, sent before that reply, as a command.`
    : `Sent before the reply to ${kindLabel(settled.behind)}; by the time the server read it, it was reading commands again.`;
}

/**
 * A line in command mode: a new pending command, or held behind a mode-changing one.
 * `lastNote` ends the entry's notes (the early-line warning before the greeting).
 */
export function queueCommandLine(context: SessionContext, line: LineInput, settled: HeldSettlement | null, lastNote: string | null = null): Outcome {
  const emitted: SessionEmitted[] = [];
  const last = context.pending[context.pending.length - 1];
  if (last !== undefined && isModeChanging(last.kind)) {
    const notes = line.heldIndex === null ? [heldNote(last.kind)] : [];
    if (lastNote !== null) notes.push(lastNote);
    const recorded = recordClientLine(context, line, 'undetermined', 'The server has not yet said how it reads this line.', orNoNotes(notes), emitted);
    const held = [...context.held, { text: line.text, transcriptIndex: recorded.index }];
    return { patch: { held, transcriptLength: recorded.transcriptLength }, emitted };
  }
  const reading = readCommandLine(line.text);
  const pipelined = context.pending.length > 0;
  const recorded = recordClientLine(context, line, 'command', reading.explanation, commandNotes(settled, pipelined, lastNote), emitted);
  const pending: PendingCommand = {
    kind: reading.kind,
    command: reading.command,
    text: line.text,
    transcriptIndex: recorded.index,
    pipelined,
  };
  const counts = reading.command !== null ? context.counts : { ...context.counts, syntaxErrors: context.counts.syntaxErrors + 1 };
  return { patch: { pending: [...context.pending, pending], transcriptLength: recorded.transcriptLength, counts }, emitted };
}

const PIPELINED_NOTES: readonly string[] = Object.freeze([
  'Pipelined: sent before the earlier commands were answered (RFC 2920); replies come back in order.',
]);

/** The notes of a command line; shared arrays for the two usual cases (none, or pipelined). */
function commandNotes(settled: HeldSettlement | null, pipelined: boolean, lastNote: string | null): readonly string[] {
  if (settled === null && lastNote === null) return pipelined ? PIPELINED_NOTES : NO_NOTES;
  const notes: string[] = [];
  if (settled !== null) notes.push(releasedAsCommandNote(settled));
  if (pipelined) notes.push(...PIPELINED_NOTES);
  if (lastNote !== null) notes.push(lastNote);
  return notes;
}

const DATA_LINE_EXPLANATION = 'Message data: the server stores this line as part of the message.';
const END_OF_DATA_EXPLANATION =
  'A line holding only `.` ends the message (RFC 5321 §4.1.1.4). The server now accepts or refuses the whole message.';

/**
 * A CR not followed by LF inside a line: RFC 5321 §2.3.8 forbids it, and servers differ in
 * what they make of it (a line end, a character, a refusal).
 */
export const BARE_CR_NOTE =
  'Bare CR line ending: this line holds a CR without its LF, which RFC 5321 §2.3.8 forbids. Servers differ in how they read this: some take it as a line end, some keep it as a character, some refuse the message.';

function dataLineNotes(text: string, wasHeld: boolean, personality: PersonalityName): readonly string[] {
  const dotted = text.charCodeAt(0) === 0x2e;
  const bareCr = text.includes('\r');
  if (!wasHeld && !dotted && !bareCr) return NO_NOTES;
  const notes: string[] = [];
  if (wasHeld) {
    notes.push('Sent before the 354 arrived: the server had already switched to data mode when it accepted DATA, so it takes this line as message data.');
  }
  const dotNote = dotted ? dotLineNote(text, personality) : null;
  if (dotNote !== null) notes.push(dotNote);
  if (bareCr) notes.push(BARE_CR_NOTE);
  return notes;
}

/** A line of message data: into the draft as smtp-server stores it (see dot-stuffing.ts), and counted. */
export function appendMessageLine(context: SessionContext, line: LineInput, settled: HeldSettlement | null): Outcome {
  const emitted: SessionEmitted[] = [];
  const recorded = recordClientLine(context, line, 'message-data', DATA_LINE_EXPLANATION, dataLineNotes(line.text, settled !== null, context.personality), emitted);
  const stored = storedBySmtpServer(line.text);
  const draft = context.draft ?? EMPTY_DRAFT;
  return {
    patch: {
      draft: { body: draft.body + stored + '\r\n', bytes: draft.bytes + utf8Bytes(stored) + 2, lines: draft.lines + 1 },
      transcriptLength: recorded.transcriptLength,
    },
    emitted,
  };
}

/**
 * A batch of fresh lines in data mode: the message lines up to `end` (exclusive), then, when
 * `end` is within the batch, the lone `.` at `end` that ends the message. All their entries
 * go out in ONE `transcript.appendedMany` event, and the body grows by one string per batch:
 * a long message costs a few objects per line, not a machine action and copies per line.
 */
export function appendMessageBatch(context: SessionContext, texts: readonly string[], end: number): Outcome {
  const dataCount = Math.min(end, texts.length);
  const entries: TranscriptEntry[] = [];
  let index = context.transcriptLength;
  let dotted = false;
  for (let i = 0; i < dataCount; i++) {
    const text = texts[i] as string;
    const notes = dataLineNotes(text, false, context.personality);
    if (notes !== NO_NOTES) dotted = true;
    entries.push(clientEntry(index++, text, 'message-data', DATA_LINE_EXPLANATION, notes));
  }
  const draft = context.draft ?? EMPTY_DRAFT;
  const data = dataCount === texts.length ? texts : texts.slice(0, dataCount);
  // Only a line starting with a dot can differ from what the server stores.
  const chunk = dataCount === 0 ? '' : (dotted ? data.map(storedBySmtpServer) : data).join('\r\n') + '\r\n';
  const patch: MutablePatch = {
    draft: { body: draft.body + chunk, bytes: draft.bytes + utf8Bytes(chunk), lines: draft.lines + dataCount },
    transcriptLength: index,
  };
  if (dataCount < texts.length) {
    entries.push(clientEntry(index, '.', 'end-of-data', END_OF_DATA_EXPLANATION, NO_NOTES));
    patch.pending = [...context.pending, endOfDataPending(index)];
    patch.transcriptLength = index + 1;
  }
  return { patch, emitted: [{ type: 'transcript.appendedMany', entries }] };
}

const ELIDED_EXPLANATION =
  'To stay small, the transcript keeps the first and last lines of each message and counts the rest. The server received every line: the mailbox has the whole message.';

/** Message lines left out of the transcript: one entry that counts them; the draft counts them too. */
export function appendElidedLines(context: SessionContext, elided: ElidedLines): Outcome {
  const index = context.transcriptLength;
  const draft = context.draft ?? EMPTY_DRAFT;
  return {
    patch: {
      draft: { body: draft.body, bytes: draft.bytes + elided.bytes, lines: draft.lines + elided.lines },
      transcriptLength: index + 1,
    },
    emitted: [{ type: 'transcript.appended', entry: clientEntry(index, elidedText(elided), 'elided', ELIDED_EXPLANATION, NO_NOTES) }],
  };
}

function endOfDataPending(transcriptIndex: number): PendingCommand {
  return { kind: 'END-OF-DATA', command: null, text: '.', transcriptIndex, pipelined: false };
}

/** The lone `.`: the message is complete and waits for the server's verdict. */
export function queueEndOfData(context: SessionContext, line: LineInput): Outcome {
  const emitted: SessionEmitted[] = [];
  const notes = line.heldIndex === null ? NO_NOTES : ['Sent before the 354 arrived; in data mode the server reads it as the end of the message.'];
  const recorded = recordClientLine(context, line, 'end-of-data', END_OF_DATA_EXPLANATION, notes, emitted);
  return {
    patch: { pending: [...context.pending, endOfDataPending(recorded.index)], transcriptLength: recorded.transcriptLength, draft: context.draft ?? EMPTY_DRAFT },
    emitted,
  };
}

/** A line answering a 334 challenge (RFC 4954 §4): base64, or `*` to cancel. */
export function queueAuthResponse(context: SessionContext, line: LineInput): Outcome {
  const emitted: SessionEmitted[] = [];
  const response = parseAuthResponse(line.text);
  let explanation: string;
  let exchange = context.authExchange;
  if (response.kind === 'cancel') {
    explanation = '`*` cancels the AUTH exchange (RFC 4954 §4); the server answers 501 and you stay unauthenticated.';
  } else if (response.kind === 'invalid') {
    explanation = `${response.error.message} ${response.error.fix}`;
  } else {
    explanation = 'Your answer to the server\'s 334 challenge, base64-encoded (RFC 4954 §4).';
    exchange = exchange === null ? null : { ...exchange, user: exchange.user ?? userFromResponse(exchange.mechanism, response.value) };
  }
  const notes = line.heldIndex === null ? [] : ['Sent before the 334 arrived: the server, waiting for an AUTH answer, takes this line as one.'];
  const recorded = recordClientLine(context, line, 'auth-response', explanation, notes, emitted);
  const pending: PendingCommand = { kind: 'AUTH-RESPONSE', command: null, text: line.text, transcriptIndex: recorded.index, pipelined: false };
  return { patch: { pending: [...context.pending, pending], transcriptLength: recorded.transcriptLength, authExchange: exchange }, emitted };
}

/** The user name an AUTH answer reveals: the PLAIN identity, or the first LOGIN answer. */
export function userFromResponse(mechanism: string, base64: string): string | null {
  if (mechanism === 'PLAIN') return plainUser(base64);
  if (mechanism === 'LOGIN') return decodeBase64(base64) || null;
  return null;
}

/** A line the server will never act on (TLS handshake under way, or connection closed). */
export function recordIgnoredLine(context: SessionContext, line: LineInput, why: string): Outcome {
  const emitted: SessionEmitted[] = [];
  const recorded = recordClientLine(context, line, 'discarded', why, [], emitted);
  return { patch: { transcriptLength: recorded.transcriptLength }, emitted };
}
