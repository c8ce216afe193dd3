/**
 * What each transition of the statechart does, as ONE pure step of (context, event): the
 * line, reply and context steps of the other files, composed per transition so that the
 * machine runs a single action per event (see session-setup.ts for why).
 */
import type { Reply } from '../replies/types.ts';
import * as contextSteps from './context-steps.ts';
import * as lines from './line-steps.ts';
import { answerPending as answer, recordUnpairedReply } from './reply-steps.ts';
import { andThen, type LineInput, type Outcome } from './transcript.ts';
import type { SessionContext, SessionMachineEvent } from './types.ts';

const NO_LINE: LineInput = { text: '', heldIndex: null };
const NO_REPLY: Reply = { code: 0, lines: [], texts: [], enhanced: null };
/** The outcome of a step given an event it does not handle (the chart prevents it). */
const nothing = (): Outcome => ({ patch: {}, emitted: [] });

function lineOf(event: SessionMachineEvent): LineInput {
  if (event.type === 'client.line') return { text: event.text, heldIndex: null };
  if (event.type === 'client.heldLine') return { text: event.text, heldIndex: event.transcriptIndex };
  return NO_LINE;
}

function settlementOf(event: SessionMachineEvent): lines.HeldSettlement | null {
  return event.type === 'client.heldLine' ? { behind: event.heldBehind, code: event.settledBy } : null;
}

function replyOf(event: SessionMachineEvent): Reply {
  return event.type === 'server.reply' ? event.reply : NO_REPLY;
}

const EARLY_LINE_NOTE =
  'Sent before the server\'s greeting: RFC 5321 §3.1 says to wait for the 220. Many servers (smtp-server included) answer 421 and hang up.';
const CLOSING_NOTE =
  '421: the server is closing the connection (RFC 5321 §3.8). Commands still waiting will get no reply; reconnect later.';

// Client lines.

export const queueCommand = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  lines.queueCommandLine(context, lineOf(event), settlementOf(event));

export const queueEarlyLine = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  lines.queueCommandLine(context, lineOf(event), settlementOf(event), EARLY_LINE_NOTE);

export const appendMessageLine = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  lines.appendMessageLine(context, lineOf(event), settlementOf(event));

/** Message lines a bounded transcript left out (`client.elided`). */
export function appendElidedLines(context: SessionContext, event: SessionMachineEvent): Outcome {
  if (event.type !== 'client.elided') return nothing();
  return lines.appendElidedLines(context, { lines: event.lines, bytes: event.bytes });
}

/** A batch of message lines, up to and including a lone `.` that ends the message. */
export function appendMessageLines(context: SessionContext, event: SessionMachineEvent): Outcome {
  if (event.type !== 'client.dataLines') return nothing();
  const end = event.texts.indexOf('.');
  return lines.appendMessageBatch(context, event.texts, end < 0 ? event.texts.length : end);
}

/** The lines of a batch after the `.` that ended the message (none when there is no `.`). */
export function linesAfterEndOfData(event: SessionMachineEvent): readonly string[] {
  if (event.type !== 'client.dataLines') return [];
  const end = event.texts.indexOf('.');
  return end < 0 ? [] : event.texts.slice(end + 1);
}

export const queueEndOfData = (context: SessionContext, event: SessionMachineEvent): Outcome => lines.queueEndOfData(context, lineOf(event));

export const queueAuthResponse = (context: SessionContext, event: SessionMachineEvent): Outcome => lines.queueAuthResponse(context, lineOf(event));

export const discardLine = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  lines.recordIgnoredLine(context, lineOf(event), 'Sent during the TLS handshake: the server discards plaintext until TLS is up (RFC 3207 §4.2).');

export const recordLineAfterClose = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  lines.recordIgnoredLine(context, lineOf(event), 'The connection is closed: this line reached no server.');

// Server replies that no command waits for.

export function recordGreeting(context: SessionContext, event: SessionMachineEvent): Outcome {
  const reply = replyOf(event);
  const note = reply.code === 220
    ? 'The greeting: the server is ready. Introduce yourself with EHLO (RFC 5321 §4.1.1.1).'
    : 'The server refuses this session instead of greeting you (RFC 5321 §3.1); send QUIT.';
  return recordUnpairedReply(context, reply, note, false);
}

export const recordUnexpectedReply = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  recordUnpairedReply(context, replyOf(event), 'No command was waiting for this reply: the server sent it on its own.', true);

/** A 421 answers the oldest pending command, or comes on its own (e.g. an idle timeout). */
export function recordClosingReply(context: SessionContext, event: SessionMachineEvent): Outcome {
  const reply = replyOf(event);
  const recorded = context.pending.length > 0 ? answer(context, reply) : recordUnpairedReply(context, reply, 'The server sent this on its own.', true);
  return andThen(context, recorded, (next) => contextSteps.noteLatest(next, CLOSING_NOTE));
}

// Server replies to the oldest pending command, with what they confirm.

export const answerPending = (context: SessionContext, event: SessionMachineEvent): Outcome => answer(context, replyOf(event));

export function acceptIdentity(context: SessionContext, event: SessionMachineEvent): Outcome {
  const reply = replyOf(event);
  const answered = andThen(context, answer(context, reply), (next) => contextSteps.recordIdentity(next, reply));
  return andThen(context, answered, contextSteps.resetEnvelope);
}

export const acceptReset = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  andThen(context, answerPending(context, event), contextSteps.resetEnvelope);

export const acceptSender = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  andThen(context, answerPending(context, event), contextSteps.recordSender);

export const acceptRecipient = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  andThen(context, answerPending(context, event), contextSteps.recordRecipient);

/** The 354 opens the message: an empty draft, then the DATA command is answered. */
export const startMessage = (context: SessionContext, event: SessionMachineEvent): Outcome => {
  const started = contextSteps.startMessage();
  return andThen(context, started, (next) => answerPending(next, event));
};

/** The end-of-data (or last BDAT chunk) was accepted: keep the message, clear the envelope. */
export function acceptMessage(context: SessionContext, event: SessionMachineEvent): Outcome {
  const reply = replyOf(event);
  const answered = andThen(context, answer(context, reply), (next) => contextSteps.recordMessage(next, reply));
  return andThen(context, answered, contextSteps.resetEnvelope);
}

export const acceptLastChunk = acceptMessage;

/** The message was refused: the transaction is over all the same (RFC 5321 §4.1.1.4). */
export const closeTransaction = acceptReset;

export const acceptAuth = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  andThen(context, answerPending(context, event), contextSteps.recordAuth);

// Connection and TLS events.

export const recordConnection = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  event.type === 'socket.opened' ? contextSteps.recordConnection(context, event.server) : nothing();

export const recordTls = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  event.type === 'tls.established' ? contextSteps.recordTls(context, event.tls) : nothing();

export const restartAfterTls = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  event.type === 'tls.established' ? contextSteps.restartAfterTls(context, event.tls) : nothing();

export const recordTlsFailure = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  event.type === 'tls.failed' ? contextSteps.recordTlsFailure(context, event.reason) : nothing();

export const recordClose = (context: SessionContext, event: SessionMachineEvent): Outcome =>
  event.type === 'socket.closed' ? contextSteps.recordClose(context, event.reason) : nothing();
