/**
 * How several lines go out (a paste, a replay): like a careful client. Without PIPELINING
 * each command waits for its reply; with it (RFC 2920) commands are grouped, a group ending
 * at a command whose reply changes what comes next. Message lines after 354 always go as one
 * write up to the final ".", since the server answers only that.
 */
import { statePath, type SessionSnapshot } from '../../../../protocol/session/index.ts';

/**
 * RFC 2920 §3.1: EHLO, DATA, VRFY, EXPN, TURN, QUIT and NOOP may only end a group; AUTH
 * (RFC 4954) and STARTTLS (RFC 3207) change the conversation, so they end one too.
 */
const GROUP_ENDERS = new Set(['EHLO', 'HELO', 'DATA', 'VRFY', 'EXPN', 'QUIT', 'NOOP', 'AUTH', 'STARTTLS', 'BDAT']);

/** States in which the server has not finished answering, or a handshake is under way. */
const WAITING_STATES = new Set(['disconnected', 'awaitingGreeting', 'startingTls.awaitingReady', 'startingTls.handshaking', 'closing', 'closed']);

/** Splits typed or pasted text into lines (CRLF, LF or CR); one trailing line end is dropped. */
export function splitTypedLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** True while the model still waits for replies (or a handshake) before more lines should go. */
export function mustWait(snapshot: SessionSnapshot): boolean {
  const { pending, held } = snapshot.context;
  return pending.length > 0 || held.length > 0 || WAITING_STATES.has(statePath(snapshot.value));
}

/** How many of the queued lines to send now as one write; 0 when it is time to wait. */
export function nextGroupSize(queue: readonly string[], snapshot: SessionSnapshot, pipelining: boolean): number {
  if (queue.length === 0 || mustWait(snapshot)) return 0;
  const state = statePath(snapshot.value);
  if (state === 'data') {
    const end = queue.indexOf('.');
    return end === -1 ? queue.length : end + 1;
  }
  if (!pipelining || state.startsWith('authenticating')) return 1;
  const ender = queue.findIndex((line) => GROUP_ENDERS.has(verbOf(line)));
  return ender === -1 ? queue.length : ender + 1;
}

/** Whether the server advertised PIPELINING in its EHLO reply. */
export function offersPipelining(snapshot: SessionSnapshot): boolean {
  const extensions = snapshot.context.extensions;
  return extensions !== null && 'PIPELINING' in extensions;
}

function verbOf(line: string): string {
  return (/^\s*([A-Za-z]+)/.exec(line)?.[1] ?? '').toUpperCase();
}
