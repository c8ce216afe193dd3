/** The HTTP server of the live process, with the shutdown node:http does not do by itself. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from './listen-error.ts';

export interface HttpListener {
  readonly server: Server;
  readonly address: AddressInfo;
  /** Stops accepting, ends idle keep-alive connections and cuts busy ones after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/** Creates the server and binds it; rejects with a ListenError if the port cannot be bound. */
export async function startHttpListener(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
  port: number,
  onError: (error: Error) => void,
): Promise<HttpListener> {
  const server = createServer(handler);
  // A client's broken connection is its own problem; never let it reach the process.
  server.on('clientError', (error, socket) => {
    onError(error);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const address = await listenOn(server, 'HTTP', host, port);
  server.on('error', onError);
  return {
    server,
    address,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), graceMs).unref();
      }),
  };
}
