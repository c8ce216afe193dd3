/** Starts the real HTTP handler on a port-0 server, and sends requests fetch would normalize. */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createHttpHandler, type HttpHandlerOptions } from '../../../server/http/create-http-handler.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';

export interface TestServer {
  readonly base: string;
  readonly port: number;
  readonly errors: unknown[];
  close(): Promise<void>;
}

/** The namespace comes from an `x-namespace` header, so tests can act as different learners. */
export function namespaceFromHeader(req: { headers: IncomingHttpHeaders }): string {
  const value = req.headers['x-namespace'];
  return typeof value === 'string' ? value : 'default';
}

export type TestServerOptions = Partial<HttpHandlerOptions> & Pick<HttpHandlerOptions, 'messages'>;

export async function startServer(options: TestServerOptions): Promise<TestServer> {
  const errors: unknown[] = [];
  const handler = createHttpHandler({
    staticDir: null,
    namespaceOf: namespaceFromHeader,
    onError: (error) => errors.push(error),
    ...options,
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    errors,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The server over a test file's in-memory database, there once the file's beforeAll hooks run. */
export interface ServedDatabase {
  readonly server: TestServer;
}

/**
 * Opens an in-memory database and starts a server over it before the file's tests (before the
 * file's own beforeAll, which may fill it), and closes both after them.
 */
export function serveMemoryDatabase(optionsFor: (db: Database) => TestServerOptions): ServedDatabase {
  const served: { db?: Database; server?: TestServer } = {};
  beforeAll(async () => {
    served.db = openDatabase(':memory:');
    served.server = await startServer(optionsFor(served.db));
  });
  afterAll(async () => {
    await served.server?.close();
    served.db?.close();
  });
  return {
    get server() {
      if (!served.server) throw new Error('the server starts in beforeAll');
      return served.server;
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request with the path sent exactly as given (no `..` resolution, no re-encoding). */
export function rawRequest(port: number, path: string, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `bytes` on a bare TCP socket and returns whatever comes back before the server closes. */
export function rawSocket(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

/** A response's JSON body, loosely typed: the tests check its shape with assertions. */
export async function jsonOf(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}
