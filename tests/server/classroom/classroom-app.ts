/**
 * The classroom server in-process (startApp with --classroom, ports 0, a temp data dir) and
 * the people using it: each actor is a fetch client with its own cookie jar and, when needed,
 * a `ws` connection, the way a browser profile would be.
 */
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import type { ServerMessage } from '../../../protocol/wire/contract.ts';
import { testConfig } from '../app/app-config.ts';

export const CLASS_DOMAIN = 'class.smtp-lab.test';
export const PASSWORD = 'correct horse battery staple';

/** Starts a classroom server; `dataDir` reuses one (a restart). */
export async function startClassroom(dataDir?: string): Promise<RunningApp> {
  return startApp(testConfig({ classroom: true, 'class-domain': CLASS_DOMAIN, ...(dataDir ? { 'data-dir': dataDir } : {}) }));
}

export class Actor {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie headers of the last response. */
  lastSetCookies: string[] = [];

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.base), {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const header of this.lastSetCookies) {
      const [pair] = header.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === undefined || value === undefined) continue;
      if (value === '' || /Max-Age=0/.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body);
  put = (path: string, body?: unknown) => this.request('PUT', path, body);
  delete = (path: string) => this.request('DELETE', path);

  /** GET and parse JSON, failing loudly on an unexpected status. */
  async json<T = Record<string, unknown>>(path: string, status = 200): Promise<T> {
    const response = await this.get(path);
    if (response.status !== status) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Opens a WebSocket to the bridge with this actor's cookies; `query` e.g. "?as=instructor". */
  openSocket(query = ''): Promise<LiveSocket> {
    const url = new URL(`ws${query}`, this.base.replace(/^http/, 'ws'));
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return LiveSocket.open(url.href, cookie);
  }
}

/** The instructor, set up with the setup secret and signed in. */
export async function instructorOf(app: RunningApp): Promise<Actor> {
  const instructor = new Actor(app.urls.http);
  const response = await instructor.post('/api/instructor/setup', { secret: app.classroom?.setupSecret, password: PASSWORD });
  if (response.status !== 201) throw new Error(`setup: ${response.status} ${await response.text()}`);
  return instructor;
}

/** A student who joined with the class code. */
export async function studentOf(app: RunningApp, instructor: Actor, name: string): Promise<Actor & { id: string; address: string }> {
  const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
  const student = new Actor(app.urls.http);
  const response = await student.post('/api/class/join', { code: joinCode, displayName: name });
  if (response.status !== 201) throw new Error(`join: ${response.status} ${await response.text()}`);
  const { student: info } = (await response.json()) as { student: { id: string; address: string } };
  return Object.assign(student, { id: info.id, address: info.address });
}

/**
 * Sends alice@example.com's message `data` (headers, blank line, body; no final dot) to
 * bob@example.net through `student`'s sandbox over the bridge, failing on any reply but the
 * expected one.
 */
export async function mailBobAsStudent(student: Actor, ehlo: string, data: string): Promise<void> {
  const socket = await student.openSocket();
  try {
    await socket.openSession();
    for (const [line, expected] of [[`EHLO ${ehlo}`, 250], ['MAIL FROM:<alice@example.com>', 250], ['RCPT TO:<bob@example.net>', 250], ['DATA', 354], [`${data}\r\n.`, 250]] as const) {
      const { code, raw } = await socket.command(line);
      if (code !== expected) throw new Error(`${line.split('\r\n')[0]}: expected ${expected}, got ${raw}`);
    }
  } finally {
    socket.close();
  }
}

/** A `ws` client that records every message and can wait for one. */
export class LiveSocket {
  readonly received: (ServerMessage | { type: string; [key: string]: unknown })[] = [];
  readonly #ws: WebSocket;
  readonly #closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.#closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as ServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Connects (rejecting with the HTTP status when the upgrade is refused) and says hello. */
  static open(url: string, cookie: string): Promise<LiveSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      ws.once('error', reject);
      ws.once('open', () => {
        ws.on('error', () => undefined);
        const socket = new LiveSocket(ws);
        socket.send({ type: 'hello', version: 1 });
        resolve(socket);
      });
    });
  }

  send(message: object): void {
    this.#ws.send(JSON.stringify(message));
  }

  /** Resolves with the first received message (from `from` on) that matches. */
  async waitFor(match: (message: { type: string; [key: string]: unknown }) => boolean, from = 0, timeoutMs = 10_000): Promise<{ type: string; [key: string]: unknown }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find((message) => match(message as { type: string }));
      if (found) return found as { type: string; [key: string]: unknown };
      if (Date.now() > deadline) throw new Error(`no matching message; got ${this.received.map((m) => m.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Opens a sandbox session and waits for its greeting. */
  async openSession(): Promise<void> {
    const from = this.received.length;
    this.send({ type: 'session.open', target: 'sandbox' });
    await this.waitFor((m) => m.type === 'session.event' && (m.event as { type: string }).type === 'server.reply', from);
  }

  /** Sends one SMTP line and resolves with the reply's code and raw text. */
  async command(line: string): Promise<{ code: number; raw: string }> {
    const from = this.received.length;
    this.send({ type: 'session.send', text: `${line}\r\n` });
    const message = await this.waitFor((m) => m.type === 'session.event' && (m.event as { type: string }).type === 'server.reply', from);
    const event = message.event as { reply: { code: number }; raw: string };
    return { code: event.reply.code, raw: event.raw };
  }

  closed(): Promise<{ code: number; reason: string }> {
    return this.#closed;
  }

  close(): void {
    this.#ws.close();
  }
}

/** `actor`'s cookies (their sign-in), on another base URL: the same person through another door. */
export function actorOn(actor: Actor, base: string): Actor {
  const moved = new Actor(base);
  for (const [name, value] of actor.cookies) moved.cookies.set(name, value);
  return moved;
}
