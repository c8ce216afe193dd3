/**
 * One WebSocket connection: validates every frame against the wire contract, answers bad
 * ones with an `error` (the connection stays usable), and runs at most one live SMTP
 * session at a time with the rate and size limits.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import {
  CLOSE_VERSION_MISMATCH,
  parseClientMessage,
  WIRE_PROTOCOL_VERSION,
  type ClientMessage,
  type ClosedBy,
  type ServerMessage,
  type WireErrorCode,
} from '../../protocol/wire/contract.ts';
import {
  formatHostPort,
  type BridgeConnection,
  type BridgeHooks,
  type BridgeLimits,
  type BridgeTarget,
  type LabGateway,
  type TranscriptWriter,
  type SessionServerMessage,
} from './bridge-options.ts';
import { LiveSession, type LiveSessionSettings } from './live-session.ts';
import type { SessionRegistry } from './session-registry.ts';
import { TokenBucket } from './token-bucket.ts';

/** What every client shares. */
export interface ClientEnvironment {
  readonly targets: readonly BridgeTarget[];
  /** Reaches the lab hosts among the targets. */
  readonly labNetwork: LabGateway | undefined;
  readonly limits: BridgeLimits;
  readonly connectTimeoutMs: number;
  readonly registry: SessionRegistry;
  readonly recorder: TranscriptWriter | undefined;
  readonly welcome: ServerMessage;
  /** Classroom mode's live hub. */
  readonly hooks: BridgeHooks | undefined;
  /** What the session limit counts by (see BridgeOptions.sessionLimitKey). */
  readonly sessionLimitKey: (namespace: string, clientAddress: string) => string;
  /** Counts for `stats()`. */
  countRateLimited(): void;
  countSessionOpened(): void;
  report(error: Error): void;
}

/** A WebSocket close reason may hold at most 123 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;

export class BridgeClient implements BridgeConnection {
  readonly namespace: string;
  readonly clientAddress: string;
  readonly #limitKey: string;
  /** Cleared by each heartbeat ping, set again by the pong. */
  alive = true;
  readonly #ws: WebSocket;
  /** The socket under `#ws`, corked while a batch of messages is sent. */
  readonly #socket: Duplex;
  readonly #env: ClientEnvironment;
  readonly #bucket: TokenBucket;
  #greeted = false;
  #session: { readonly id: string; readonly live: LiveSession } | null = null;

  constructor(ws: WebSocket, socket: Duplex, namespace: string, clientAddress: string, env: ClientEnvironment) {
    this.#ws = ws;
    this.#socket = socket;
    this.namespace = namespace;
    this.clientAddress = clientAddress;
    this.#env = env;
    this.#limitKey = env.sessionLimitKey(namespace, clientAddress);
    this.#bucket = new TokenBucket(env.limits.commandsPerSecond, env.limits.commandBurst);
    ws.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    // Oversized frames, invalid UTF-8, resets: ws closes the socket itself; the close handler cleans up.
    ws.on('error', () => {});
    ws.on('close', () => {
      this.#session?.live.close('the browser disconnected', 'client');
      env.hooks?.disconnected(this);
    });
    env.hooks?.connected(this);
  }

  /** Sends a push (e.g. `message.captured`) once the client has said hello. */
  notify(message: ServerMessage): void {
    if (this.#greeted) this.#send(message);
  }

  /** Ends the SMTP session and closes the WebSocket with `code` (e.g. a student removed from the class). */
  kick(code: number, reason: string): void {
    this.#session?.live.close(reason, 'shutdown');
    this.#ws.close(code, truncateUtf8(reason, MAX_CLOSE_REASON_BYTES));
  }

  /** Ends the SMTP session and closes the WebSocket with 1001 (going away). */
  shutdown(reason: string): void {
    this.#session?.live.close(reason, 'shutdown');
    this.#ws.close(1001, truncateUtf8(reason, MAX_CLOSE_REASON_BYTES));
  }

  /** Sends a heartbeat ping; `alive` stays false until the pong. */
  ping(): void {
    this.alive = false;
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.ping();
  }

  /** Drops a client that stopped answering pings (a half-open connection). */
  terminate(): void {
    this.#session?.live.close('the browser stopped answering heartbeat pings', 'client');
    this.#ws.terminate();
  }

  /** Resolves once the WebSocket is closed. */
  closed(): Promise<void> {
    if (this.#ws.readyState === this.#ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.#ws.once('close', () => resolve()));
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#error('binary_not_supported', 'Binary frames are not part of the bridge protocol; send JSON text frames.');
      return;
    }
    const parsed = parseClientMessage(toBuffer(data).toString('utf8'));
    if (!parsed.ok) {
      this.#error(parsed.code, parsed.error);
      return;
    }
    try {
      this.#handle(parsed.message);
    } catch (error) {
      this.#env.report(error as Error);
      this.#error('internal', `The bridge failed to handle "${parsed.message.type}": ${(error as Error).message}`);
    }
  }

  #handle(message: ClientMessage): void {
    if (!this.#greeted && message.type !== 'hello' && message.type !== 'ping') {
      this.#error('hello_required', `Send {"type":"hello","version":${WIRE_PROTOCOL_VERSION}} first.`);
      return;
    }
    switch (message.type) {
      case 'hello':
        return this.#hello(message.version);
      case 'session.open':
        return this.#open(message.target);
      case 'session.send':
        return this.#sendText(message.text);
      case 'session.close':
        if (this.#session === null) return this.#error('no_session', 'There is no session to close.');
        return this.#session.live.close('you closed the session', 'client');
      case 'ping':
        return this.#send({ type: 'pong' });
      case 'watch':
      case 'unwatch': {
        if (this.#env.hooks === undefined) {
          return this.#error('forbidden', 'Watching sessions is part of classroom mode, which this server does not run.');
        }
        // The classroom looks the student up in its database: the answer comes later.
        Promise.resolve(this.#env.hooks.clientMessage(this, message)).then(
          (refusal) => {
            if (refusal !== null) this.#error(refusal.code, refusal.message);
          },
          (error: unknown) => {
            this.#env.report(error as Error);
            this.#error('internal', `The bridge failed to handle "${message.type}": ${(error as Error).message}`);
          },
        );
        return;
      }
    }
  }

  #hello(version: number): void {
    if (version !== WIRE_PROTOCOL_VERSION) {
      this.#error('version_mismatch', `This server speaks bridge protocol version ${WIRE_PROTOCOL_VERSION}, not ${version}; reload the page to get the matching console.`);
      this.#ws.close(CLOSE_VERSION_MISMATCH, 'wire protocol version mismatch');
      return;
    }
    this.#greeted = true;
    this.#send(this.#env.welcome);
  }

  #open(targetId: string): void {
    const { limits, registry } = this.#env;
    const target = this.#env.targets.find((candidate) => candidate.id === targetId);
    if (target === undefined) {
      const known = this.#env.targets.map((candidate) => JSON.stringify(candidate.id)).join(', ');
      return this.#error('unknown_target', `There is no target ${JSON.stringify(targetId)}; pick one of ${known}.`);
    }
    if (this.#session !== null) {
      return this.#error('session_already_open', 'A session is already open on this connection; send session.close first.');
    }
    if (registry.countFor(this.#limitKey) >= limits.maxSessionsPerAddress) {
      return this.#error('too_many_sessions', `Your address already has ${limits.maxSessionsPerAddress} open sessions, the most allowed; close one first.`);
    }
    const server = target.address ?? formatHostPort(target.host, target.port);
    const id = this.#createRecord(server);
    const live = new LiveSession(
      {
        target,
        connectTimeoutMs: this.#env.connectTimeoutMs,
        idleTimeoutMs: limits.idleTimeoutMs,
        maxSessionMs: limits.maxSessionMs,
        maxUnfinishedLine: limits.maxSendBytes,
        maxDataBytes: limits.maxSessionDataBytes,
        maxEvents: limits.maxSessionEvents,
        maxTranscriptBytes: limits.maxTranscriptBytes,
        ...this.#labRoute(target),
      },
      {
        onOpened: () => {
          if (live.localPort !== null) registry.bindLocalPort(id, live.localPort);
          this.#sendSession({ type: 'session.opened', sessionId: id, target: target.id, label: target.label });
        },
        onEvents: (events) => this.#sendAll(events.map((event): SessionServerMessage => ({ type: 'session.event', sessionId: id, event }))),
        // Watchers get the recorded copy, so a watch costs what the transcript does.
        onRecorded: (events) => {
          for (const event of events) {
            this.#record(() => this.#env.recorder?.append(id, event));
            this.#tellHooks({ type: 'session.event', sessionId: id, event });
          }
        },
        onClosed: (reason, by) => this.#closed(id, reason, by),
        onError: (error) => this.#env.report(error),
      },
    );
    this.#session = { id, live };
    this.#env.countSessionOpened();
    registry.add({ namespace: this.namespace, sessionId: id, target: target.id, clientAddress: this.clientAddress, limitKey: this.#limitKey, live });
    void live.open();
  }

  /** A lab host is reached as the outside sender, in this learner's namespace (their zone, their mailboxes). */
  #labRoute(target: BridgeTarget): Pick<LiveSessionSettings, 'openSocket'> {
    const { labHost } = target;
    const labNetwork = this.#env.labNetwork;
    if (labHost === undefined || labNetwork === undefined) return {};
    return { openSocket: () => labNetwork.connect({ fromIp: labHost.fromIp, toHost: labHost.name, namespace: this.namespace }) };
  }

  #sendText(text: string): void {
    const session = this.#session;
    if (session === null || !session.live.isOpen) {
      const why = session === null ? 'There is no open session: send session.open first' : 'The session is still connecting';
      return this.#error('no_session', `${why}, and wait for session.opened. This text was not sent.`);
    }
    const { maxSendBytes, commandsPerSecond, commandBurst } = this.#env.limits;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxSendBytes) {
      return this.#error('text_too_long', `This text is ${bytes} bytes; one session.send may carry at most ${maxSendBytes}. It was not sent.`);
    }
    // Checked last, so refused texts do not use up the learner's allowance.
    if (!this.#bucket.take()) {
      this.#env.countRateLimited();
      return this.#error(
        'rate_limited',
        `You are sending faster than ${commandsPerSecond} texts per second (bursts of ${commandBurst}); this text was not sent to the server.`,
      );
    }
    session.live.send(text);
  }

  #closed(id: string, reason: string, by: ClosedBy): void {
    this.#env.registry.remove(id);
    if (this.#session?.id === id) this.#session = null;
    this.#record(() => this.#env.recorder?.end(id, reason));
    this.#sendSession({ type: 'session.closed', sessionId: id, reason, by });
  }

  /** Sends a session message to the learner and tells the classroom hub. */
  #sendSession(message: SessionServerMessage): void {
    this.#send(message);
    this.#tellHooks(message);
  }

  /** The hub's trouble must not end a learner's session. */
  #tellHooks(message: SessionServerMessage): void {
    const hooks = this.#env.hooks;
    if (hooks === undefined) return;
    try {
      hooks.sessionMessage(this.namespace, message);
    } catch (error) {
      this.#env.report(error as Error);
    }
  }

  /** The store's id for a new session, or a fresh UUID when there is no store (or it fails). */
  #createRecord(server: string): string {
    const recorder = this.#env.recorder;
    if (recorder !== undefined) {
      try {
        return recorder.create(this.namespace, { target: server, clientAddress: this.clientAddress });
      } catch (error) {
        this.#env.report(error as Error);
      }
    }
    return randomUUID();
  }

  /** Storage trouble must not end a learner's session. */
  #record(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.#env.report(error as Error);
    }
  }

  #error(code: WireErrorCode, message: string): void {
    this.#send({ type: 'error', code, message });
  }

  #send(message: ServerMessage): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify(message));
  }

  /** Several messages, one frame each, in one write to the socket (one syscall, one wake-up of the browser). */
  #sendAll(messages: readonly ServerMessage[]): void {
    if (messages.length === 1) return this.#send(messages[0]!);
    this.#socket.cork();
    try {
      for (const message of messages) this.#send(message);
    } finally {
      this.#socket.uncork();
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Cuts text to at most `maxBytes` UTF-8 bytes, marking the cut with "…" (3 bytes). */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) > maxBytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
