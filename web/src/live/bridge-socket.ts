/**
 * The browser's end of the WebSocket bridge (protocol/wire/contract.ts): says hello, checks
 * every frame the server sends, answers pings, and reconnects with backoff when the socket
 * drops, so a restarted server is picked up without a page reload.
 */
import {
  WIRE_PROTOCOL_VERSION,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../../protocol/wire/contract.ts';

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'failed';

export interface BridgeSocketHandlers {
  /** Every valid server message, in order (welcome included). */
  onMessage(message: ServerMessage): void;
  /** Connection changes; `detail` is a sentence for the learner. */
  onStatus(status: SocketStatus, detail: string): void;
}

export interface BridgeSocketOptions {
  /** The WebSocket constructor (tests pass a fake). */
  readonly WebSocketImpl?: typeof WebSocket;
  /** Delays between reconnection attempts; the last one repeats. */
  readonly backoffMs?: readonly number[];
  /** Asked when the socket closes; false ends it for good (e.g. the classroom removed this student). */
  readonly shouldReconnect?: (event: CloseEvent) => boolean;
}

const DEFAULT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
/** After this many failed attempts in a row the learner is told the server looks down. */
const ATTEMPTS_BEFORE_FAILED = 2;

/** One WebSocket to `/ws`, reopened with backoff until `dispose()`. */
export class BridgeSocket {
  readonly #url: string;
  readonly #handlers: BridgeSocketHandlers;
  readonly #WebSocket: typeof WebSocket;
  readonly #backoff: readonly number[];
  readonly #shouldReconnect: (event: CloseEvent) => boolean;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  #welcomed = false;

  constructor(url: string, handlers: BridgeSocketHandlers, options: BridgeSocketOptions = {}) {
    this.#url = url;
    this.#handlers = handlers;
    this.#WebSocket = options.WebSocketImpl ?? WebSocket;
    this.#backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.#shouldReconnect = options.shouldReconnect ?? (() => true);
    this.#open();
  }

  /** True once the server welcomed this socket (messages can be sent). */
  get ready(): boolean {
    return this.#welcomed && this.#socket?.readyState === this.#WebSocket.OPEN;
  }

  /** Sends one message; returns false when the socket is not ready (nothing was sent). */
  send(message: ClientMessage): boolean {
    if (!this.ready || this.#socket === null) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes the socket for good. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket !== null && socket.readyState <= this.#WebSocket.OPEN) socket.close(1000, 'closed by the page');
  }

  #open(): void {
    this.#welcomed = false;
    this.#handlers.onStatus('connecting', 'Connecting to the live server…');
    let socket: WebSocket;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (error) {
      this.#handlers.onStatus('failed', `The live server address is not usable: ${(error as Error).message}`);
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.#socket) return;
      socket.send(JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION } satisfies ClientMessage));
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (socket !== this.#socket) return;
      this.#receive(event.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (socket !== this.#socket || this.#disposed) return;
      this.#socket = null;
      if (this.#shouldReconnect(event)) {
        this.#scheduleReconnect(event);
      } else {
        this.#disposed = true;
        this.#welcomed = false;
        this.#handlers.onStatus('failed', event.reason || 'The server closed the connection.');
      }
    });
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this.#handlers.onStatus('open', `The live server sent a message this page does not understand: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'welcome') {
      if (message.version !== WIRE_PROTOCOL_VERSION) {
        this.#handlers.onStatus('failed', `The live server speaks bridge version ${message.version}, this page ${WIRE_PROTOCOL_VERSION}: reload the page.`);
        this.dispose();
        return;
      }
      this.#welcomed = true;
      this.#attempt = 0;
      this.#handlers.onStatus('open', 'Connected to the live server.');
    }
    this.#handlers.onMessage(message);
  }

  #scheduleReconnect(event: CloseEvent): void {
    this.#welcomed = false;
    this.#attempt += 1;
    const delay = this.#backoff[Math.min(this.#attempt - 1, this.#backoff.length - 1)] ?? 1000;
    const seconds = Math.max(1, Math.round(delay / 1000));
    const why = event.reason ? ` (${event.reason})` : '';
    const detail =
      this.#attempt > ATTEMPTS_BEFORE_FAILED
        ? `The live server is not reachable${why}. Start it with "npm start" (smtp-lab serve), or switch to Simulated mode. Retrying in ${seconds} s.`
        : `Lost the connection to the live server${why}. Reconnecting in ${seconds} s…`;
    this.#handlers.onStatus(this.#attempt > ATTEMPTS_BEFORE_FAILED ? 'failed' : 'reconnecting', detail);
    this.#timer = setTimeout(() => {
      if (!this.#disposed) this.#open();
    }, delay);
  }
}

/** The bridge's address for a page served from `location` (same host, ws or wss). */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
