/**
 * The live process's SMTP side: the sandbox (server/sandbox) on the public SMTP port with
 * STARTTLS, optionally the same server with implicit TLS (SMTPS) on a second port, and a
 * private loopback entrance for the WebSocket bridge. All three capture through one callback,
 * and answer the end of a message only once that callback's promise says it is stored.
 *
 * createSandbox has no options for implicit TLS, maxClients or connection hooks, so this file
 * adds them on the SMTPServer it returns (`options`, `onConnect`/`onClose` are smtp-server's
 * public, documented API and are read per connection).
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import type { BehaviourReply } from '../../protocol/simulator/server-behaviours.ts';
import type { ServerConfig } from '../config/server-config.ts';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { createSandbox, type Sandbox } from '../sandbox/create-sandbox.ts';
import type { SandboxGreylist } from '../sandbox/sandbox-greylist-store.ts';
import { AddressLimiter } from './address-limiter.ts';
import { listenOn } from './listen-error.ts';

export interface SmtpListenersOptions {
  readonly config: ServerConfig;
  readonly tls: { readonly key: string; readonly cert: string };
  /**
   * Every message received, with the connection it came on (class mail finds its sender by
   * it). The 250 waits until the promise resolves; a MailRefusal it rejects with is the reply.
   */
  readonly onMessage: (message: CapturedMessage, connection: SMTPServerSession) => Promise<void>;
  /** Why no new mail transaction is accepted now (421 at MAIL FROM), or null. */
  readonly refuseTransactions?: () => string | null;
  /** Checked at each RCPT before the behaviours (the classroom's class addresses, the outbound queue cap): see the sandbox's checkRecipient. */
  readonly checkRecipient?: (recipient: string, connection: SMTPServerSession) => BehaviourReply | null | Promise<BehaviourReply | null>;
  /** The greylisting behaviour's memory, shared by the processes on one database; the sandbox's own in memory without it. */
  readonly greylist?: SandboxGreylist;
  /** One client's failure (broken socket, bad TLS handshake); the servers stay up. */
  readonly onError: (error: Error) => void;
}

export interface SmtpListeners {
  readonly smtp: AddressInfo;
  readonly smtps: AddressInfo | null;
  /** Loopback port the bridge connects to: no per-address limit (the bridge applies its own). */
  readonly bridgeEntrance: AddressInfo;
  /** Connections open right now on all listeners. */
  connectionCount(): number;
  /** Switches teaching behaviours and the SIZE limit for every listener (the classroom's switches). */
  setBehaviours: Sandbox['setBehaviours'];
  /**
   * Stops listening, tells every connected client `421` with `reason`, and resolves once
   * every socket is gone (stragglers that never close their side are destroyed after 2 s).
   */
  close(reason: string): Promise<void>;
}

const STRAGGLER_GRACE_MS = 2000;

/** The sandbox configuration with the settings the operator gave (the same names on both sides). */
export function toSandboxConfig({ hostname, maxMessageSize, maxRecipients, maxLineLength }: ServerConfig): SandboxConfig {
  return { ...DEFAULT_SANDBOX_CONFIG, hostname, maxMessageSize, maxRecipients, maxLineLength };
}

/** Starts the SMTP listeners; rejects with a ListenError (nothing left listening) if a port cannot be bound. */
export async function startSmtpListeners(options: SmtpListenersOptions): Promise<SmtpListeners> {
  const { config } = options;
  // Until everything listens, a failure comes back from listen() itself; after, it is one client's.
  let listeningOnAll = false;
  const onError = (error: Error) => listeningOnAll && options.onError(error);
  const sandbox = createSandbox({
    config: toSandboxConfig(config),
    tls: options.tls,
    onMessage: options.onMessage,
    ...(options.refuseTransactions ? { refuseTransactions: options.refuseTransactions } : {}),
    ...(options.checkRecipient ? { checkRecipient: options.checkRecipient } : {}),
    ...(options.greylist ? { greylist: options.greylist } : {}),
    onError,
    socketTimeoutMs: config.idleTimeoutMs,
  });
  const plain = sandbox.server;
  plain.options.maxClients = config.maxSmtpClients;
  // The same handlers (capture included) and limits, with TLS from the first byte (RFC 8314).
  const secure =
    config.smtpsPort === null ? null : new SMTPServer({ ...(plain.options as SMTPServerOptions), secure: true, ...options.tls });
  secure?.on('error', onError);

  const limiter = new AddressLimiter(config.maxSessionsPerAddress);
  const bridgeDoor = net.createServer((socket) => plain.connect(socket));
  bridgeDoor.on('error', onError);
  for (const server of [plain, secure]) {
    if (!server) continue;
    limitPerAddress(server, limiter, bridgeDoor, config.hostname);
  }

  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  for (const listener of [plain.server, secure?.server, bridgeDoor]) listener?.on('connection', track);

  const listening: net.Server[] = [];
  try {
    const smtp = await listen(plain.server, 'SMTP', config.smtpHost, config.smtpPort, listening);
    const smtps =
      secure && config.smtpsPort !== null ? await listen(secure.server, 'SMTPS', config.smtpHost, config.smtpsPort, listening) : null;
    const bridgeEntrance = await listen(bridgeDoor, "the bridge's entrance", '127.0.0.1', 0, listening);
    listeningOnAll = true;
    return {
      smtp,
      smtps,
      bridgeEntrance,
      connectionCount: () => plain.connections.size + (secure?.connections.size ?? 0),
      setBehaviours: (change) => sandbox.setBehaviours(change),
      close: (reason) => closeAll([plain, secure], bridgeDoor, sockets, reason, config.hostname),
    };
  } catch (error) {
    await Promise.all(listening.map((server) => new Promise((resolve) => server.close(resolve))));
    throw error;
  }
}

/** Refuses a client address's connection beyond the limit with 421, as RFC 5321 §3.8 allows. */
function limitPerAddress(server: SMTPServer, limiter: AddressLimiter, bridgeDoor: net.Server, hostname: string): void {
  const counted = new Set<string>();
  server.onConnect = (session: SMTPServerSession, callback: (error?: Error | null) => void) => {
    const bridgePort = (bridgeDoor.address() as AddressInfo | null)?.port;
    if (session.localPort === bridgePort && session.localAddress === '127.0.0.1') return callback();
    if (!limiter.tryAcquire(session.remoteAddress)) {
      const refusal = Object.assign(
        new Error(`${hostname} Too many connections from your address (${limiter.maxPerAddress} at most), try again later`),
        { responseCode: 421 },
      );
      return callback(refusal);
    }
    counted.add(session.id);
    callback();
  };
  server.onClose = (session: SMTPServerSession) => {
    if (counted.delete(session.id)) limiter.release(session.remoteAddress);
  };
}

async function listen(server: net.Server, what: string, host: string, port: number, listening: net.Server[]): Promise<AddressInfo> {
  const address = await listenOn(server, what, host, port);
  listening.push(server);
  return address;
}

async function closeAll(
  servers: readonly (SMTPServer | null)[],
  bridgeDoor: net.Server,
  sockets: Set<Socket>,
  reason: string,
  hostname: string,
): Promise<void> {
  const closed: Promise<unknown>[] = [new Promise((resolve) => bridgeDoor.close(resolve))];
  // The text RFC 5321 §4.2.3 gives for 421, and why.
  const goodbye = `${hostname} Service not available, closing transmission channel (${reason})`;
  for (const server of servers) {
    if (!server) continue;
    // close() stops accepting and makes every further command get 421; it would wait 30 s
    // before telling idle clients, so tell them now (send(421) also closes the connection).
    closed.push(new Promise<void>((resolve) => server.close(() => resolve())));
    for (const connection of server.connections) connection.send(421, goodbye);
  }
  const stragglers = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, STRAGGLER_GRACE_MS);
  stragglers.unref();
  await Promise.all(closed);
  clearTimeout(stragglers);
}
