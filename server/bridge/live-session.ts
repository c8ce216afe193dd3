/**
 * One learner session on a live SMTP server: its own TCP connection, the text the learner
 * types written to it byte for byte, the server's text split into replies, STARTTLS, both
 * directions fed into the protocol's session model, and the idle and lifetime limits.
 *
 * Latency first: the learner's text goes to the server before anything else happens, and a
 * server reply goes to the browser before the session model reads it. The wire events of a
 * command wait in an outbox until the reply (the sandbox runs on this same thread, so work
 * done in between would only delay its answer) or for MODEL_DELAY_MS at most; then they
 * go out together, and the model and the annotation catch up.
 *
 * Bounded: the learner's browser gets every event (it sent those lines itself), but the copy
 * that is recorded and watched keeps only the first and last lines of each message
 * (message-window.ts), and a session that sends more than its data budget, or records more
 * than its event or byte limit, is closed with the reason.
 */
import { ReplyAssembler } from '../../protocol/replies/parse-reply.ts';
import type { Reply } from '../../protocol/replies/types.ts';
import {
  createSessionActor,
  isMessageLine,
  statePath,
  summarizeSession,
  type SessionEvent,
  type SessionSummary,
  type TranscriptEntry,
} from '../../protocol/session/index.ts';
import { BoundedEventLog } from '../../protocol/session/message-window.ts';
import { addChangedIndexes } from '../../protocol/session/transcript.ts';
import type { Transport } from '../../protocol/transport.ts';
import { toWireSummary, type ClosedBy, type WireSessionEvent, type WireSessionSummary } from '../../protocol/wire/contract.ts';
import { createTcpTransport } from '../transport/tcp-transport.ts';
import { hostPort, type BridgeTarget } from './bridge-options.ts';
import { dataBudgetReason, eventLimitReason, idleReason, lifetimeReason, serverCloseReason, transcriptLimitReason } from './close-reasons.ts';
import { RawLineSplitter } from './raw-lines.ts';

export interface LiveSessionSettings {
  readonly target: BridgeTarget;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxSessionMs: number;
  /** Longest unfinished line kept in memory, per direction. */
  readonly maxUnfinishedLine: number;
  /** UTF-8 bytes the learner may send in all (the data budget). */
  readonly maxDataBytes: number;
  /** Events recorded at most (the closing event is recorded beyond it). */
  readonly maxEvents: number;
  /** Bytes of recorded events at most, as JSON. */
  readonly maxTranscriptBytes: number;
}

export interface LiveSessionHandlers {
  /** The TCP connection is up; comes before the first event. */
  onOpened(): void;
  /** Wire events in order, as few calls as possible (one write to the browser each). */
  onEvents(events: readonly WireSessionEvent[]): void;
  /** The same events as kept for the transcript and watchers: message lines bounded per message. */
  onRecorded(events: readonly WireSessionEvent[]): void;
  /** Transcript entries added or changed since the last call, and the summary after them. */
  onAnnotation(entries: readonly TranscriptEntry[], summary: WireSessionSummary): void;
  /** The session ended (called once, also when the connection could not be made). */
  onClosed(reason: string, by: ClosedBy): void;
  /** A failure of the bridge itself; the session is closed with by "error". */
  onError(error: Error): void;
}

type Phase = 'connecting' | 'open' | 'handshaking' | 'closed';

/** How long the learner's lines may wait for the server's reply before they are sent alone. */
const MODEL_DELAY_MS = 1;

export class LiveSession {
  readonly startedAt = new Date();
  readonly #settings: LiveSessionSettings;
  readonly #handlers: LiveSessionHandlers;
  readonly #where: string;
  readonly #model = createSessionActor();
  readonly #clientLines: RawLineSplitter;
  readonly #serverLines: RawLineSplitter;
  readonly #replies = new ReplyAssembler();
  /** Raw lines of the reply being assembled. */
  #replyRaw: string[] = [];
  #transport: Transport | null = null;
  #localPort: number | null = null;
  #phase: Phase = 'connecting';
  /** Text the learner sent while the TLS handshake ran; written once it is done. */
  #heldForTls: string[] = [];
  #lastReply: Reply | null = null;
  #tlsFailure: string | null = null;
  /** Transcript indexes changed since the last annotation. */
  readonly #dirty = new Set<number>();
  /** Wire events not yet sent to the browser (nor fed to the model), in order. */
  #outbox: WireSessionEvent[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  /** The recorded copy: message lines bounded per message. */
  readonly #kept = new BoundedEventLog<WireSessionEvent>(
    (event) => event.text,
    (elided) => ({ type: 'client.elided', ...elided }),
  );
  #sentBytes = 0;
  #recordedEvents = 0;
  #recordedBytes = 0;
  /** Set once a recording limit is reached: nothing more is recorded but the close. */
  #recordingFull = false;
  /** A limit reached during a flush: the session closes with it once the flush is done. */
  #closeFor: string | null = null;
  #idleTimer: NodeJS.Timeout | undefined;
  #lifetimeTimer: NodeJS.Timeout | undefined;

  constructor(settings: LiveSessionSettings, handlers: LiveSessionHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#where = settings.target.address ?? hostPort(settings.target.host, settings.target.port);
    this.#clientLines = new RawLineSplitter(settings.maxUnfinishedLine);
    this.#serverLines = new RawLineSplitter(settings.maxUnfinishedLine);
    this.#model.actor.on('*', (emitted) => addChangedIndexes(emitted, this.#dirty));
  }

  /** "host:port" of the target. */
  get server(): string {
    return this.#where;
  }

  /** The local TCP port of the connection to the target, once connected. */
  get localPort(): number | null {
    return this.#localPort;
  }

  get isOpen(): boolean {
    return this.#phase === 'open' || this.#phase === 'handshaking';
  }

  /** Connects; a failure ends the session with the transport's one-line reason. */
  async open(): Promise<void> {
    const { host, port, tls } = this.#settings.target;
    const connect = createTcpTransport(host, port, {
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      tls,
      onConnected: (local) => {
        this.#localPort = local.port;
      },
    });
    let transport: Transport;
    try {
      transport = await connect({
        onData: (text) => this.#guard(() => this.#receive(text)),
        onClose: (reason) => this.#guard(() => this.#backendClosed(reason)),
      });
    } catch (error) {
      if (this.#phase !== 'closed') this.#finish((error as Error).message, 'error');
      return;
    }
    if (this.#phase === 'closed') {
      transport.close();
      return;
    }
    this.#transport = transport;
    this.#phase = 'open';
    this.#lifetimeTimer = setTimeout(() => this.close(lifetimeReason(this.#settings.maxSessionMs), 'limit'), this.#settings.maxSessionMs);
    this.#resetIdleTimer();
    this.#handlers.onOpened();
    this.#emit({ type: 'socket.opened', server: this.#where });
    this.#flush();
  }

  /** Writes the learner's text to the server exactly as given. Ignored unless open. */
  send(text: string): void {
    if (!this.isOpen) return;
    this.#sentBytes += Buffer.byteLength(text, 'utf8');
    if (this.#sentBytes > this.#settings.maxDataBytes) {
      this.close(dataBudgetReason(this.#settings.maxDataBytes), 'limit');
      return;
    }
    this.#write(text);
  }

  #write(text: string): void {
    this.#resetIdleTimer();
    if (this.#phase === 'handshaking') {
      this.#heldForTls.push(text);
      return;
    }
    this.#guard(() => {
      this.#transport?.write(text);
      for (const line of this.#clientLines.push(text)) this.#emit({ type: 'client.line', text: line.text, raw: line.raw });
      this.#flushTimer ??= setTimeout(() => this.#guard(() => this.#flush()), MODEL_DELAY_MS);
    });
  }

  /** Ends the session from the bridge's side (learner, limit, shutdown). Idempotent. */
  close(reason: string, by: ClosedBy): void {
    if (this.#phase === 'closed') return;
    if (this.#phase !== 'connecting') {
      this.#emit({ type: 'socket.closed', reason });
      this.#flush();
      this.#transport?.close();
    }
    this.#finish(reason, by);
  }

  /** The session model's summary (state, envelope, TLS…), for the dashboard. */
  summary(): SessionSummary {
    if (this.#phase !== 'closed') this.#guard(() => this.#flush());
    return summarizeSession(this.#model.getSnapshot());
  }

  #receive(text: string): void {
    // Bytes still in flight after the learner closed belong to no session any more.
    if (this.#phase === 'closed') return;
    for (const line of this.#serverLines.push(text)) {
      this.#replyRaw.push(line.raw);
      const result = this.#replies.push(line.text);
      if (result === null) continue;
      const raw = this.#replyRaw.join('');
      this.#replyRaw = [];
      if (result.kind === 'error') {
        this.#emit({ type: 'server.unreadable', raw, reason: result.error.message });
        continue;
      }
      this.#lastReply = result.reply;
      this.#emit({ type: 'server.reply', reply: result.reply, raw });
    }
    this.#flush((event) => {
      // The model pairs replies with commands (pipelining included), so it knows when a 220 answers STARTTLS.
      if (event.type !== 'server.reply' || this.#phase !== 'open') return;
      if (statePath(this.#model.getSnapshot().value) === 'startingTls.handshaking') this.#startTls();
    });
  }

  #startTls(): void {
    const transport = this.#transport;
    if (transport === null) return;
    this.#phase = 'handshaking';
    transport.startTls().then(
      (tls) =>
        this.#guard(() => {
          if (this.#phase === 'closed') return;
          this.#phase = 'open';
          this.#emit({ type: 'tls.established', tls });
          this.#flush();
          const held = this.#heldForTls;
          this.#heldForTls = [];
          for (const text of held) this.#write(text);
        }),
      (error: Error) =>
        this.#guard(() => {
          if (this.#phase === 'closed') return;
          // The transport drops the socket after a failed handshake and reports the close.
          this.#phase = 'open';
          this.#tlsFailure = error.message;
          this.#emit({ type: 'tls.failed', reason: error.message });
          this.#flush();
        }),
    );
  }

  #backendClosed(socketError: string | undefined): void {
    if (this.#phase === 'closed') return;
    const reason = serverCloseReason(this.#where, this.#lastReply, this.#tlsFailure, socketError);
    this.#emit({ type: 'socket.closed', reason });
    this.#flush();
    this.#finish(reason, this.#tlsFailure === null ? 'server' : 'error');
  }

  #finish(reason: string, by: ClosedBy): void {
    this.#phase = 'closed';
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#lifetimeTimer);
    clearTimeout(this.#flushTimer);
    this.#outbox = [];
    this.#heldForTls = [];
    this.#model.stop();
    this.#handlers.onClosed(reason, by);
  }

  #emit(event: WireSessionEvent): void {
    this.#outbox.push(event);
  }

  /**
   * Sends the outbox to the browser in one batch, then feeds it to the model (calling
   * `afterModel` after each event) and annotates.
   */
  #flush(afterModel?: (event: WireSessionEvent) => void): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const events = this.#outbox;
    if (events.length > 0) {
      this.#outbox = [];
      this.#handlers.onEvents(events);
      const kept: WireSessionEvent[] = [];
      for (const event of events) {
        // Before the model reads it: a line is message data if the model is in data mode now.
        this.#kept.keep(event, isMessageLine(event, this.#model), kept);
        const modelEvent = toModelEvent(event);
        if (modelEvent !== null) this.#model.send(modelEvent);
        afterModel?.(event);
      }
      this.#record(kept);
    }
    this.#annotate();
    const limit = this.#closeFor;
    this.#closeFor = null;
    if (limit !== null) this.close(limit, 'limit');
  }

  /** Hands the kept events to the recorder, up to the session's event and byte limits. */
  #record(events: readonly WireSessionEvent[]): void {
    const { maxEvents, maxTranscriptBytes } = this.#settings;
    const accepted: WireSessionEvent[] = [];
    for (const event of events) {
      // The close is always recorded, so the transcript says why it ended.
      const closing = event.type === 'socket.closed';
      if (this.#recordingFull && !closing) continue;
      const bytes = JSON.stringify(event).length;
      if (!closing && this.#recordedEvents >= maxEvents) this.#stopRecording(eventLimitReason(maxEvents));
      else if (!closing && this.#recordedBytes + bytes > maxTranscriptBytes) this.#stopRecording(transcriptLimitReason(maxTranscriptBytes));
      if (this.#recordingFull && !closing) continue;
      this.#recordedEvents += 1;
      this.#recordedBytes += bytes;
      accepted.push(event);
    }
    if (accepted.length > 0) this.#handlers.onRecorded(accepted);
  }

  #stopRecording(reason: string): void {
    this.#recordingFull = true;
    this.#closeFor = reason;
  }

  /** Sends the transcript entries the last events added or changed. */
  #annotate(): void {
    // Reading the snapshot first hands buffered message lines to the machine.
    const snapshot = this.#model.getSnapshot();
    if (this.#dirty.size === 0) return;
    const transcript = this.#model.transcript;
    const entries = [...this.#dirty]
      .sort((a, b) => a - b)
      .map((index) => transcript[index])
      .filter((entry): entry is TranscriptEntry => entry !== undefined);
    this.#dirty.clear();
    this.#handlers.onAnnotation(entries, toWireSummary(summarizeSession(snapshot)));
  }

  #resetIdleTimer(): void {
    // refresh() re-arms the same timer: cheaper than a new one on every send.
    if (this.#idleTimer !== undefined) this.#idleTimer.refresh();
    else this.#idleTimer = setTimeout(() => this.close(idleReason(this.#settings.idleTimeoutMs), 'limit'), this.#settings.idleTimeoutMs);
  }

  /** Socket callbacks must never throw (it would crash the process): a failure ends this session only. */
  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#handlers.onError(error as Error);
      if (this.#phase !== 'closed') {
        this.#transport?.close();
        this.#finish(`the bridge failed and closed the session (${(error as Error).message})`, 'error');
      }
    }
  }
}

/** The session model's event for a wire event (without the wire-only `raw`), or null when it has none. */
function toModelEvent(event: WireSessionEvent): SessionEvent | null {
  switch (event.type) {
    case 'client.line':
      return { type: 'client.line', text: event.text };
    case 'server.reply':
      return { type: 'server.reply', reply: event.reply };
    case 'server.unreadable':
      return null;
    case 'client.elided':
    case 'socket.opened':
    case 'tls.established':
    case 'tls.failed':
    case 'socket.closed':
      return event;
  }
}
