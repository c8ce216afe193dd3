/**
 * Plays a parsed script against any SMTP server reachable through a Transport and records the
 * conversation as events. Pure: the transport does the I/O.
 *
 * The runner acts like a careful client (nodemailer keeps the same kind of expected-reply
 * queue): it waits for the greeting before saying anything, since smtp-server answers
 * `421 You talk too soon` to early talkers; it sends each write group (a line plus its `+ `
 * lines) in one write and then waits until every line in it that expects a reply has one.
 * Which lines expect a reply depends on the replies: after 354 the lines up to `.` are message
 * data (one reply for all of them), after 334 the next line is an AUTH continuation.
 */
import { LineBuffer } from '../line-buffer.ts';
import { ReplyAssembler } from '../replies/parse-reply.ts';
import type { Reply } from '../replies/types.ts';
import type { Transport, TransportFactory } from '../transport.ts';
import type { ReplayEnd, ReplayEvent, ReplayOptions, ReplayResult, ScriptLine } from './types.ts';

const DEFAULT_REPLY_TIMEOUT_MS = 5000;

/** What the next line sent means to the server. */
type Mode = 'command' | 'auth-continuation' | 'data';

type Closed = { readonly kind: 'closed'; readonly reason: string | null };
type Arrival = { readonly kind: 'reply'; readonly reply: Reply } | Closed;
type Timeout = { readonly kind: 'timeout' };

/**
 * Connects through `open`, plays `lines` and resolves with every event and why it stopped.
 * Rejects only when `open` rejects (the server is unreachable), with its one-line reason.
 */
export async function runScript(
  lines: readonly ScriptLine[],
  open: TransportFactory,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const run = new ReplayRun(lines, options);
  const transport = await open({
    onData: (text) => run.receive(text),
    onClose: (reason) => run.serverClosed(reason ?? null),
  });
  return run.play(transport);
}

class ReplayRun {
  readonly #lines: readonly ScriptLine[];
  readonly #timeoutMs: number;
  readonly #options: ReplayOptions;
  readonly #events: ReplayEvent[] = [];
  readonly #lineBuffer = new LineBuffer();
  readonly #assembler = new ReplyAssembler();
  /** Replies and the close, in arrival order, not yet taken by the conversation loop. */
  readonly #arrivals: Arrival[] = [];
  /** What happened before the transport was open (a simulator may greet at once), replayed in order. */
  #early: (() => void)[] | null = [];
  #wake: (() => void) | null = null;
  #finished = false;

  constructor(lines: readonly ScriptLine[], options: ReplayOptions) {
    this.#lines = lines;
    this.#options = options;
    this.#timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  }

  /** Text from the server: replies are emitted as soon as they are complete. */
  receive(text: string): void {
    if (this.#finished) return;
    if (this.#early !== null) {
      this.#early.push(() => this.receive(text));
      return;
    }
    for (const line of this.#lineBuffer.push(text)) {
      const result = this.#assembler.push(line);
      if (result === null) continue;
      if (result.kind === 'error') {
        this.#emit({ type: 'server.unreadable', line: result.error.line, message: result.error.message });
        continue;
      }
      this.#emit({ type: 'server.reply', reply: result.reply });
      this.#arrive({ kind: 'reply', reply: result.reply });
    }
  }

  /** The server (or the network) closed the connection. */
  serverClosed(reason: string | null): void {
    if (this.#finished) return;
    if (this.#early !== null) this.#early.push(() => this.serverClosed(reason));
    else this.#arrive({ kind: 'closed', reason });
  }

  async play(transport: Transport): Promise<ReplayResult> {
    this.#emit({ type: 'socket.opened', server: this.#options.serverName ?? 'server' });
    const early = this.#early ?? [];
    this.#early = null;
    for (const replay of early) replay();

    const greeting = await this.#next();
    if (greeting.kind !== 'reply') return this.#endAfter(greeting, transport);

    let mode: Mode = 'command';
    let cursor = 0;
    while (cursor < this.#lines.length) {
      const closed = this.#arrivals.find((arrival): arrival is Closed => arrival.kind === 'closed');
      if (closed) return this.#endAfter(closed, transport);

      const group = takeWriteGroup(this.#lines, cursor, mode);
      cursor += group.length;
      for (const line of group) this.#emit({ type: 'client.line', text: line.text });
      transport.write(group.map((line) => `${line.text}\r\n`).join(''));

      const pending = [...group];
      while (countExpectedReplies(pending, mode) > 0) {
        const arrival = await this.#next();
        if (arrival.kind !== 'reply') return this.#endAfter(arrival, transport);
        const answered = takeAnsweredLines(pending, mode);
        const command = mode === 'command' ? verbOf(answered[0]?.text ?? '') : null;
        mode = nextMode(mode, command, arrival.reply.code);

        if (command === 'QUIT') return this.#endAfterQuit(transport);
        if (command === 'STARTTLS' && arrival.reply.code === 220) {
          // Anything pipelined after STARTTLS went out in plaintext before the handshake;
          // smtp-server discards it unanswered (the defence against STARTTLS command
          // injection, CVE-2011-0411). So nothing more is awaited for this group.
          pending.length = 0;
          if (!(await this.#startTls(transport))) return this.#finish('tls-failed', transport, 'the TLS handshake failed');
        }
      }
    }
    return this.#finish('end-of-script', transport, 'end of script: the client closed the connection');
  }

  async #startTls(transport: Transport): Promise<boolean> {
    try {
      const tls = await withTimeout(transport.startTls(), this.#timeoutMs, `no TLS handshake within ${this.#timeoutMs} ms`);
      this.#emit({ type: 'tls.established', tls });
      return true;
    } catch (error) {
      this.#emit({ type: 'tls.failed', reason: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** After the reply to QUIT the server should hang up (RFC 5321 §4.1.1.10); wait for it. */
  async #endAfterQuit(transport: Transport): Promise<ReplayResult> {
    for (;;) {
      const arrival = await this.#next();
      if (arrival.kind === 'closed') return this.#finish('quit', transport, arrival.reason, true);
      if (arrival.kind === 'timeout') {
        return this.#finish('quit', transport, `the server did not close within ${this.#timeoutMs} ms after QUIT; the client closed the connection`);
      }
    }
  }

  #endAfter(arrival: Closed | Timeout, transport: Transport): ReplayResult {
    if (arrival.kind === 'closed') return this.#finish('server-closed', transport, arrival.reason, true);
    return this.#finish('reply-timeout', transport, `no reply within ${this.#timeoutMs} ms; the client gave up and closed the connection`);
  }

  #finish(end: ReplayEnd, transport: Transport, reason: string | null, serverClosed = false): ReplayResult {
    this.#finished = true;
    if (!serverClosed) transport.close();
    this.#emit({ type: 'socket.closed', reason });
    return { events: this.#events, end };
  }

  /** The next reply or close, or 'timeout' when none comes within the reply timeout. */
  #next(): Promise<Arrival | Timeout> {
    const ready = this.#arrivals.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve({ kind: 'timeout' });
      }, this.#timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        const arrival = this.#arrivals.shift();
        if (arrival) resolve(arrival);
      };
    });
  }

  #arrive(arrival: Arrival): void {
    this.#arrivals.push(arrival);
    this.#wake?.();
  }

  #emit(event: ReplayEvent): void {
    this.#events.push(event);
    this.#options.onEvent?.(event);
  }
}

/**
 * The lines sent in one write from `start`: the line and its `+ ` lines; in data mode the
 * whole message up to and including `.`, plus any `+ ` lines pipelined after it.
 */
function takeWriteGroup(lines: readonly ScriptLine[], start: number, mode: Mode): ScriptLine[] {
  let end = start + 1;
  if (mode === 'data') {
    while (end <= lines.length && lines[end - 1]?.text !== '.') end++;
    end = Math.min(end, lines.length);
  }
  while (lines[end]?.pipelined) end++;
  return lines.slice(start, end);
}

/**
 * How many replies the unanswered lines still call for, assuming a DATA inside the group
 * gets its 354 (the lines after it were written as message data). If the server refuses
 * DATA instead, the mode stays 'command' and the recount asks for a reply per line: the
 * server then reads those lines as commands.
 */
function countExpectedReplies(pending: readonly ScriptLine[], mode: Mode): number {
  let count = 0;
  let predicted = mode;
  for (const line of pending) {
    if (predicted === 'data') {
      if (line.text === '.') {
        count++;
        predicted = 'command';
      }
      continue;
    }
    count++;
    predicted = predicted === 'command' && verbOf(line.text) === 'DATA' ? 'data' : 'command';
  }
  return count;
}

/** Removes from `pending` the line(s) a reply answers: one line, or the message data through `.`. */
function takeAnsweredLines(pending: ScriptLine[], mode: Mode): ScriptLine[] {
  if (mode !== 'data') return pending.splice(0, 1);
  const dot = pending.findIndex((line) => line.text === '.');
  return pending.splice(0, dot === -1 ? pending.length : dot + 1);
}

function nextMode(mode: Mode, command: string | null, code: number): Mode {
  if (code === 334) return 'auth-continuation';
  if (mode === 'command' && command === 'DATA' && code === 354) return 'data';
  return 'command';
}

/** The command verb of a line, upper-cased ("mail from:<a>" → "MAIL"). */
function verbOf(text: string): string {
  return (text.trimStart().split(/[\s:]/, 1)[0] ?? '').toUpperCase();
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
