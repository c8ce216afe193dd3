/**
 * The simulator behind a real TCP listener (`smtp-lab sandbox --personality NAME`), so swaks,
 * Thunderbird or Python's smtplib can talk to any personality. One SimulatedServer per
 * connection, all sharing one greylisting memory like the connections of one real server.
 * STARTTLS, where the personality offers it, is a real TLS upgrade with a self-signed
 * certificate made at the first handshake. Bounded: connections, bytes and idle time.
 * The lab network (server/world/lab-network) serves its MX hosts with it, setting up each
 * connection (who is connecting, whose mail it takes, what becomes of a message).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { SandboxConfig } from '../../protocol/sandbox-config.ts';
import { GreylistMemory, SimulatedServer, type SimulatedServerOptions } from '../../protocol/simulator/index.ts';
import { generateSandboxCertificate } from '../tls/generate-certificate.ts';
import type { CapturedMessage } from './captured-message.ts';
import { WireDecoder, wireBytes } from './wire-decoder.ts';

/** Open connections at once; more are turned away by the kernel's backlog and our cap. */
const MAX_CONNECTIONS = 20;
/** A connection that sent this much is closed: the simulator keeps a message in memory. */
const MAX_CONNECTION_BYTES = 64 * 1024 * 1024;
/** Postfix's and smtp-server's order of magnitude for an idle client. */
const IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/** What a host may decide for each connection, at accept time. */
export type ConnectionSetup = Pick<SimulatedServerOptions, 'clientAddress' | 'localRecipients' | 'admitMessage'> & {
  /** A reply written instead of the greeting, then the connection closes (a client the host turns away at connect). */
  readonly refuse?: { readonly code: number; readonly text: string };
};

export interface SimulatorListenerOptions {
  readonly config: SandboxConfig;
  readonly onMessage?: (message: CapturedMessage) => void;
  /**
   * Sets up the simulator of a new connection (the greeting waits for it); by default it
   * sees the socket's own address.
   */
  readonly setUpConnection?: (socket: net.Socket) => ConnectionSetup | Promise<ConnectionSetup>;
  /** A client connection failed (reset, bad TLS handshake); the listener goes on. */
  readonly onError: (error: Error) => void;
  /** Open connections at once (default 20); one more is closed by Node before any greeting. */
  readonly maxConnections?: number;
}

export interface SimulatorListener {
  listen(port: number, host: string): Promise<net.AddressInfo>;
  close(): Promise<void>;
}

export function createSimulatorListener(options: SimulatorListenerOptions): SimulatorListener {
  const greylist = new GreylistMemory();
  let certificate: Promise<tls.SecureContext> | null = null;
  const secureContext = (): Promise<tls.SecureContext> =>
    (certificate ??= generateSandboxCertificate(options.config.hostname).then((pair) => tls.createSecureContext(pair)));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', options.onError);
    void Promise.resolve(options.setUpConnection?.(socket) ?? {}).then((setup) => {
      if (socket.destroyed) return;
      if (setup.refuse) socket.end(`${setup.refuse.code} ${setup.refuse.text}\r\n`);
      else serveConnection(socket, options, setup, greylist, secureContext);
    }, (error: unknown) => {
      options.onError(error instanceof Error ? error : new Error(String(error)));
      socket.destroy();
    });
  });
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as net.AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveConnection(
  socket: net.Socket,
  options: SimulatorListenerOptions,
  setup: ConnectionSetup,
  greylist: GreylistMemory,
  secureContext: () => Promise<tls.SecureContext>,
): void {
  let stream: net.Socket = socket;
  let received = 0;
  // Byte counts (SIZE, BDAT chunks) must be wire bytes, invalid UTF-8 included.
  const decoder = new WireDecoder();
  const { onMessage } = options;
  const simulator = new SimulatedServer({
    config: options.config,
    greylist,
    ...(socket.remoteAddress ? { clientAddress: socket.remoteAddress } : {}),
    ...(onMessage ? { onMessage: (message) => onMessage({ ...message, receivedAt: new Date(), raw: wireBytes(message.data) }) } : {}),
    ...setup,
  });
  const reply = (text: string): void => {
    if (stream.destroyed) return;
    if (text) stream.write(text);
    if (simulator.closed) stream.end();
  };
  // A held reply to the end of data (the host deciding on the message) is written once it settles.
  let waiting = false;
  const awaitHeldReply = (): void => {
    const pending = simulator.pendingReply;
    if (pending === null || waiting) return;
    waiting = true;
    void pending.then((text) => {
      waiting = false;
      reply(text);
      if (simulator.awaitingTls) upgrade();
      awaitHeldReply();
    });
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > MAX_CONNECTION_BYTES) {
      stream.end('421 4.7.0 Too much data on one connection to the simulator, closing\r\n');
      return;
    }
    reply(simulator.receive(decoder.write(chunk)));
    if (simulator.awaitingTls) upgrade();
    awaitHeldReply();
  };
  const upgrade = (): void => {
    socket.off('data', onData);
    socket.pause();
    secureContext().then(
      (context) => {
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
        secure.once('secure', () => simulator.startTls());
        secure.on('data', onData);
        secure.on('error', options.onError);
        stream = secure;
      },
      (error: unknown) => {
        options.onError(error instanceof Error ? error : new Error(String(error)));
        socket.destroy();
      },
    );
  };
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.end());
  socket.on('data', onData);
  reply(simulator.greeting());
}
