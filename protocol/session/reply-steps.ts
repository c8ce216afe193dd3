/**
 * What the model does with one server reply. Replies pair with pending commands in order
 * (RFC 2920 §3.1: the server answers pipelined commands in the order it received them). All
 * functions are pure and return an Outcome; the steps of transition-steps.ts build on them.
 */
import { explainReply } from '../replies/index.ts';
import type { Reply } from '../replies/types.ts';
import { isModeChanging, kindLabel, userFromResponse } from './line-steps.ts';
import { andThen, replyEntry, type MutablePatch, type Outcome } from './transcript.ts';
import type { AuthStatus, HeldLine, PendingCommand, PendingKind, SessionContext, SessionEmitted, TranscriptUpdate } from './types.ts';
import { classDigit, utf8Bytes } from './wire-text.ts';

/** The verb explainReply should read the reply against. */
function answeredVerb(pending: PendingCommand): string | undefined {
  if (pending.kind === 'END-OF-DATA') return 'DATA';
  if (pending.kind === 'AUTH-RESPONSE') return 'AUTH';
  return pending.kind === 'UNKNOWN' ? undefined : pending.kind;
}

/** The AUTH exchange an AUTH command starts: mechanism, and the user its initial response names. */
function startExchange(pending: PendingCommand): AuthStatus | null {
  const command = pending.command;
  if (command === null || command.verb !== 'AUTH') return null;
  const initial = command.initialResponse;
  const user = initial === null || initial === '=' ? null : userFromResponse(command.mechanism, initial);
  return { mechanism: command.mechanism, user };
}

/** The note of a reply that no command waits for. */
export const UNEXPECTED_REPLY_NOTE = 'No command was waiting for this reply: the server sent it on its own.';

const CLOSING_NOTE =
  '421: the server is closing the connection (RFC 5321 §3.8). Commands still waiting will get no reply; reconnect later.';

const CLOSING_WITHOUT_QUIT_NOTE =
  '221 without QUIT: the server is closing the connection on its own. RFC 5321 §3.8 keeps 221 for the answer to QUIT and asks for 421 here; either way, commands still waiting will get no reply. Reconnect to go on.';

// How a reply treated the line it answers, as far as the reply's notes go.
const ANSWERED = 0;
const REJECTED = 1;
const REFUSED_MESSAGE = 2;
type ReplyVerdict = typeof ANSWERED | typeof REJECTED | typeof REFUSED_MESSAGE;

/**
 * The notes of a reply entry, built once per kind, pipelining and verdict, then shared (and
 * frozen), because fresh arrays and strings per reply add up over a long session.
 * Slots: verdict * 2 + (pipelined ? 1 : 0).
 */
const answerNotesCache = new Map<PendingKind, (readonly string[] | undefined)[]>();

function answerNotes(head: PendingCommand, code: number): readonly string[] {
  const digit = classDigit(code);
  const verdict: ReplyVerdict = code === 421 || (digit !== 4 && digit !== 5) ? ANSWERED : head.kind === 'END-OF-DATA' ? REFUSED_MESSAGE : REJECTED;
  let slots = answerNotesCache.get(head.kind);
  if (slots === undefined) {
    slots = [];
    answerNotesCache.set(head.kind, slots);
  }
  const slot = verdict * 2 + (head.pipelined ? 1 : 0);
  return (slots[slot] ??= Object.freeze(buildAnswerNotes(head, verdict)));
}

function buildAnswerNotes(head: PendingCommand, verdict: ReplyVerdict): string[] {
  const first = `This reply answers ${kindLabel(head.kind)}${head.pipelined ? ' (pipelined)' : ''}.`;
  if (verdict === ANSWERED) return [first];
  if (verdict === REFUSED_MESSAGE) {
    return [first, 'The server refused the message. The transaction is over either way (RFC 5321 §4.1.1.4): start again with MAIL FROM.'];
  }
  return [first, 'Rejected: the session state did not change.'];
}

/**
 * Pairs the reply with the oldest pending command and records it: one event, the reply's entry,
 * whose `answers` also gives the answered line its `answeredBy` (see SessionEmitted). When
 * that command was the mode-changing one the held lines wait behind, it settles them into
 * `released`, which the machine replays right after this step.
 */
export function pairReply(context: SessionContext, reply: Reply): Outcome {
  const head = context.pending[0];
  if (head === undefined) return recordUnpairedReply(context, reply, UNEXPECTED_REPLY_NOTE, true);
  const rest = context.pending.slice(1);
  const index = context.transcriptLength;
  const emitted: SessionEmitted[] = [
    replyEntry(index, reply, explainReply(reply, answeredVerb(head), context.personality), answerNotes(head, reply.code), head.transcriptIndex),
  ];
  const digit = classDigit(reply.code);
  const patch: MutablePatch = {
    pending: rest,
    answered: head,
    transcriptLength: index + 1,
  };
  if (digit === 4 || digit === 5) patch.counts = { ...context.counts, rejections: context.counts.rejections + 1 };
  if (head.kind === 'AUTH' || head.kind === 'AUTH-RESPONSE') {
    const exchange = head.kind === 'AUTH' ? startExchange(head) : context.authExchange;
    // Keep the exchange while the server asks for more (334) or until recordAuth reads it (2xx).
    patch.authExchange = reply.code === 334 || digit === 2 ? exchange : null;
  }
  if (rest.length === 0 && context.held.length > 0 && isModeChanging(head.kind)) {
    settleHeldLines(context, head, reply.code, patch);
  }
  return { patch, emitted };
}

/** Decides what the held lines were, now that the mode-changing command is answered. */
function settleHeldLines(context: SessionContext, head: PendingCommand, code: number, patch: MutablePatch): void {
  patch.held = [];
  if (head.kind === 'STARTTLS' && code === 220) {
    const updates = context.held.map((line): TranscriptUpdate => ({
      index: line.transcriptIndex,
      role: 'discarded',
      explanation: 'Sent after STARTTLS but before the TLS handshake: the server discards this plaintext (RFC 3207 §4.2). Wait for the handshake, then send EHLO again.',
    }));
    patch.released = { updates, replay: [] };
    return;
  }
  let replay: readonly HeldLine[] = context.held;
  const updates: TranscriptUpdate[] = [];
  if (head.kind === 'BDAT' && head.command?.verb === 'BDAT' && !isUnknownCommandReply(code)) {
    replay = takeChunk(context, head.command.size, classDigit(code) === 2, patch, updates);
  }
  patch.released = {
    updates,
    replay: replay.map((line) => ({ type: 'client.heldLine', text: line.text, transcriptIndex: line.transcriptIndex, heldBehind: head.kind, settledBy: code })),
  };
}

/** 500/502/504: the server does not know BDAT, so it never read a chunk (smtp-server does this). */
function isUnknownCommandReply(code: number): boolean {
  return code === 500 || code === 502 || code === 504;
}

/**
 * RFC 3030 §2: the BDAT chunk is exactly `size` octets after the command line, read whatever
 * the reply. Held lines up to that size are the chunk; a taken chunk joins the draft (now, so
 * that an accepted LAST chunk's message holds it).
 */
function takeChunk(context: SessionContext, size: number, taken: boolean, patch: MutablePatch, updates: TranscriptUpdate[]): readonly HeldLine[] {
  let octets = 0;
  let consumed = 0;
  let body = context.draft?.body ?? '';
  for (const line of context.held) {
    if (octets >= size) break;
    octets += utf8Bytes(line.text) + 2;
    consumed++;
    if (taken) body += line.text + '\r\n';
    updates.push({
      index: line.transcriptIndex,
      role: taken ? 'chunk-data' : 'discarded',
      explanation: taken
        ? 'Part of the BDAT chunk: sent as raw bytes, with no dot-stuffing (RFC 3030).'
        : 'Part of a BDAT chunk the server refused: it read these bytes and dropped them (RFC 3030).',
    });
  }
  if (taken) {
    const draft = context.draft ?? { body: '', bytes: 0, lines: 0 };
    patch.draft = { body, bytes: draft.bytes + octets, lines: draft.lines + consumed };
  }
  return context.held.slice(consumed);
}

/** A reply no pending command explains: the greeting, or something the server says on its own. */
export function recordUnpairedReply(context: SessionContext, reply: Reply, note: string, unexpected: boolean): Outcome {
  const index = context.transcriptLength;
  const counts = unexpected ? { ...context.counts, unexpectedReplies: context.counts.unexpectedReplies + 1 } : context.counts;
  return {
    patch: { transcriptLength: index + 1, counts },
    emitted: [replyEntry(index, reply, explainReply(reply, undefined, context.personality), [note], null)],
  };
}

/**
 * A 421 (or a 221 that does not answer QUIT) answers the oldest pending command, or comes on
 * its own (an idle timeout, say); either way its entry then gets the closing note: two events,
 * so the machine applies this one with `enqueueActions` (see session-setup.ts).
 */
export function recordClosingReply(context: SessionContext, reply: Reply): Outcome {
  const recorded = context.pending.length > 0 ? pairReply(context, reply) : recordUnpairedReply(context, reply, 'The server sent this on its own.', true);
  const note = reply.code === 221 ? CLOSING_WITHOUT_QUIT_NOTE : CLOSING_NOTE;
  return andThen(context, recorded, (after) => noteLatest(after, note));
}

/** Adds the closing note to the newest transcript entry. */
function noteLatest(context: SessionContext, note: string): Outcome {
  if (context.transcriptLength === 0) return { patch: {}, emitted: [] };
  return { patch: {}, emitted: [{ type: 'transcript.updated', update: { index: context.transcriptLength - 1, notes: [note] } }] };
}
