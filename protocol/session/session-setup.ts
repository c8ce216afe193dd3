/**
 * Guards and actions of the session model (the statechart itself is in session-machine.ts;
 * what each action does is in transition-steps.ts).
 * The model is an XState machine that OBSERVES one SMTP conversation from both sides.
 *
 * Its state is the server's state as confirmed by the server's replies: a command is pending
 * until its reply arrives, and a rejected command (4xx/5xx) leaves the state where it was.
 * Pending commands form a FIFO (RFC 2920): each complete reply answers the oldest one. The
 * states that wait on a mode-changing command (awaitingDataGo, authenticating, startingTls)
 * are entered when that command becomes the oldest pending one. Lines sent behind such a
 * command are held until its reply says what they were (see line-steps.ts).
 *
 * The transcript is emitted (`transcript.appended`, `transcript.appendedMany` for a batch of
 * message lines, `transcript.updated`), not kept in context.
 *
 * WHY EACH TRANSITION HAS ONE STEP ACTION: every XState action costs time on every event
 * (an `assign` clones the snapshot, an `emit` or `enqueueActions` allocates its own records).
 * So a transition runs one pure step (transition-steps.ts) as one `assign`, which leaves the
 * step's transcript event in `context.outbox`; one plain `emit` right after it publishes it.
 * Every step has exactly one event: a line or reply its new entry (a reply's entry also links
 * the line it answers), a batch of message lines one `transcript.appendedMany`. The few steps
 * with a varying number of events (a 421, the replay of held lines) use `enqueueActions`; they
 * are rare.
 */
import { assertEvent, assign, emit, enqueueActions, setup } from 'xstate';
import { recordClosingReply } from './reply-steps.ts';
import type { Outcome } from './transcript.ts';
import type { SessionInput } from './initial-context.ts';
import * as steps from './transition-steps.ts';
import type { PendingKind, SessionContext, SessionEmitted, SessionMachineEvent } from './types.ts';
import { classDigit } from './wire-text.ts';

type Step = (context: SessionContext, event: SessionMachineEvent) => Outcome;

/** A step as one `assign`: its patch, and its transcript event for the publish action. */
function applyStep(step: Step) {
  return assign<SessionContext, SessionMachineEvent, undefined, SessionMachineEvent, never>(({ context, event }) => {
    const { patch, emitted } = step(context, event);
    // The patch is the step's own fresh object; completing it beats copying it with a spread,
    // which is slow here because patches come in many shapes (XState copies it again anyway).
    patch.outbox = emitted;
    return patch;
  });
}

type StepAction = ReturnType<typeof applyStep>;

/** Every step of transition-steps.ts as the action of the same name. */
function stepActions<Name extends string>(all: Record<Name, Step>): Record<Name, StepAction> {
  const actions = {} as Record<Name, StepAction>;
  for (const [name, step] of Object.entries<Step>(all)) actions[name as Name] = applyStep(step);
  return actions;
}

/** The transcript event the step just run left in the outbox: every step has exactly one. */
function stepEvent(context: SessionContext): SessionEmitted {
  const event = context.outbox[0];
  if (event === undefined) throw new Error('session model: the step before publishTranscript emitted no transcript event');
  return event;
}

export const sessionSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionMachineEvent,
    emitted: {} as SessionEmitted,
    // `void`, not `undefined`: XState's inference drops `undefined`, which would make the input required.
    input: {} as SessionInput | void,
  },
  guards: {
    hasPending: ({ context }) => context.pending.length > 0,
    isRejectionOfPending: ({ context, event }) => {
      if (event.type !== 'server.reply' || context.pending.length === 0) return false;
      const digit = classDigit(event.reply.code);
      return (digit === 4 || digit === 5) && event.reply.code !== 421;
    },
    /** The reply answers the oldest pending item of this kind. */
    isReplyTo: ({ context }, params: { kind: PendingKind }) => context.pending[0]?.kind === params.kind,
    /** The reply accepts (2xx) the oldest pending item of this kind. */
    isAcceptedReplyTo: ({ context, event }, params: { kind: PendingKind }) =>
      event.type === 'server.reply' && context.pending[0]?.kind === params.kind && classDigit(event.reply.code) === 2,
    isPositiveReply: ({ event }) => event.type === 'server.reply' && classDigit(event.reply.code) === 2,
    isReplyCode: ({ event }, params: { code: number }) => event.type === 'server.reply' && event.reply.code === params.code,
    /**
     * 421 (RFC 5321 §3.8), or a 221 that does not answer QUIT: Postfix says `221 2.7.0 Error:
     * I can break rules, too. Goodbye.` to a header line sent as a command, then hangs up.
     */
    isServiceClosing: ({ context, event }) =>
      event.type === 'server.reply' && (event.reply.code === 421 || (event.reply.code === 221 && context.pending[0]?.kind !== 'QUIT')),
    isNextPending: ({ context }, params: { kind: PendingKind }) => context.pending[0]?.kind === params.kind,
    isAcceptedLastChunk: ({ context, event }) => {
      const command = context.pending[0]?.command;
      return event.type === 'server.reply' && classDigit(event.reply.code) === 2 && command?.verb === 'BDAT' && command.last;
    },
    isIdentified: ({ context }) => context.identity !== null,
    isAcceptedResetWhenIdentified: ({ context, event }) =>
      event.type === 'server.reply' && context.pending[0]?.kind === 'RSET' && classDigit(event.reply.code) === 2 && context.identity !== null,
    hasSender: ({ context }) => context.envelope.sender !== null,
    hasRecipients: ({ context }) => context.envelope.recipients.length > 0,
    hasReleasedLines: ({ context }) => context.released !== null,
    isEndOfData: ({ event }) => (event.type === 'client.line' || event.type === 'client.heldLine') && event.text === '.',
    /** A batch of message lines that contains the lone `.`: the message ends in it. */
    hasEndOfData: ({ event }) => event.type === 'client.dataLines' && event.texts.includes('.'),
  },
  actions: {
    /** Emits the step's transcript event: the new entry (or entries), or the update of a held line's entry. */
    publishTranscript: emit(({ context }) => stepEvent(context)),
    ...stepActions(steps),

    // Steps with a varying number of events.
    recordClosingReply: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'server.reply');
      const { patch, emitted } = recordClosingReply(context, event.reply);
      enqueue.assign({ ...patch, outbox: emitted });
      for (const item of emitted) enqueue.emit(item);
    }),
    /** Lines after a `.` in the batch are no longer message data: they are replayed as client lines. */
    replayLinesAfterEndOfData: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'client.dataLines');
      const end = event.texts.indexOf('.');
      if (end >= 0) for (const text of event.texts.slice(end + 1)) enqueue.raise({ type: 'client.line', text });
    }),
    /** Outside data mode a batch is just its lines, one by one. */
    replayDataLines: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'client.dataLines');
      for (const text of event.texts) enqueue.raise({ type: 'client.line', text });
    }),
    /** The reply to a mode-changing command decided what the held lines were: apply it. */
    releaseHeldLines: enqueueActions(({ context, enqueue }) => {
      const released = context.released;
      enqueue.assign({ released: null });
      if (released === null) return;
      for (const update of released.updates) enqueue.emit({ type: 'transcript.updated', update });
      for (const line of released.replay) enqueue.raise(line);
    }),
  },
});
