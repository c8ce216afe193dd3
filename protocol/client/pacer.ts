/**
 * The one pacer: when the next client lines may go, and how many in one write, decided by
 * the session model (its pending replies, held lines and state), like a careful client.
 * Without PIPELINING each command waits for its reply; with it (RFC 2920) commands are
 * grouped, a group ending at a command whose reply changes what comes next. Message lines
 * after 354 go as one write up to the final ".", since the server answers only that; after
 * `BDAT n` the next n octets are chunk data and go without waiting (RFC 3030).
 *
 * Typed or pasted text uses `nextGroupSize`; scripts (replay, "Show solution", lesson checks)
 * use `paceScript`, so a lesson solution is proven with the pacing that plays it.
 */
import type { ScriptLine } from '../replay/types.ts';
import { statePath, type SessionSnapshot } from '../session/index.ts';
import { utf8Bytes } from '../session/wire-text.ts';

/**
 * Commands after which a group ends. RFC 2920 §3.1: "The EHLO, DATA, VRFY, EXPN, TURN, QUIT,
 * and NOOP commands can only appear as the last command in a group". AUTH (RFC 4954 §4: the
 * exchange follows the reply) and STARTTLS (RFC 3207 §4.2: nothing may follow it in a group)
 * end one too; after BDAT only its chunk octets follow (RFC 3030 §2, see chunkOctetsOwed).
 * HELO is not in RFC 2920's list, but PIPELINING is negotiated by EHLO only (§3.1), so a
 * client that sends HELO is not pipelining: waiting after it is what RFC 5321 asks.
 */
const GROUP_ENDERS = new Set(['EHLO', 'HELO', 'DATA', 'VRFY', 'EXPN', 'TURN', 'QUIT', 'NOOP', 'AUTH', 'STARTTLS', 'BDAT']);

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
  if (chunkOctetsOwed(snapshot) > 0) return false;
  const { pending, held } = snapshot.context;
  return pending.length > 0 || held.length > 0 || WAITING_STATES.has(statePath(snapshot.value));
}

/**
 * Octets of a BDAT chunk still to send: the server reads them before it answers BDAT, so a
 * client that waited for the reply first would wait forever. 0 when no chunk is owed.
 */
export function chunkOctetsOwed(snapshot: SessionSnapshot): number {
  const { pending, held } = snapshot.context;
  const last = pending.at(-1);
  if (last?.command?.verb !== 'BDAT') return 0;
  let owed = last.command.size;
  // Lines sent after the BDAT line are held by the model until the reply: they are the chunk.
  for (const line of held) if (line.transcriptIndex > last.transcriptIndex) owed -= utf8Bytes(line.text) + 2;
  return Math.max(owed, 0);
}

/** How many of the queued lines to send now as one write; 0 when it is time to wait. */
export function nextGroupSize(queue: readonly string[], snapshot: SessionSnapshot, pipelining: boolean): number {
  if (queue.length === 0 || mustWait(snapshot)) return 0;
  const state = statePath(snapshot.value);
  if (state === 'data') return throughEndOfData(queue);
  if (chunkOctetsOwed(snapshot) > 0) return 1;
  if (!pipelining || state.startsWith('authenticating')) return 1;
  const ender = queue.findIndex((line) => GROUP_ENDERS.has(verbOf(line)));
  return ender === -1 ? queue.length : ender + 1;
}

/**
 * How many script lines from `cursor` go now as one write (0: wait): the line and its `+ `
 * lines; in data mode the whole message up to and including `.`, plus `+ ` lines after it.
 */
export function nextScriptGroup(lines: readonly ScriptLine[], cursor: number, snapshot: SessionSnapshot): number {
  if (cursor >= lines.length || mustWait(snapshot)) return 0;
  let end = cursor + 1;
  if (statePath(snapshot.value) === 'data') end = cursor + throughEndOfData(lines.slice(cursor).map((line) => line.text));
  while (lines[end]?.pipelined) end++;
  return end - cursor;
}

/** Whether the server advertised PIPELINING in its EHLO reply. */
export function offersPipelining(snapshot: SessionSnapshot): boolean {
  const extensions = snapshot.context.extensions;
  return extensions !== null && 'PIPELINING' in extensions;
}

/** What the pacer needs of an AbortSignal (protocol/ declares no DOM or Node types). */
export interface StopSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A connection as the script pacer sees it: the model fed with its events, and a way to write. */
export interface PacedConnection {
  /** The session model's snapshot, read fresh. */
  snapshot(): SessionSnapshot;
  /** True once the connection is closed. */
  readonly closed: boolean;
  /** Sends these lines, CRLF after each, in one write. */
  write(lines: readonly string[]): void;
  /** Resolves true at the next event on the connection, false after `ms` without one. */
  nextChange(ms: number): Promise<boolean>;
}

export interface PaceOptions {
  /** The pause before each write, so a learner can follow (0 for none). */
  readonly delayMs: number;
  /** How long a wait may go without any event before the play is stuck. */
  readonly timeoutMs: number;
  /** Aborting stops the play before its next write. */
  readonly signal?: StopSignal;
  /** Called after each write with the lines sent and how many of the script's lines are sent so far. */
  readonly onWrite?: (lines: readonly string[], sent: number) => void;
  /** Asked, once every earlier reply is in, before the last write when it is a lone QUIT: true leaves it unsent. */
  readonly leaveOpen?: () => boolean;
}

/** How a paced play ended: all lines written, aborted, no event in time, or the connection closed. */
export type PaceEnd = 'finished' | 'stopped' | 'stuck' | 'closed';

/** Writes a script's lines into a connection, each group when the model is ready for it. */
export async function paceScript(lines: readonly ScriptLine[], connection: PacedConnection, options: PaceOptions): Promise<PaceEnd> {
  let cursor = 0;
  while (cursor < lines.length) {
    if (options.delayMs > 0 && (await pause(options.delayMs, options.signal))) return 'stopped';
    const ready = await waitUntil(() => connection.closed || nextScriptGroup(lines, cursor, connection.snapshot()) > 0, connection, options);
    if (ready !== 'met') return ready;
    if (connection.closed) return 'closed';
    const size = nextScriptGroup(lines, cursor, connection.snapshot());
    const group = lines.slice(cursor, cursor + size).map((line) => line.text);
    if (cursor + size === lines.length && isLoneQuit(group) && options.leaveOpen !== undefined) {
      // One more turn of the event loop: a host may redraw its view of the last reply on a timer.
      if (await pause(0, options.signal)) return 'stopped';
      if (options.leaveOpen()) return 'finished';
    }
    cursor += size;
    connection.write(group);
    options.onWrite?.(group, cursor);
  }
  return 'finished';
}

/**
 * Waits until `condition` holds, checking it after every event; 'stuck' when no event came
 * for `timeoutMs`, 'stopped' when the signal aborts.
 */
export async function waitUntil(
  condition: () => boolean,
  connection: Pick<PacedConnection, 'nextChange'>,
  options: Pick<PaceOptions, 'timeoutMs' | 'signal'>,
): Promise<'met' | 'stopped' | 'stuck'> {
  let quietSince = Date.now();
  for (;;) {
    if (options.signal?.aborted) return 'stopped';
    if (condition()) return 'met';
    const left = quietSince + options.timeoutMs - Date.now();
    if (left <= 0) return 'stuck';
    if (await connection.nextChange(left)) quietSince = Date.now();
  }
}

/** Waits `ms`; true when aborted meanwhile. */
export function pause(ms: number, signal?: StopSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve(signal?.aborted ?? false);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

function throughEndOfData(queue: readonly string[]): number {
  const end = queue.indexOf('.');
  return end === -1 ? queue.length : end + 1;
}

function isLoneQuit(group: readonly string[]): boolean {
  return group.length === 1 && /^QUIT\s*$/i.test(group[0] ?? '');
}

function verbOf(line: string): string {
  return (/^\s*([A-Za-z]+)/.exec(line)?.[1] ?? '').toUpperCase();
}
