/**
 * The Host and Origin matrix against the real app (startApp): the API, a page and the /ws
 * upgrade answer only for the server's own names; a rebinding page's name gets 421 and a
 * foreign page's Origin cannot open the bridge, whatever Host it sends.
 */
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { testConfig } from '../app/app-config.ts';
import { startBridge, startSandbox, type RunningBridge, type RunningSandbox } from '../bridge/bridge-harness.ts';
import { rawSocket, startServer, type TestServer } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request with exactly these headers (Host included), on a fresh connection. */
function send(port: number, path: string, headers: OutgoingHttpHeaders, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket handshake on /ws: 101 when accepted, else the refusal's status (after which the server closes). */
function upgrade(port: number, headers: OutgoingHttpHeaders): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/ws',
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      // The refused socket is destroyed by the server: the response ends and the socket closes.
      res.socket.once('close', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PUBLIC_HOST = 'lab.school.test';
const DEV_ORIGIN = 'http://localhost:5173';

describe('the Host check of the live app', () => {
  let app: RunningApp;
  let port: number;

  beforeAll(async () => {
    app = await startApp(testConfig({ 'public-host': [PUBLIC_HOST], 'allowed-origin': [DEV_ORIGIN] }));
    port = app.ports.http;
  });
  afterAll(() => app.close('test finished'));

  const accepted: [string, (port: number) => string][] = [
    ['127.0.0.1 on the port', (p) => `127.0.0.1:${p}`],
    ['localhost on the port', (p) => `localhost:${p}`],
    ['LOCALHOST on the port', (p) => `LOCALHOST:${p}`],
    ['[::1] on the port', (p) => `[::1]:${p}`],
    ['the public name, bare (behind a proxy)', () => PUBLIC_HOST],
    ['the public name on the port', (p) => `${PUBLIC_HOST}:${p}`],
    ['the public name on 443', () => `${PUBLIC_HOST}:443`],
  ];
  const refused: [string, (port: number) => string][] = [
    ['127.0.0.1 on another port', (p) => `127.0.0.1:${p + 1}`],
    ['127.0.0.1 without the port', () => '127.0.0.1'],
    ['evil.example', () => 'evil.example'],
    ['evil.example on the port', (p) => `evil.example:${p}`],
    ['127.0.0.1.evil.example on the port', (p) => `127.0.0.1.evil.example:${p}`],
    ['a subdomain of the public name', () => `evil.${PUBLIC_HOST}`],
  ];

  it.each(accepted)('answers for %s: API, page and /ws', async (_label, host) => {
    const h = host(port);
    expect((await send(port, '/api/health', { host: h })).status).toBe(200);
    expect((await send(port, '/api/messages', { host: h })).status).toBe(200);
    expect((await send(port, '/', { host: h })).status).toBe(200);
    expect((await upgrade(port, { host: h })).status).toBe(101);
  });

  it.each(refused)('refuses %s with 421 on the API, a page and /ws', async (_label, host) => {
    const h = host(port);
    for (const path of ['/api/health', '/api/messages']) {
      const answer = await send(port, path, { host: h });
      expect(answer.status).toBe(421);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(answer.body).error).toEqual({ code: 'misdirected_request', message: expect.stringContaining(`"${h}"`) });
    }
    const page = await send(port, '/', { host: h });
    expect(page.status).toBe(421);
    expect(page.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(page.body).not.toContain('<');
    const ws = await upgrade(port, { host: h });
    expect(ws.status).toBe(421);
    expect(ws.body).toContain('does not answer for');
  });

  it('refuses an empty Host, and a request without one', async () => {
    expect(await rawSocket(port, 'GET /api/health HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 421 Misdirected Request\r\n/);
    expect(await rawSocket(port, 'GET /api/health HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 421 Misdirected Request\r\n/);
    expect(await rawSocket(port, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 421 [^]*no name/);
  });

  it('lets only its own pages and the --allowed-origin open /ws, whatever the Host says', async () => {
    const own = `127.0.0.1:${port}`;
    for (const origin of [`http://${own}`, `http://localhost:${port}`, `http://${PUBLIC_HOST}`, `https://${PUBLIC_HOST}`, DEV_ORIGIN]) {
      expect({ origin, status: (await upgrade(port, { host: own, origin })).status }).toEqual({ origin, status: 101 });
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      expect({ origin, status: (await upgrade(port, { host: own, origin })).status }).toEqual({ origin, status: 403 });
    }
    // The rebinding attack itself: the page's own name in both headers.
    expect((await upgrade(port, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).status).toBe(421);
  });
});

describe('a configured --http-host name', () => {
  const allowedHosts = new HostAllowList({ httpHost: 'lab-host.test', publicHosts: [] });
  let server: TestServer;
  let sandbox: RunningSandbox;
  let bridge: RunningBridge;

  beforeAll(async () => {
    // Listening on loopback; only the Host header names the configured host.
    server = await startServer({ messages: new MessageStore(new SqliteDatabase(openDatabase(':memory:'))), allowedHosts });
    sandbox = await startSandbox();
    bridge = await startBridge(sandbox.port, { allowedHosts });
  });
  afterAll(async () => {
    await bridge.close();
    await sandbox.sandbox.close();
    await server.close();
  });

  it('is answered on the listener port, and refused on another', async () => {
    expect((await send(server.port, '/api/health', { host: `lab-host.test:${server.port}` })).status).toBe(200);
    expect((await send(server.port, '/api/health', { host: `lab-host.test:${server.port + 1}` })).status).toBe(421);
    expect((await send(server.port, '/api/health', { host: 'lab-host.test' })).status).toBe(421);
    expect((await upgrade(bridge.port, { host: `lab-host.test:${bridge.port}`, origin: `http://lab-host.test:${bridge.port}` })).status).toBe(101);
    expect((await upgrade(bridge.port, { host: `other.test:${bridge.port}` })).status).toBe(421);
  });
});

describe('the classroom CSRF check', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(testConfig({ classroom: true }));
  });
  afterAll(() => app.close('test finished'));

  it('compares the Origin with the allow-list, not with the Host header', async () => {
    const port = app.ports.http;
    const logout = (origin: string) => send(port, '/api/instructor/logout', { host: `127.0.0.1:${port}`, origin }, 'POST');
    // Another of the server's own names is one of its pages, though it differs from the Host.
    expect((await logout(`http://localhost:${port}`)).status).not.toBe(403);
    expect((await logout(`http://evil.example:${port}`)).status).toBe(403);
    expect((await logout(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
  });
});
