/**
 * A Transport over a real TCP connection (node:net), upgraded in place to TLS for STARTTLS
 * (node:tls on the same socket, RFC 3207).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { TlsInfo, Transport, TransportFactory, TransportHandlers } from '../../protocol/transport.ts';

export interface TcpTransportOptions {
  /** How long to wait for the TCP connection; default 5000 ms. */
  readonly connectTimeoutMs?: number;
  readonly tls?: {
    /** Check the server certificate after STARTTLS; Node's default (true) when not given. */
    readonly rejectUnauthorized?: boolean;
    /** The name sent in SNI and checked against the certificate; the host when it is a name. */
    readonly servername?: string;
  };
  /** Told this end's address once connected (the bridge maps its local port to a learner). */
  readonly onConnected?: (local: { readonly address: string; readonly port: number }) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** How long a client-side close waits for the server's FIN before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

/**
 * Returns a factory that opens a TCP connection to host:port. It rejects with a one-line
 * reason such as "cannot connect to 127.0.0.1:2599: connection refused".
 */
export function createTcpTransport(host: string, port: number, options: TcpTransportOptions = {}): TransportFactory {
  const where = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  return (handlers) =>
    new Promise((resolve, reject) => {
      // Each console line is a small write; without noDelay the last line of a message waits
      // for a delayed ACK (Nagle), about 40 ms before the server even sees the final ".".
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`cannot connect to ${where}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnectError = (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to ${where}: ${describeSocketError(error)}`));
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        options.onConnected?.({ address: socket.localAddress ?? '', port: socket.localPort ?? 0 });
        resolve(new TcpTransport(socket, host, handlers, options));
      });
    });
}

/**
 * A factory over a socket already connected by someone else (the lab network, which picks the
 * listener behind a lab host): the same transport, without the connect step.
 */
export function transportOverSocket(socket: net.Socket, host: string, options: TcpTransportOptions = {}): TransportFactory {
  return (handlers) => Promise.resolve(new TcpTransport(socket, host, handlers, options));
}

class TcpTransport implements Transport {
  #socket: net.Socket;
  readonly #host: string;
  readonly #handlers: TransportHandlers;
  readonly #options: TcpTransportOptions;
  /** Streaming, so a multi-byte UTF-8 character split across two chunks decodes whole. */
  #decoder = new TextDecoder('utf-8');
  #error: Error | null = null;
  #closed = false;
  readonly #onData = (chunk: Buffer) => this.#handlers.onData(this.#decoder.decode(chunk, { stream: true }));

  constructor(socket: net.Socket, host: string, handlers: TransportHandlers, options: TcpTransportOptions) {
    this.#socket = socket;
    this.#host = host;
    this.#handlers = handlers;
    this.#options = options;
    this.#watch(socket);
    socket.on('data', this.#onData);
  }

  write(text: string): void {
    if (!this.#socket.destroyed) this.#socket.write(text, 'utf8');
  }

  startTls(): Promise<TlsInfo> {
    const plain = this.#socket;
    // Bytes from now on are TLS records; the plaintext reader must not see them.
    plain.off('data', this.#onData);
    const servername = this.#options.tls?.servername ?? (net.isIP(this.#host) ? undefined : this.#host);
    return new Promise((resolve, reject) => {
      const secure = tls.connect({
        socket: plain,
        ...(servername === undefined ? {} : { servername }),
        rejectUnauthorized: this.#options.tls?.rejectUnauthorized ?? true,
      });
      const onHandshakeError = (error: Error) => {
        secure.destroy();
        reject(new Error(describeTlsError(error)));
      };
      secure.once('error', onHandshakeError);
      secure.once('secureConnect', () => {
        secure.off('error', onHandshakeError);
        this.#socket = secure;
        this.#decoder = new TextDecoder('utf-8');
        this.#watch(secure);
        secure.on('data', this.#onData);
        resolve(tlsInfoOf(secure));
      });
    });
  }

  close(): void {
    const socket = this.#socket;
    socket.end();
    // A server that never answers our FIN must not keep the process alive.
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Reports the end of the connection once, with the socket error as the reason. */
  #watch(socket: net.Socket): void {
    socket.on('error', (error) => {
      this.#error = error;
    });
    socket.once('close', () => {
      if (this.#closed || socket !== this.#socket) return;
      this.#closed = true;
      this.#handlers.onClose(this.#error ? describeSocketError(this.#error) : undefined);
    });
  }
}

function tlsInfoOf(socket: tls.TLSSocket): TlsInfo {
  const certificate = socket.getPeerCertificate();
  const hasCertificate = Object.keys(certificate).length > 0;
  const commonName = hasCertificate ? certificate.subject?.CN : undefined;
  return {
    protocol: socket.getProtocol() ?? 'unknown protocol',
    cipher: socket.getCipher().name,
    ...(typeof commonName === 'string' ? { peerCertificate: commonName } : {}),
    simulated: false,
    ...(hasCertificate
      ? {
          certificate: {
            subject: formatDistinguishedName(certificate.subject),
            issuer: formatDistinguishedName(certificate.issuer),
            validFrom: certificate.valid_from,
            validTo: certificate.valid_to,
            fingerprint256: certificate.fingerprint256,
          },
        }
      : {}),
  };
}

/** "CN=x, O=y" from Node's certificate name object (absent fields are skipped). */
function formatDistinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** A short, lower-case reason for a socket error ("connection refused"). */
function describeSocketError(error: Error): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EPIPE':
      return 'the server closed the connection while the client was writing';
    default:
      return error.message;
  }
}

function describeTlsError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return `the server's certificate is self-signed and verification is on (${code})`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's certificate is for another name (${error.message})`;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
