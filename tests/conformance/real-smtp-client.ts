/**
 * A minimal SMTP client over a real TCP socket (node:net, node:tls) for the conformance
 * tests: it writes exactly what it is told and collects the server's lines, counting complete
 * replies, so a test can wait for "n more replies, or the close".
 */
import net from 'node:net';
import tls from 'node:tls';

/** How long to wait for replies that should come; reaching it makes the comparison fail. */
const WAIT_LIMIT_MS = 5_000;

/** The last line of a reply: code then space (or nothing); `250-` continues. */
const FINAL_LINE = /^\d{3}(?: |$)/;

export class RealSmtpClient {
  #socket: net.Socket;
  #partial = '';
  #lines: string[] = [];
  #replies = 0;
  #closed = false;
  #waiter: (() => void) | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#listen(socket);
    socket.on('close', () => this.#markClosed());
  }

  /** Connects and waits for the greeting (writing earlier gets "421 You talk too soon"). */
  static async connect(port: number): Promise<{ client: RealSmtpClient; greeting: string[] }> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const candidate = net.connect(port, '127.0.0.1', () => resolve(candidate));
      candidate.once('error', reject);
    });
    const client = new RealSmtpClient(socket);
    const greeting = await client.#collect(1);
    return { client, greeting };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes `text` as one write and returns the lines of the next `replies` replies. */
  async send(text: string, replies: number, expectClose: boolean): Promise<string[]> {
    if (!this.#closed) this.#socket.write(text);
    return this.#collect(replies, expectClose);
  }

  /** Upgrades the connection with a real TLS handshake (the sandbox's test certificate). */
  async startTls(): Promise<void> {
    const raw = this.#socket;
    raw.removeAllListeners('data');
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ socket: raw, rejectUnauthorized: false }, () => resolve(socket));
      socket.once('error', reject);
    });
    this.#socket = secure;
    this.#listen(secure);
    secure.on('close', () => this.#markClosed());
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #listen(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('end', () => this.#markClosed());
    socket.on('error', () => this.#markClosed());
  }

  #onData(chunk: string): void {
    const pieces = (this.#partial + chunk).split('\r\n');
    this.#partial = pieces.pop() ?? '';
    for (const line of pieces) {
      this.#lines.push(line);
      if (FINAL_LINE.test(line)) this.#replies++;
    }
    this.#waiter?.();
  }

  #markClosed(): void {
    this.#closed = true;
    this.#waiter?.();
  }

  /** Waits for `count` complete replies (and, if asked, the close), then takes the lines. */
  async #collect(count: number, expectClose = false): Promise<string[]> {
    const satisfied = () => this.#closed || (this.#replies >= count && !expectClose);
    if (!satisfied()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, WAIT_LIMIT_MS);
        function finish() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiter = () => {
          if (satisfied()) finish();
        };
      });
      this.#waiter = null;
    }
    const lines = this.#lines;
    this.#lines = [];
    this.#replies = 0;
    return lines;
  }
}
