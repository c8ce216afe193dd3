/** A real sandbox, a real HTTP server with the bridge, and a real `ws` client that validates what it gets. */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import WebSocket, { type ClientOptions } from 'ws';
import {
  parseServerMessage,
  WIRE_PROTOCOL_VERSION,
  type ServerMessage,
  type WireSessionEvent,
} from '../../../protocol/wire/contract.ts';
import { attachBridge, type Bridge } from '../../../server/bridge/attach-bridge.ts';
import type { BridgeOptions } from '../../../server/bridge/bridge-options.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox, type Sandbox } from '../../../server/sandbox/create-sandbox.ts';

export interface RunningSandbox {
  readonly sandbox: Sandbox;
  readonly port: number;
  readonly messages: CapturedMessage[];
}

export async function startSandbox(): Promise<RunningSandbox> {
  const messages: CapturedMessage[] = [];
  const sandbox = createSandbox({ onMessage: (message) => messages.push(message) });
  const { port } = await sandbox.listen(0, '127.0.0.1');
  return { sandbox, port, messages };
}

export interface RunningBridge {
  readonly bridge: Bridge;
  readonly server: http.Server;
  readonly url: string;
  readonly port: number;
  readonly errors: Error[];
  close(): Promise<void>;
}

/** An HTTP server on a free port with the bridge attached, talking to `sandboxPort`. */
export async function startBridge(sandboxPort: number, options: Partial<BridgeOptions> = {}): Promise<RunningBridge> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const errors: Error[] = [];
  const bridge = attachBridge(server, {
    sandbox: { host: '127.0.0.1', port: sandboxPort },
    onError: (error) => errors.push(error),
    ...options,
  });
  return {
    bridge,
    server,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    errors,
    async close() {
      await bridge.close('test over');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A bridge client that checks every server message against the contract. */
export class WireClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  /** Frames that failed the contract's validation (should stay empty). */
  readonly invalid: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const parsed = parseServerMessage(String(data));
      if (parsed.ok) this.messages.push(parsed.message);
      else this.invalid.push(`${parsed.error} in ${String(data).slice(0, 200)}`);
      this.#wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('close', () => this.#wake());
  }

  static connect(url: string, options: ClientOptions = {}): Promise<WireClient> {
    const ws = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WireClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Connects and says hello; resolves after the welcome. */
  static async greeted(url: string, options: ClientOptions = {}): Promise<WireClient> {
    const client = await WireClient.connect(url, options);
    client.send({ type: 'hello', version: WIRE_PROTOCOL_VERSION });
    await client.next('welcome');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message of this type (after the ones already taken) that matches `where`. */
  async next<T extends ServerMessage['type']>(
    type: T,
    where: (message: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    for (;;) {
      for (let i = this.#cursor; i < this.messages.length; i++) {
        const message = this.messages[i]!;
        if (message.type === type && where(message as Extract<ServerMessage, { type: T }>)) {
          this.#cursor = i + 1;
          return message as Extract<ServerMessage, { type: T }>;
        }
      }
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`closed before a ${type} message arrived`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** The next wire event of this kind. */
  async nextEvent<K extends WireSessionEvent['type']>(kind: K): Promise<Extract<WireSessionEvent, { type: K }>> {
    const message = await this.next('session.event', (m) => m.event.type === kind);
    return message.event as Extract<WireSessionEvent, { type: K }>;
  }

  /** Every wire event received so far, in order. */
  events(): WireSessionEvent[] {
    return this.messages.flatMap((m) => (m.type === 'session.event' ? [m.event] : []));
  }

  /** Opens a session on `target` and waits for the server's greeting. */
  async open(target = 'sandbox'): Promise<string> {
    this.send({ type: 'session.open', target });
    const opened = await this.next('session.opened');
    await this.nextEvent('server.reply');
    return opened.sessionId;
  }

  /** Sends text and waits for `replies` more server replies; returns them. */
  async exchange(text: string, replies = 1): Promise<Extract<WireSessionEvent, { type: 'server.reply' }>[]> {
    this.send({ type: 'session.send', text });
    const got: Extract<WireSessionEvent, { type: 'server.reply' }>[] = [];
    while (got.length < replies) got.push(await this.nextEvent('server.reply'));
    return got;
  }

  close(): void {
    this.ws.close();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A plain TCP client: what a real SMTP client sees, byte for byte. */
export class DirectClient {
  received = '';
  readonly #socket: net.Socket;
  #waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.received += text;
      this.#wake();
    });
    socket.on('close', () => this.#wake());
  }

  static connect(port: number): Promise<DirectClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new DirectClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Waits until `count` complete replies (final lines `ddd …`) have arrived in all. */
  async waitForReplies(count: number): Promise<void> {
    while ((this.received.match(/^\d{3}(?: [^\n]*)?\r?\n/gm) ?? []).length < count) {
      if (this.#socket.destroyed) throw new Error('closed early');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  write(text: string): void {
    this.#socket.write(text);
  }

  async closed(): Promise<void> {
    if (this.#socket.destroyed) return;
    await new Promise((resolve) => this.#socket.once('close', resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
