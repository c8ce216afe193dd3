/**
 * One learner session on a live SMTP server: its own TCP connection, the text the learner
 * types written to it byte for byte by the client driver (which splits the server's text into
 * replies and starts TLS when the session model says so), the model fed once per event, and
 * the idle and lifetime limits.
 *
 * Latency first: a server reply goes to the browser before the session model reads it. The
 * wire events of a command wait in the driver until the reply (the sandbox runs on this same
 * thread, so work done in between would only delay its answer) or for MODEL_DELAY_MS at most;
 * then they go out together, and the model catches up. The browser runs its own model from
 * the events; dashboards read this one's label through the session registry.
 *
 * Bounded: the learner's browser gets every event (it sent those lines itself), but the copy
 * that is recorded and watched keeps only the first and last lines of each message
 * (message-window.ts), and a session that sends more than its data budget, or records more
 * than its event or byte limit, is closed with the reason.
 */
import { ClientDriver } from '../../protocol/client/client-driver.ts';
import type { ReplayEvent } from '../../protocol/replay/types.ts';
import { createSessionActor, isMessageLine, summarizeSession, type SessionSummary } from '../../protocol/session/index.ts';
import { BoundedEventLog } from '../../protocol/session/message-window.ts';
import type { TransportFactory } from '../../protocol/transport.ts';
import { toWireEvent, type ClosedBy, type WireSessionEvent } from '../../protocol/wire/contract.ts';
import type net from 'node:net';
import { createTcpTransport, transportOverSocket, type TcpTransportOptions } from '../transport/tcp-transport.ts';
import { formatHostPort, type BridgeTarget } from './bridge-options.ts';
import { dataBudgetReason, eventLimitReason, idleReason, lifetimeReason, serverCloseReason, transcriptLimitReason } from './close-reasons.ts';

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
  /** Opens the connection instead of dialling host:port (a lab host, through the lab network). */
  readonly openSocket?: () => Promise<net.Socket>;
}

export interface LiveSessionHandlers {
  /** The TCP connection is up; comes before the first event. */
  onOpened(): void;
  /** Wire events in order, as few calls as possible (one write to the browser each). */
  onEvents(events: readonly WireSessionEvent[]): void;
  /** The same events as kept for the transcript and watchers: message lines bounded per message. */
  onRecorded(events: readonly WireSessionEvent[]): void;
  /** The session ended (called once, also when the connection could not be made). */
  onClosed(reason: string, by: ClosedBy): void;
  /** A failure of the bridge itself; the session is closed with by "error". */
  onError(error: Error): void;
}

/** How long the learner's lines may wait for the server's reply before they are sent alone. */
const MODEL_DELAY_MS = 1;

export class LiveSession {
  readonly startedAt = new Date();
  readonly #settings: LiveSessionSettings;
  readonly #handlers: LiveSessionHandlers;
  readonly #where: string;
  // Read as smtp-server (the default): the bridge knows a target by host and port only, not
  // which server software answers there.
  readonly #model = createSessionActor();
  readonly #driver: ClientDriver;
  #localPort: number | null = null;
  #finished = false;
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
  /** A limit reached while events were delivered: the session closes with it once they are. */
  #closeFor: string | null = null;
  #idleTimer: NodeJS.Timeout | undefined;
  #lifetimeTimer: NodeJS.Timeout | undefined;

  constructor(settings: LiveSessionSettings, handlers: LiveSessionHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#where = settings.target.address ?? formatHostPort(settings.target.host, settings.target.port);
    this.#driver = new ClientDriver(
      {
        onEvents: (events) => this.#deliver(events),
        snapshot: () => this.#model.getSnapshot(),
        onConnected: () => this.#connected(),
        onClosed: (reason, byServer) => {
          if (byServer) this.#finish(reason ?? '', this.#driver.tlsFailure === null ? 'server' : 'error');
        },
      },
      {
        raw: true,
        maxUnfinishedLine: settings.maxUnfinishedLine,
        coalesceMs: MODEL_DELAY_MS,
        closeReason: ({ socketError, lastReply, tlsFailure }) => serverCloseReason(this.#where, lastReply, tlsFailure, socketError),
      },
    );
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
    return !this.#finished && this.#driver.isOpen;
  }

  /** Connects; a failure ends the session with the transport's one-line reason. */
  async open(): Promise<void> {
    const { host, port, tls } = this.#settings.target;
    const options: TcpTransportOptions = {
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      tls,
      onConnected: (local) => {
        this.#localPort = local.port;
      },
    };
    const { openSocket } = this.#settings;
    const connect: TransportFactory = openSocket
      ? async (handlers) => {
          const socket = await openSocket();
          socket.setNoDelay(true);
          this.#localPort = socket.localPort ?? null;
          return transportOverSocket(socket, host, options)(handlers);
        }
      : createTcpTransport(host, port, options);
    // Socket callbacks must never throw (it would crash the process): a failure ends this session only.
    const guarded: TransportFactory = (handlers) =>
      connect({
        onData: (text) => this.#guard(() => handlers.onData(text)),
        onClose: (reason) => this.#guard(() => handlers.onClose(reason)),
      });
    try {
      await this.#driver.connect(guarded, this.#where);
    } catch (error) {
      if (!this.#finished) this.#finish((error as Error).message, 'error');
    }
  }

  /** Writes the learner's text to the server exactly as given. Ignored unless open. */
  send(text: string): void {
    if (!this.isOpen) return;
    this.#sentBytes += Buffer.byteLength(text, 'utf8');
    if (this.#sentBytes > this.#settings.maxDataBytes) {
      this.close(dataBudgetReason(this.#settings.maxDataBytes), 'limit');
      return;
    }
    this.#resetIdleTimer();
    this.#guard(() => this.#driver.send(text));
  }

  /** Ends the session from the bridge's side (learner, limit, shutdown). Idempotent. */
  close(reason: string, by: ClosedBy): void {
    if (this.#finished) return;
    this.#driver.close(reason);
    this.#finish(reason, by);
  }

  /** The session model's summary (state, envelope, TLS…), for the dashboard. */
  summary(): SessionSummary {
    if (!this.#finished) this.#guard(() => this.#driver.flush());
    return summarizeSession(this.#model.getSnapshot());
  }

  #connected(): void {
    this.#lifetimeTimer = setTimeout(() => this.close(lifetimeReason(this.#settings.maxSessionMs), 'limit'), this.#settings.maxSessionMs);
    this.#resetIdleTimer();
    this.#handlers.onOpened();
  }

  #finish(reason: string, by: ClosedBy): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#lifetimeTimer);
    this.#driver.close(reason, false);
    this.#model.stop();
    this.#handlers.onClosed(reason, by);
  }

  /** A batch from the driver: to the browser first, then the recorded copy and the model. */
  #deliver(events: readonly ReplayEvent[]): void {
    const wire = events.map(toWireEvent);
    this.#handlers.onEvents(wire);
    const kept: WireSessionEvent[] = [];
    events.forEach((event, index) => {
      // Before the model reads it: a line is message data if the model is in data mode now.
      this.#kept.keep(wire[index]!, isMessageLine(event, this.#model), kept);
      if (event.type !== 'server.unreadable') this.#model.send(event);
    });
    this.#record(kept);
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

  #resetIdleTimer(): void {
    // refresh() re-arms the same timer: cheaper than a new one on every send.
    if (this.#idleTimer !== undefined) this.#idleTimer.refresh();
    else this.#idleTimer = setTimeout(() => this.close(idleReason(this.#settings.idleTimeoutMs), 'limit'), this.#settings.idleTimeoutMs);
  }

  /** A failure of the bridge itself ends this session only, with by "error". */
  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#handlers.onError(error as Error);
      if (!this.#finished) this.#finish(`the bridge failed and closed the session (${(error as Error).message})`, 'error');
    }
  }
}
