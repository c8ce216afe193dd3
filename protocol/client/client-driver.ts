/**
 * The one client driver: the client's side of an SMTP connection, for every host (the
 * simulated connection in the browser, the WebSocket bridge, the replay CLI, lesson checks).
 * Text in, events out: it writes client text to a Transport and reports each line as a
 * `client.line`, splits the server's text into lines and complete (multi-line) replies, and
 * hands events to the host in batches. The host feeds each batch to its session model; the
 * driver then asks that model when the TLS handshake must start (the model pairs replies with
 * commands, pipelining included, so it knows which 220 answers STARTTLS). The driver decides
 * when; the transport does how (Node's TLS upgrade, or the simulator's).
 */
import { ReplyAssembler } from '../replies/parse-reply.ts';
import type { Reply } from '../replies/types.ts';
import type { ReplayEvent } from '../replay/types.ts';
import { statePath, type SessionSnapshot } from '../session/index.ts';
import type { Transport, TransportFactory } from '../transport.ts';
import { LineBuffer } from './line-buffer.ts';

export interface ClientDriverHandlers {
  /**
   * Events in wire order, as few calls as possible. The host feeds them to its session model
   * before returning (server.unreadable excepted: the model has no event for it).
   */
  onEvents(events: readonly ReplayEvent[]): void;
  /** The host's session model, read fresh after each batch. */
  snapshot(): SessionSnapshot;
  /** Connected: called before `socket.opened` is reported. */
  onConnected?(transport: Transport): void;
  /** The connection ended and `socket.closed` was reported; `byServer` when the server or network closed it. */
  onClosed?(reason: string | null, byServer: boolean): void;
}

export interface ClientDriverOptions {
  /** Put the exact wire text (line ends included) in `raw` of lines, replies and unreadable lines. */
  readonly raw?: boolean;
  /**
   * Longest unfinished line kept in memory, per direction (default DEFAULT_MAX_UNFINISHED_LINE).
   * Past it the text is handed out as a line; from the server, as `server.unreadable` saying so.
   */
  readonly maxUnfinishedLine?: number;
  /**
   * Most server text kept while the transport is still opening (default DEFAULT_MAX_EARLY_TEXT).
   * Past it the driver stops reading and, once connected, closes with a reason saying why.
   */
  readonly maxEarlyText?: number;
  /**
   * Client lines wait up to this long for the server's reply before they are handed out alone,
   * so a command and its reply go out in one batch. Undefined: handed out at once.
   */
  readonly coalesceMs?: number;
  /** Longest TLS handshake before it counts as failed (default: the transport's own limit). */
  readonly handshakeTimeoutMs?: number;
  /** Why the connection closed, from what the driver saw (default: the transport's reason). */
  readonly closeReason?: (closed: ServerClose) => string | null;
}

/** What the driver knows when the server or network closes the connection. */
export interface ServerClose {
  /** The transport's reason, when it was not a normal close. */
  readonly socketError: string | undefined;
  readonly lastReply: Reply | null;
  /** Why the TLS handshake failed, if it did. */
  readonly tlsFailure: string | null;
}

/**
 * Characters. RFC 5321 §4.5.3.1 allows 512-octet reply lines and 1000-octet text lines; a
 * generous multiple of both still stops a peer that never ends its line from filling memory.
 */
export const DEFAULT_MAX_UNFINISHED_LINE = 65_536;
/** Characters of server text before the connection is ready: a greeting needs a few hundred. */
export const DEFAULT_MAX_EARLY_TEXT = 65_536;

type Phase = 'connecting' | 'open' | 'handshaking' | 'closed';

export class ClientDriver {
  readonly #handlers: ClientDriverHandlers;
  readonly #options: ClientDriverOptions;
  readonly #clientLines: LineBuffer;
  readonly #serverLines: LineBuffer;
  readonly #replies = new ReplyAssembler();
  /** Raw lines of the reply being assembled. */
  #replyRaw: string[] = [];
  #transport: Transport | null = null;
  #phase: Phase = 'connecting';
  /** Server text and closes that came while the transport was opening, replayed in order. */
  #early: (() => void)[] = [];
  #earlyText = 0;
  /** The server sent more than maxEarlyText while connecting: the rest was not read. */
  #earlyOverflow = false;
  /** Client text to write once connected, or once the TLS handshake is done. */
  #held: string[] = [];
  /** Events not yet handed to the host, in order. */
  #outbox: ReplayEvent[] = [];
  #coalesceTimer: ReturnType<typeof setTimeout> | undefined;
  #lastReply: Reply | null = null;
  #tlsFailure: string | null = null;

  constructor(handlers: ClientDriverHandlers, options: ClientDriverOptions = {}) {
    this.#handlers = handlers;
    this.#options = options;
    this.#clientLines = new LineBuffer(options.maxUnfinishedLine ?? DEFAULT_MAX_UNFINISHED_LINE);
    this.#serverLines = new LineBuffer(options.maxUnfinishedLine ?? DEFAULT_MAX_UNFINISHED_LINE);
  }

  /** True from connected until closed (also during a TLS handshake). */
  get isOpen(): boolean {
    return this.#phase === 'open' || this.#phase === 'handshaking';
  }

  get isClosed(): boolean {
    return this.#phase === 'closed';
  }

  /** Why the TLS handshake failed, or null. */
  get tlsFailure(): string | null {
    return this.#tlsFailure;
  }

  /**
   * Opens the transport and reports `socket.opened` naming `server`. Rejects with the
   * transport's one-line reason when the server is unreachable (nothing is reported then).
   */
  async connect(open: TransportFactory, server: string): Promise<void> {
    const transport = await open({
      onData: (text) => this.#whenOpen(() => this.#receive(text), text.length),
      onClose: (reason) => this.#whenOpen(() => this.#serverClosed(reason)),
    });
    if (this.#phase === 'closed') {
      transport.close();
      return;
    }
    this.#transport = transport;
    this.#phase = 'open';
    this.#handlers.onConnected?.(transport);
    this.#outbox.push({ type: 'socket.opened', server });
    const early = this.#early;
    this.#early = [];
    for (const replay of early) replay();
    this.flush();
    if (this.#earlyOverflow && this.#phase === 'open') {
      const limit = this.#options.maxEarlyText ?? DEFAULT_MAX_EARLY_TEXT;
      this.#serverClosed(`The server sent more than ${limit} characters before the connection was ready; SMTP Lab stopped reading and closed it.`);
      transport.close();
      return;
    }
    this.#writeHeld();
  }

  /** Writes client text exactly as given (CRLFs included); held while connecting or during a TLS handshake. */
  send(text: string): void {
    if (this.#phase === 'closed') return;
    if (this.#phase !== 'open') {
      this.#held.push(text);
      return;
    }
    // Queued before the write: a server in this process (the simulator, a test) may answer inside it.
    for (const line of this.#clientLines.pushRaw(text)) {
      this.#outbox.push(this.#options.raw ? { type: 'client.line', text: line.text, raw: line.raw } : { type: 'client.line', text: line.text });
    }
    this.#transport?.write(text);
    if (this.#options.coalesceMs === undefined) this.flush();
    else this.#coalesceTimer ??= setTimeout(() => this.flush(), this.#options.coalesceMs);
  }

  /** Closes from the client side; reports `socket.closed` with `reason` unless `report` is false. */
  close(reason: string | null, report = true): void {
    if (this.#phase === 'closed') return;
    const connected = this.#phase !== 'connecting';
    if (connected && report) this.#outbox.push({ type: 'socket.closed', reason });
    if (connected) this.flush();
    this.#end();
    this.#transport?.close();
    if (connected && report) this.#handlers.onClosed?.(reason, false);
  }

  /** Hands the waiting events to the host, then starts the TLS handshake if the model says so. */
  flush(): void {
    clearTimeout(this.#coalesceTimer);
    this.#coalesceTimer = undefined;
    if (this.#outbox.length === 0) return;
    const events = this.#outbox;
    this.#outbox = [];
    this.#handlers.onEvents(events);
    if (this.#phase === 'open' && statePath(this.#handlers.snapshot().value) === 'startingTls.handshaking') this.#startTls();
  }

  /** Runs `work` now, or once connected; `size` is the text it carries, counted against maxEarlyText. */
  #whenOpen(work: () => void, size = 0): void {
    if (this.#phase === 'connecting') {
      if (this.#earlyOverflow) return;
      this.#earlyText += size;
      if (this.#earlyText > (this.#options.maxEarlyText ?? DEFAULT_MAX_EARLY_TEXT)) this.#earlyOverflow = true;
      else this.#early.push(work);
    } else if (this.#phase !== 'closed') work();
  }

  #receive(text: string): void {
    for (const line of this.#serverLines.pushRaw(text)) {
      if (line.cut) {
        const limit = this.#options.maxUnfinishedLine ?? DEFAULT_MAX_UNFINISHED_LINE;
        this.#unreadable(line.text, `The server sent more than ${limit} characters without a line end; SMTP Lab shows them as one cut line.`, line.raw);
        continue;
      }
      if (this.#options.raw) this.#replyRaw.push(line.raw);
      const result = this.#replies.push(line.text);
      if (result === null) continue;
      const raw = this.#replyRaw.join('');
      this.#replyRaw = [];
      if (result.kind === 'error') {
        this.#unreadable(result.error.line, result.error.message, raw);
        continue;
      }
      this.#lastReply = result.reply;
      this.#outbox.push(this.#options.raw ? { type: 'server.reply', reply: result.reply, raw } : { type: 'server.reply', reply: result.reply });
    }
    this.flush();
  }

  #unreadable(line: string, message: string, raw: string): void {
    this.#outbox.push(this.#options.raw ? { type: 'server.unreadable', line, message, raw } : { type: 'server.unreadable', line, message });
  }

  #startTls(): void {
    const transport = this.#transport;
    if (transport === null) return;
    this.#phase = 'handshaking';
    const timeoutMs = this.#options.handshakeTimeoutMs;
    const handshake = timeoutMs === undefined ? transport.startTls() : withTimeout(transport.startTls(), timeoutMs, `no TLS handshake within ${timeoutMs} ms`);
    handshake.then(
      (tls) => {
        if (this.#phase !== 'handshaking') return;
        this.#phase = 'open';
        this.#outbox.push({ type: 'tls.established', tls });
        this.flush();
        this.#writeHeld();
      },
      (error: unknown) => {
        if (this.#phase !== 'handshaking') return;
        // The transport drops the socket after a failed handshake and reports the close.
        this.#phase = 'open';
        this.#tlsFailure = error instanceof Error ? error.message : String(error);
        this.#outbox.push({ type: 'tls.failed', reason: this.#tlsFailure });
        this.flush();
      },
    );
  }

  #writeHeld(): void {
    const held = this.#held;
    this.#held = [];
    for (const text of held) this.send(text);
  }

  #serverClosed(socketError: string | undefined): void {
    const closed: ServerClose = { socketError, lastReply: this.#lastReply, tlsFailure: this.#tlsFailure };
    const reason = this.#options.closeReason?.(closed) ?? socketError ?? null;
    this.#outbox.push({ type: 'socket.closed', reason });
    this.flush();
    this.#end();
    this.#handlers.onClosed?.(reason, true);
  }

  #end(): void {
    this.#phase = 'closed';
    clearTimeout(this.#coalesceTimer);
    this.#outbox = [];
    this.#held = [];
    this.#early = [];
  }
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
