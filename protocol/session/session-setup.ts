/**
 * Guards and actions of the session model (the statechart itself is in session-machine.ts).
 * The model is an XState machine that OBSERVES one SMTP conversation from both sides.
 *
 * Its state is the server's state as confirmed by the server's replies: a command is pending
 * until its reply arrives, and a rejected command (4xx/5xx) leaves the state where it was.
 * Pending commands form a FIFO (RFC 2920): each complete reply answers the oldest one. The
 * states that wait on a mode-changing command (awaitingDataGo, authenticating, startingTls)
 * are entered when that command becomes the oldest pending one. Lines sent behind such a
 * command are held until its reply says what they were (see line-steps.ts).
 *
 * The transcript is emitted (`transcript.appended` / `transcript.updated`), not kept in context.
 */
import { enqueueActions, setup } from 'xstate';
import {
  noteLatest,
  recordAuth,
  recordClose,
  recordConnection,
  recordIdentity,
  recordMessage,
  recordRecipient,
  recordSender,
  recordTls,
  recordTlsFailure,
  resetEnvelope,
  resetForTls,
  startMessage,
} from './context-steps.ts';
import {
  appendMessageLine,
  appendMessageLines,
  queueAuthResponse,
  queueCommandLine,
  queueEndOfData,
  recordIgnoredLine,
  type HeldSettlement,
} from './line-steps.ts';
import { answerPending, recordUnpairedReply } from './reply-steps.ts';
import type { LineInput, Outcome } from './transcript.ts';
import type { PendingKind, SessionContext, SessionEmitted, SessionMachineEvent } from './types.ts';
import { classDigit } from './wire-text.ts';

/** The part of XState's action enqueuer the steps need. */
interface Enqueuer {
  assign(patch: Partial<SessionContext>): void;
  emit(event: SessionEmitted): void;
  raise(event: SessionMachineEvent): void;
}

function perform(enqueue: Enqueuer, outcome: Outcome<SessionMachineEvent>): void {
  enqueue.assign(outcome.patch);
  for (const event of outcome.emitted) enqueue.emit(event);
  for (const event of outcome.raised ?? []) enqueue.raise(event);
}

const NO_LINE: LineInput = { text: '', heldIndex: null };

function lineOf(event: SessionMachineEvent): LineInput {
  if (event.type === 'client.line') return { text: event.text, heldIndex: null };
  if (event.type === 'client.heldLine') return { text: event.text, heldIndex: event.transcriptIndex };
  return NO_LINE;
}

function settlementOf(event: SessionMachineEvent): HeldSettlement | null {
  return event.type === 'client.heldLine' ? { behind: event.heldBehind, code: event.settledBy } : null;
}

function replyOf(event: SessionMachineEvent) {
  return event.type === 'server.reply' ? event.reply : { code: 0, lines: [], texts: [], enhanced: null };
}

const EARLY_LINE_NOTE =
  'Sent before the server\'s greeting: RFC 5321 §3.1 says to wait for the 220. Many servers (smtp-server included) answer 421 and hang up.';
const CLOSING_NOTE =
  '421: the server is closing the connection (RFC 5321 §3.8). Commands still waiting will get no reply; reconnect later.';

export const sessionSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionMachineEvent,
    emitted: {} as SessionEmitted,
  },
  guards: {
    hasPending: ({ context }) => context.pending.length > 0,
    /** The reply answers the oldest pending item of this kind. */
    isReplyTo: ({ context }, params: { kind: PendingKind }) => context.pending[0]?.kind === params.kind,
    /** The reply accepts (2xx) the oldest pending item of this kind. */
    isAcceptedReplyTo: ({ context, event }, params: { kind: PendingKind }) =>
      event.type === 'server.reply' && context.pending[0]?.kind === params.kind && classDigit(event.reply.code) === 2,
    isPositiveReply: ({ event }) => event.type === 'server.reply' && classDigit(event.reply.code) === 2,
    isReplyCode: ({ event }, params: { code: number }) => event.type === 'server.reply' && event.reply.code === params.code,
    isServiceClosing: ({ event }) => event.type === 'server.reply' && event.reply.code === 421,
    isNextPending: ({ context }, params: { kind: PendingKind }) => context.pending[0]?.kind === params.kind,
    isAcceptedLastChunk: ({ context, event }) => {
      const command = context.pending[0]?.command;
      return event.type === 'server.reply' && classDigit(event.reply.code) === 2 && command?.verb === 'BDAT' && command.last;
    },
    isIdentified: ({ context }) => context.identity !== null,
    hasSender: ({ context }) => context.envelope.sender !== null,
    hasRecipients: ({ context }) => context.envelope.recipients.length > 0,
    isEndOfData: ({ event }) => (event.type === 'client.line' || event.type === 'client.heldLine') && event.text === '.',
  },
  actions: {
    queueCommand: enqueueActions(({ context, event, enqueue }) => perform(enqueue, queueCommandLine(context, lineOf(event), settlementOf(event)))),
    noteEarlyLine: enqueueActions(({ context, enqueue }) => perform(enqueue, noteLatest(context, EARLY_LINE_NOTE))),
    appendMessageLine: enqueueActions(({ context, event, enqueue }) => perform(enqueue, appendMessageLine(context, lineOf(event), settlementOf(event)))),
    appendMessageLines: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'client.dataLines') perform(enqueue, appendMessageLines(context, event.texts));
    }),
    /** Outside data mode a batch is just its lines, one by one. */
    replayDataLines: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'client.dataLines') for (const text of event.texts) enqueue.raise({ type: 'client.line', text });
    }),
    queueEndOfData: enqueueActions(({ context, event, enqueue }) => perform(enqueue, queueEndOfData(context, lineOf(event)))),
    queueAuthResponse: enqueueActions(({ context, event, enqueue }) => perform(enqueue, queueAuthResponse(context, lineOf(event)))),
    discardLine: enqueueActions(({ context, event, enqueue }) =>
      perform(enqueue, recordIgnoredLine(context, lineOf(event), 'Sent during the TLS handshake: the server discards plaintext until TLS is up (RFC 3207 §4.2).')),
    ),
    recordLineAfterClose: enqueueActions(({ context, event, enqueue }) =>
      perform(enqueue, recordIgnoredLine(context, lineOf(event), 'The connection is closed: this line reached no server.')),
    ),
    recordGreeting: enqueueActions(({ context, event, enqueue }) => {
      const reply = replyOf(event);
      const note = reply.code === 220
        ? 'The greeting: the server is ready. Introduce yourself with EHLO (RFC 5321 §4.1.1.1).'
        : 'The server refuses this session instead of greeting you (RFC 5321 §3.1); send QUIT.';
      perform(enqueue, recordUnpairedReply(context, reply, note, false));
    }),
    recordUnexpectedReply: enqueueActions(({ context, event, enqueue }) =>
      perform(enqueue, recordUnpairedReply(context, replyOf(event), 'No command was waiting for this reply: the server sent it on its own.', true)),
    ),
    answerPending: enqueueActions(({ context, event, enqueue }) => perform(enqueue, answerPending(context, replyOf(event)))),
    /** A 421 answers the oldest pending command, or comes on its own (e.g. an idle timeout). */
    recordClosingReply: enqueueActions(({ context, event, enqueue }) => {
      const reply = replyOf(event);
      perform(enqueue, context.pending.length > 0 ? answerPending(context, reply) : recordUnpairedReply(context, reply, 'The server sent this on its own.', true));
    }),
    noteServerClosing: enqueueActions(({ context, enqueue }) => perform(enqueue, noteLatest(context, CLOSING_NOTE))),
    recordIdentity: enqueueActions(({ context, event, enqueue }) => perform(enqueue, recordIdentity(context, replyOf(event)))),
    resetEnvelope: enqueueActions(({ enqueue }) => perform(enqueue, resetEnvelope())),
    recordSender: enqueueActions(({ context, enqueue }) => perform(enqueue, recordSender(context))),
    recordRecipient: enqueueActions(({ context, enqueue }) => perform(enqueue, recordRecipient(context))),
    startMessage: enqueueActions(({ enqueue }) => perform(enqueue, startMessage())),
    recordMessage: enqueueActions(({ context, event, enqueue }) => perform(enqueue, recordMessage(context, replyOf(event)))),
    recordAuth: enqueueActions(({ context, enqueue }) => perform(enqueue, recordAuth(context))),
    recordConnection: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'socket.opened') perform(enqueue, recordConnection(context, event.server));
    }),
    recordTls: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'tls.established') perform(enqueue, recordTls(context, event.tls));
    }),
    resetForTls: enqueueActions(({ context, enqueue }) => perform(enqueue, resetForTls(context))),
    recordTlsFailure: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'tls.failed') perform(enqueue, recordTlsFailure(context, event.reason));
    }),
    recordClose: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'socket.closed') perform(enqueue, recordClose(context, event.reason));
    }),
  },
});
