/**
 * What each action of the statechart does, in one place: every export of this module is a
 * pure step of (context, event) that session-setup.ts turns into the machine action of the
 * same name, so `acceptRecipient` in session-machine.ts is `acceptRecipient` here. A step
 * narrows its event with `assertEvent`: an event the chart does not send it is a bug and
 * throws, never a placeholder entry. Line recording (line-steps.ts) and reply pairing
 * (reply-steps.ts) are the shared building blocks; what a reply confirms is written here.
 */
import { assertEvent } from 'xstate';
import { parseEhloExtensions } from '../replies/index.ts';
import type { Reply } from '../replies/types.ts';
import type { TlsInfo } from '../transport.ts';
import * as lines from './line-steps.ts';
import { pairReply, recordUnpairedReply, UNEXPECTED_REPLY_NOTE } from './reply-steps.ts';
import { connectionEntry, type LineInput, type MutablePatch, type Outcome } from './transcript.ts';
import type { CompletedMessage, HeldLineEvent, SessionContext, SessionMachineEvent } from './types.ts';
import { bracketedAddress, queueIdFrom } from './wire-text.ts';

/** A client line: fresh from the wire, or held behind a mode-changing command and replayed now. */
type LineEvent = Extract<SessionMachineEvent, { type: 'client.line' }> | HeldLineEvent;
const LINE_EVENTS = ['client.line', 'client.heldLine'] as const;

function lineOf(event: LineEvent): LineInput {
  return event.type === 'client.heldLine' ? { text: event.text, heldIndex: event.transcriptIndex } : { text: event.text, heldIndex: null };
}

function settlementOf(event: LineEvent): lines.HeldSettlement | null {
  return event.type === 'client.heldLine' ? { behind: event.heldBehind, code: event.settledBy } : null;
}

const EARLY_LINE_NOTE =
  'Sent before the server\'s greeting: RFC 5321 §3.1 says to wait for the 220. Many servers (smtp-server included) answer 421 and hang up.';

// Client lines.

export function queueCommand(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.queueCommandLine(context, lineOf(event), settlementOf(event));
}

export function queueEarlyLine(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.queueCommandLine(context, lineOf(event), settlementOf(event), EARLY_LINE_NOTE);
}

export function appendMessageLine(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.appendMessageLine(context, lineOf(event), settlementOf(event));
}

/** Message lines a bounded transcript left out (`client.elided`). */
export function appendElidedLines(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'client.elided');
  return lines.appendElidedLines(context, { lines: event.lines, bytes: event.bytes });
}

/** A batch of message lines, up to and including a lone `.` that ends the message. */
export function appendMessageLines(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'client.dataLines');
  const end = event.texts.indexOf('.');
  return lines.appendMessageBatch(context, event.texts, end < 0 ? event.texts.length : end);
}

export function queueEndOfData(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.queueEndOfData(context, lineOf(event));
}

export function queueAuthResponse(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.queueAuthResponse(context, lineOf(event));
}

export function discardLine(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.recordIgnoredLine(context, lineOf(event), 'Sent during the TLS handshake: the server discards plaintext until TLS is up (RFC 3207 §4.2).');
}

export function recordLineAfterClose(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, LINE_EVENTS);
  return lines.recordIgnoredLine(context, lineOf(event), 'The connection is closed: this line reached no server.');
}

// Server replies that no command waits for.

export function recordGreeting(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  const note = event.reply.code === 220
    ? 'The greeting: the server is ready. Introduce yourself with EHLO (RFC 5321 §4.1.1.1).'
    : 'The server refuses this session instead of greeting you (RFC 5321 §3.1); send QUIT.';
  return recordUnpairedReply(context, event.reply, note, false);
}

export function recordUnexpectedReply(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return recordUnpairedReply(context, event.reply, UNEXPECTED_REPLY_NOTE, true);
}

// Server replies to the oldest pending command, with what they confirm: the envelope only
// ever holds what the server accepted.

/** The reply answers the oldest pending command and changes nothing else (a rejection, a 334, NOOP…). */
export function answerPending(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return pairReply(context, event.reply);
}

/** EHLO/HELO accepted: the server knows the client's domain (and, for EHLO, lists its extensions). */
export function acceptIdentity(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  const reply = event.reply;
  return answer(context, reply, (next) => ({ ...identityOf(next, reply), ...clearedEnvelope() }));
}

/** RSET accepted (RFC 5321 §4.1.1.5): the envelope is empty again. */
export function acceptReset(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, clearedEnvelope);
}

/** MAIL FROM accepted: a new envelope with this sender. */
export function acceptSender(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, (next) => ({ envelope: { sender: answeredAddress(next), recipients: [] } }));
}

/** RCPT TO accepted: the address joins the envelope's recipients. */
export function acceptRecipient(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, (next) => ({
    envelope: { sender: next.envelope.sender, recipients: [...next.envelope.recipients, answeredAddress(next)] },
  }));
}

/** The 354 to DATA opens the message with an empty draft. */
export function startMessage(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, () => ({ draft: { body: '', bytes: 0, lines: 0 } }));
}

/** The end of data (or the last BDAT chunk) was accepted: keep the message, clear the envelope. */
export function acceptMessage(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  const reply = event.reply;
  return answer(context, reply, (next) => ({ messages: [...next.messages, completedMessage(next, reply)], ...clearedEnvelope() }));
}

/** The message was refused: the transaction is over all the same (RFC 5321 §4.1.1.4). */
export function closeTransaction(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, clearedEnvelope);
}

/** AUTH succeeded: the identity the exchange revealed becomes the session's. */
export function acceptAuth(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'server.reply');
  return answer(context, event.reply, (next) => ({ auth: next.authExchange ?? { mechanism: 'unknown', user: null }, authExchange: null }));
}

/**
 * Pairs the reply with the oldest pending command (reply-steps.ts), then applies what the
 * reply confirms, read from the context as the pairing left it (`answered` is set).
 */
function answer(context: SessionContext, reply: Reply, confirmed: (next: SessionContext) => MutablePatch): Outcome {
  const paired = pairReply(context, reply);
  return { patch: { ...paired.patch, ...confirmed({ ...context, ...paired.patch }) }, emitted: paired.emitted };
}

const EMPTY_ENVELOPE = { sender: null, recipients: [] } as const;

/** RFC 5321 §4.1.1.5: RSET (and EHLO/HELO, and the end of a transaction) clears the envelope. */
function clearedEnvelope(): MutablePatch {
  return { envelope: EMPTY_ENVELOPE, draft: null };
}

/** The EHLO/HELO domain the server accepted, and for EHLO the extensions it advertised. */
function identityOf(context: SessionContext, reply: Reply): MutablePatch {
  const answered = context.answered;
  if (answered === null) return {};
  const verb = answered.kind === 'HELO' ? 'HELO' : 'EHLO';
  const command = answered.command;
  const domain = command !== null && 'domain' in command ? command.domain : (answered.text.trim().split(/\s+/)[1] ?? '');
  const extensions = verb === 'EHLO' ? Object.fromEntries(parseEhloExtensions(reply)) : null;
  return { identity: { verb, domain }, extensions };
}

function answeredAddress(context: SessionContext): string {
  const command = context.answered?.command;
  if (command && (command.verb === 'MAIL' || command.verb === 'RCPT')) return command.path.address;
  // The grammar refused the line but the server accepted it: follow the server.
  return bracketedAddress(context.answered?.text ?? '') ?? '';
}

/** The message the server accepted, with its envelope and queue id. */
function completedMessage(context: SessionContext, reply: Reply): CompletedMessage {
  const draft = context.draft ?? { body: '', bytes: 0, lines: 0 };
  return {
    sender: context.envelope.sender ?? '',
    recipients: context.envelope.recipients,
    body: draft.body,
    bytes: draft.bytes,
    queueId: queueIdFrom(reply),
  };
}

// Connection and TLS events.

export function recordConnection(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'socket.opened');
  const index = context.transcriptLength;
  return {
    patch: { server: event.server, transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `Connected to ${event.server}`, 'The TCP connection is open. The client now waits for the server\'s 220 greeting (RFC 5321 §3.1).', [])],
  };
}

export function recordTls(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'tls.established');
  return tlsEstablished(context, event.tls, []);
}

const TLS_RESET_NOTE =
  'The server forgot your EHLO, its extension list and any authentication (RFC 3207 §4.2): send EHLO again before anything else.';

/** The STARTTLS handshake finished: TLS is up and, RFC 3207 §4.2, both sides forget everything learned before it. */
export function restartAfterTls(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'tls.established');
  const { patch, emitted } = tlsEstablished(context, event.tls, [TLS_RESET_NOTE]);
  return { patch: { ...patch, identity: null, extensions: null, auth: null, authExchange: null, envelope: EMPTY_ENVELOPE, draft: null }, emitted };
}

function tlsEstablished(context: SessionContext, tls: TlsInfo, notes: readonly string[]): Outcome {
  const index = context.transcriptLength;
  const how = tls.simulated ? ' (simulated handshake)' : '';
  return {
    patch: { tls, transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `TLS established: ${tls.protocol}, ${tls.cipher}${how}`, 'The connection is now encrypted.', notes)],
  };
}

export function recordTlsFailure(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'tls.failed');
  const index = context.transcriptLength;
  return {
    patch: { transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `TLS handshake failed: ${event.reason}`, 'The TLS handshake failed; the connection cannot be used any more.', [])],
  };
}

export function recordClose(context: SessionContext, event: SessionMachineEvent): Outcome {
  assertEvent(event, 'socket.closed');
  const index = context.transcriptLength;
  const waiting = context.pending.length + context.held.length;
  const notes = waiting > 0 ? [`${waiting} line(s) you sent never got a reply.`] : [];
  return {
    patch: { pending: [], held: [], transcriptLength: index + 1 },
    emitted: [connectionEntry(index, event.reason ? `Connection closed: ${event.reason}` : 'Connection closed', 'The TCP connection is closed; this session is over.', notes)],
  };
}
