/** A WebSocket stand-in for tests: records what the page sends and lets the test play the server. */
import type { ServerMessage } from '../../../protocol/wire/contract.ts';

export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readonly url: string;
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: unknown[] = [];

  constructor(url: string) {
    super();
    this.url = url;
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = FakeWebSocket.CLOSED;
  }

  /** The server accepted the connection. */
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** The server sends a message. */
  deliver(message: ServerMessage | Record<string, unknown>): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  /** The connection dropped (or never opened). */
  drop(reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new CloseEvent('close', { code: 1006, reason }));
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (!socket) throw new Error('no WebSocket was opened');
    return socket;
  }
}

export const WELCOME = {
  type: 'welcome',
  version: 1,
  targets: [
    { id: 'sandbox', label: 'SMTP Lab sandbox (127.0.0.1:2525)' },
    { id: 'other', label: 'Other server' },
  ],
  limits: {
    maxPayloadBytes: 2_000_000,
    maxSendBytes: 1_000_000,
    commandsPerSecond: 10,
    commandBurst: 20,
    idleTimeoutMs: 300_000,
    maxSessionMs: 3_600_000,
    maxSessionsPerAddress: 20,
    maxSessionDataBytes: 64 * 1024 * 1024,
    maxSessionEvents: 5000,
    maxTranscriptBytes: 8 * 1024 * 1024,
  },
} as const;
