/** A learner's console reduced to its wire: a `ws` client speaking the bridge contract. */
import WebSocket from 'ws';
import { WIRE_PROTOCOL_VERSION, type ServerMessage } from '../../../protocol/wire/contract.ts';

export interface BridgedReply {
  readonly code: number;
  /** The reply exactly as the server sent it, CRLFs included. */
  readonly raw: string;
}

export class LearnerClient {
  /** Every message the server sent, in order. */
  readonly received: ServerMessage[] = [];
  readonly #waiting: ((reply: BridgedReply) => void)[] = [];
  readonly #pongs: (() => void)[] = [];
  readonly #ws: WebSocket;
  readonly #closed: Promise<{ code: number; reason: string }>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.#closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      this.received.push(message);
      if (message.type === 'session.event' && message.event.type === 'server.reply') {
        this.#waiting.shift()?.({ code: message.event.reply.code, raw: message.event.raw });
      }
      if (message.type === 'pong') this.#pongs.shift()?.();
    });
  }

  /** Connects, says hello, opens a session on `target` and resolves once its greeting arrived. */
  static async open(wsUrl: string, target = 'sandbox'): Promise<LearnerClient> {
    const ws = new WebSocket(wsUrl);
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const client = new LearnerClient(ws);
    const greeting = client.nextReply();
    ws.send(JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION }));
    ws.send(JSON.stringify({ type: 'session.open', target }));
    const reply = await greeting;
    if (reply.code !== 220) throw new Error(`expected the 220 greeting, got ${reply.raw}`);
    return client;
  }

  /** The next reply relayed from the SMTP server. */
  nextReply(): Promise<BridgedReply> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Sends one command line (CRLF added) and resolves with the server's reply to it. */
  command(line: string): Promise<BridgedReply> {
    const reply = this.nextReply();
    this.#ws.send(JSON.stringify({ type: 'session.send', text: `${line}\r\n` }));
    return reply;
  }

  /**
   * Resolves once the bridge has finished with the last exchange: it feeds its session model
   * in the same synchronous step as it sends the reply, so its answer to a ping sent after the
   * reply arrived comes after that work, wherever the bridge runs.
   */
  settled(): Promise<void> {
    const pong = new Promise<void>((resolve) => this.#pongs.push(resolve));
    this.#ws.send(JSON.stringify({ type: 'ping' }));
    return pong;
  }

  /** Resolves with the close code and reason once the server closes the WebSocket. */
  closed(): Promise<{ code: number; reason: string }> {
    return this.#closed;
  }

  close(): void {
    this.#ws.close();
  }
}
