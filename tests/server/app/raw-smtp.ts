/**
 * A bare SMTP client over TCP for tests and benchmarks: write bytes, read whole replies. No
 * protocol logic, so a test can send exactly what it wants (garbage, pipelined commands).
 */
import net from 'node:net';

export interface SmtpReply {
  readonly code: number;
  /** The reply's lines joined with "\n", codes included. */
  readonly text: string;
}

export class RawSmtpClient {
  readonly #socket: net.Socket;
  #buffer = '';
  #lines: string[] = [];
  readonly #replies: SmtpReply[] = [];
  readonly #waiting: { resolve(reply: SmtpReply): void; reject(error: Error): void }[] = [];
  #ended: Error | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onEnd(new Error(`connection closed; last lines: ${JSON.stringify(this.#lines.slice(-3))}`)));
  }

  /** Connects to 127.0.0.1:port (or host:port). */
  static connect(port: number, host = '127.0.0.1'): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new RawSmtpClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Writes text as it is (add the CRLFs yourself). */
  write(text: string | Buffer): void {
    this.#socket.write(text);
  }

  /** The next reply the server sends (or one it already sent). */
  reply(): Promise<SmtpReply> {
    const ready = this.#replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Writes `line` + CRLF and returns the reply to it. */
  async command(line: string): Promise<SmtpReply> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Resolves once the server has closed the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => (this.#socket.closed ? resolve() : this.#socket.once('close', () => resolve())));
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #onData(text: string): void {
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.indexOf('\r\n')) >= 0) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), text: this.#lines.join('\n') };
        this.#lines = [];
        const waiter = this.#waiting.shift();
        if (waiter) waiter.resolve(reply);
        else this.#replies.push(reply);
      }
    }
  }

  #onEnd(error: Error): void {
    this.#ended = error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }
}

/**
 * Delivers one small message (`Subject:` and a body line) from a@example.com to b@example.org
 * on a new connection, and returns the reply to its end of data.
 */
export async function deliverOne(port: number, helo: string, subject: string): Promise<SmtpReply> {
  const client = await RawSmtpClient.connect(port);
  try {
    await client.reply();
    for (const line of [`EHLO ${helo}`, 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA']) await client.command(line);
    return await client.command(`Subject: ${subject}\r\n\r\nbody\r\n.`);
  } finally {
    client.destroy();
  }
}
