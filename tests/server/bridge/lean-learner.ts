/** A learner for heavy sends: a `ws` client that counts the echoed lines instead of keeping them. */
import WebSocket from 'ws';
import { WIRE_PROTOCOL_VERSION } from '../../../protocol/wire/contract.ts';

/**
 * A learner that keeps nothing of the echoed lines (a browser would render and drop them):
 * it counts them and keeps the replies, errors and the close.
 */
export class LeanLearner {
  echoedLines = 0;
  readonly codes: number[] = [];
  readonly errors: string[] = [];
  closed: { reason: string; by: string } | null = null;
  sessionId = '';
  readonly #ws: WebSocket;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('"type":"client.line"')) this.echoedLines += 1;
      else this.#take(JSON.parse(text) as { type: string; [key: string]: unknown });
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    });
  }

  static async open(url: string): Promise<LeanLearner> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const learner = new LeanLearner(ws);
    ws.send(JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION }));
    ws.send(JSON.stringify({ type: 'session.open', target: 'sandbox' }));
    await learner.until(() => learner.codes.length === 1);
    return learner;
  }

  send(text: string): void {
    this.#ws.send(JSON.stringify({ type: 'session.send', text }));
  }

  /** Sends and waits for the next reply (the one that answers it, unpipelined). */
  async exchange(text: string): Promise<number> {
    const before = this.codes.length;
    this.send(text);
    await this.until(() => this.codes.length > before);
    return this.codes[before]!;
  }

  /** Waits for the condition, failing on a bridge error or a close (every await is bounded by the test timeout). */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) {
      if (this.errors.length > 0) throw new Error(`bridge error: ${this.errors.join('; ')}`);
      if (this.closed !== null) throw new Error(`session closed: ${this.closed.reason}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.#ws.close();
  }

  #take(message: { type: string; [key: string]: unknown }): void {
    if (message.type === 'session.opened') this.sessionId = message.sessionId as string;
    if (message.type === 'error') this.errors.push(String(message.message));
    if (message.type === 'session.closed') this.closed = { reason: String(message.reason), by: String(message.by) };
    const event = message.event as { type: string; reply?: { code: number } } | undefined;
    if (message.type === 'session.event' && event?.type === 'server.reply') this.codes.push(event.reply!.code);
  }
}
