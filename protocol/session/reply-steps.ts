/**
 * What the model does with one server reply. Replies pair with pending commands in order
 * (RFC 2920 §3.1: the server answers pipelined commands in the order it received them). All
 * functions are pure and return an Outcome the machine's actions apply.
 */
import { explainReply } from '../replies/index.ts';
import type { Reply } from '../replies/types.ts';
import { isModeChanging, kindLabel, userFromResponse } from './line-steps.ts';
import { replyEntry, type Outcome } from './transcript.ts';
import type { AuthStatus, HeldLine, PendingCommand, SessionContext, SessionEmitted, SessionMachineEvent } from './types.ts';
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

function answerNotes(head: PendingCommand, code: number): string[] {
  const notes = [`This reply answers ${kindLabel(head.kind)}${head.pipelined ? ' (pipelined)' : ''}.`];
  const digit = classDigit(code);
  if (code === 421 || (digit !== 4 && digit !== 5)) return notes;
  if (head.kind === 'END-OF-DATA') {
    notes.push('The server refused the message. The transaction is over either way (RFC 5321 §4.1.1.4): start again with MAIL FROM.');
  } else {
    notes.push('Rejected: the session state did not change.');
  }
  return notes;
}

/**
 * Pairs the reply with the oldest pending command, records both sides, and — when that
 * command was the mode-changing one the held lines wait behind — settles the held lines.
 */
export function answerPending(context: SessionContext, reply: Reply): Outcome<SessionMachineEvent> {
  const [head, ...rest] = context.pending;
  if (head === undefined) return { patch: {}, emitted: [] };
  const index = context.transcriptLength;
  const emitted: SessionEmitted[] = [
    replyEntry(index, reply, explainReply(reply, answeredVerb(head)), answerNotes(head, reply.code), head.transcriptIndex),
    { type: 'transcript.updated', update: { index: head.transcriptIndex, answeredBy: index } },
  ];
  const digit = classDigit(reply.code);
  const patch: { -readonly [K in keyof SessionContext]?: SessionContext[K] } = {
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
  const raised: SessionMachineEvent[] = [];
  if (rest.length === 0 && context.held.length > 0 && isModeChanging(head.kind)) {
    settleHeldLines(context, head, reply.code, patch, emitted, raised);
  }
  return { patch, emitted, raised };
}

/** Decides what the held lines were, now that the mode-changing command is answered. */
function settleHeldLines(
  context: SessionContext,
  head: PendingCommand,
  code: number,
  patch: { -readonly [K in keyof SessionContext]?: SessionContext[K] },
  emitted: SessionEmitted[],
  raised: SessionMachineEvent[],
): void {
  let replay: readonly HeldLine[] = context.held;
  patch.held = [];
  if (head.kind === 'STARTTLS' && code === 220) {
    for (const line of replay) {
      emitted.push({
        type: 'transcript.updated',
        update: {
          index: line.transcriptIndex,
          role: 'discarded',
          explanation: 'Sent after STARTTLS but before the TLS handshake: the server discards this plaintext (RFC 3207 §4.2). Wait for the handshake, then send EHLO again.',
        },
      });
    }
    return;
  }
  if (head.kind === 'BDAT' && head.command?.verb === 'BDAT' && !isUnknownCommandReply(code)) {
    replay = takeChunk(context, head.command.size, classDigit(code) === 2, patch, emitted);
  }
  for (const line of replay) {
    raised.push({ type: 'client.heldLine', text: line.text, transcriptIndex: line.transcriptIndex, heldBehind: head.kind, settledBy: code });
  }
}

/** 500/502/504: the server does not know BDAT, so it never read a chunk (smtp-server does this). */
function isUnknownCommandReply(code: number): boolean {
  return code === 500 || code === 502 || code === 504;
}

/**
 * RFC 3030 §2: the BDAT chunk is exactly `size` octets after the command line, read whatever
 * the reply. Held lines up to that size are the chunk; a taken chunk joins the draft.
 */
function takeChunk(
  context: SessionContext,
  size: number,
  taken: boolean,
  patch: { -readonly [K in keyof SessionContext]?: SessionContext[K] },
  emitted: SessionEmitted[],
): readonly HeldLine[] {
  let octets = 0;
  let consumed = 0;
  let body = context.draft?.body ?? '';
  for (const line of context.held) {
    if (octets >= size) break;
    octets += utf8Bytes(line.text) + 2;
    consumed++;
    if (taken) body += line.text + '\r\n';
    emitted.push({
      type: 'transcript.updated',
      update: {
        index: line.transcriptIndex,
        role: taken ? 'chunk-data' : 'discarded',
        explanation: taken
          ? 'Part of the BDAT chunk: sent as raw bytes, with no dot-stuffing (RFC 3030).'
          : 'Part of a BDAT chunk the server refused: it read these bytes and dropped them (RFC 3030).',
      },
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
    emitted: [replyEntry(index, reply, explainReply(reply), [note], null)],
  };
}
