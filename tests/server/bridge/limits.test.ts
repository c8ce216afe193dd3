import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessageSummary } from '../../../protocol/wire/contract.ts';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { deadPort, startBridge, startSandbox, WireClient, type RunningBridge, type RunningSandbox } from './bridge-harness.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

let sandbox: RunningSandbox;
const bridges: RunningBridge[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  const done = bridges.splice(0);
  await Promise.all(done.map((running) => running.close()));
  expect(done.flatMap((running) => running.errors)).toEqual([]);
});
afterAll(async () => {
  await sandbox.sandbox.close();
});

async function bridgeWith(options: Parameters<typeof startBridge>[1]): Promise<RunningBridge> {
  const running = await startBridge(sandbox.port, options);
  bridges.push(running);
  return running;
}

/** The HTTP status a refused handshake gets. */
function refusedStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res: http.IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('open', () => reject(new Error('the handshake was accepted')));
    ws.on('error', () => {});
  });
}

describe('the upgrade handler', () => {
  it('checks the path and the Origin', async () => {
    const running = await bridgeWith({ allowedOrigins: ['http://localhost:5173'] });
    const base = `ws://127.0.0.1:${running.port}`;
    expect(await refusedStatus(`${base}/other`)).toBe(404);
    expect(await refusedStatus(running.url, { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus(running.url, { origin: 'null' })).toBe(403);
    expect(await refusedStatus(running.url, { origin: `http://127.0.0.1:${running.port + 1}` })).toBe(403);
    for (const origin of [`http://127.0.0.1:${running.port}`, 'http://localhost:5173', undefined]) {
      const client = await WireClient.greeted(running.url, origin === undefined ? {} : { origin });
      client.close();
    }
    expect(running.bridge.stats().upgradesRefusedTotal).toBe(4);
  });

  it('refuses a missing Origin when told to, and a connection without a namespace', async () => {
    const strict = await bridgeWith({ allowMissingOrigin: false });
    expect(await refusedStatus(strict.url)).toBe(403);
    const closed = await bridgeWith({ namespaceOf: () => null });
    expect(await refusedStatus(closed.url)).toBe(401);
  });

  it('waits for a namespace looked up in a database, and refuses with 503 when the lookup fails', async () => {
    let failing = true;
    const running = await startBridge(sandbox.port, {
      namespaceOf: async () => {
        if (failing) throw new Error('the class database cannot be reached');
        return 'student:ana';
      },
    });
    try {
      expect(await refusedStatus(running.url)).toBe(503);
      expect(running.errors.map((error) => error.message)).toEqual(['the class database cannot be reached']);
      failing = false;
      const client = await WireClient.greeted(running.url);
      client.close();
      expect(running.bridge.stats().upgradesRefusedTotal).toBe(1);
    } finally {
      await running.close();
    }
  });
});

describe('session limits', () => {
  it('limits concurrent sessions per client address', async () => {
    const running = await bridgeWith({ limits: { maxSessionsPerAddress: 2 } });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => WireClient.greeted(running.url)));
    await a!.open();
    await b!.open();
    c!.send({ type: 'session.open', target: 'sandbox' });
    const error = await c!.next('error');
    expect(error).toMatchObject({ code: 'too_many_sessions' });
    expect(error.message).toContain('already has 2 open sessions');
    a!.send({ type: 'session.close' });
    await a!.next('session.closed');
    await c!.open();
    expect(running.bridge.sessions()).toHaveLength(2);
    for (const client of [a, b, c]) client!.close();
  });

  it.each([
    ['an idle session', { idleTimeoutMs: 200 }, 'the bridge closed the session after 200 ms without input from you (idle timeout)'],
    ['a session at the end of its lifetime', { maxSessionMs: 300 }, 'the bridge closed the session because a session may last at most 300 ms'],
  ])('closes %s, and says why', async (_what, limits, reason) => {
    const running = await bridgeWith({ limits });
    const client = await WireClient.greeted(running.url);
    await client.open();
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'limit', reason });
    expect(client.events().at(-1)).toEqual({ type: 'socket.closed', reason: closed.reason });
    client.close();
  });
});

describe('backends', () => {
  it('says clearly when nothing listens on the target', async () => {
    const port = await deadPort();
    const running = await bridgeWith({ extraTargets: [{ id: 'dead', label: 'Nobody home', host: '127.0.0.1', port }] });
    const client = await WireClient.greeted(running.url);
    client.send({ type: 'session.open', target: 'dead' });
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'error', reason: `cannot connect to 127.0.0.1:${port}: connection refused` });
    expect(client.messages.some((m) => m.type === 'session.opened')).toBe(false);
    expect(running.bridge.sessions()).toEqual([]);
    await client.open();
    client.close();
  });

  it('shows text that is not a reply, and a connection reset', async () => {
    // Someone allowed an IMAP server as a target: its greeting is no SMTP reply.
    const imap = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.write('* OK IMAP4rev1 ready\r\n');
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => imap.listen(0, '127.0.0.1', resolve));
    const { port } = imap.address() as AddressInfo;
    const running = await bridgeWith({ extraTargets: [{ id: 'imap', label: 'Not SMTP', host: '127.0.0.1', port }] });
    const client = await WireClient.greeted(running.url);
    client.send({ type: 'session.open', target: 'imap' });
    const unreadable = await client.nextEvent('server.unreadable');
    expect(unreadable.raw).toBe('* OK IMAP4rev1 ready\r\n');
    expect(unreadable.reason).toMatch(/three-digit code/);
    client.send({ type: 'session.send', text: 'NOOP\r\n' });
    const closed = await client.next('session.closed');
    expect(closed).toMatchObject({ by: 'server', reason: `the connection to 127.0.0.1:${port} ended: connection reset by the server` });
    client.close();
    await new Promise((resolve) => imap.close(resolve));
  });

  it('reports a refused certificate when the target checks it', async () => {
    const running = await bridgeWith({
      extraTargets: [{ id: 'strict', label: 'Sandbox, certificate checked', host: '127.0.0.1', port: sandbox.port }],
    });
    const client = await WireClient.greeted(running.url);
    await client.open('strict');
    await client.exchange('EHLO strict.test\r\n');
    await client.exchange('STARTTLS\r\n');
    const failed = await client.nextEvent('tls.failed');
    expect(failed.reason).toMatch(/certificate/);
    const closed = await client.next('session.closed');
    expect(closed.by).toBe('error');
    expect(closed.reason).toBe(`the TLS handshake with 127.0.0.1:${sandbox.port} failed: ${failed.reason}`);
    client.close();
  });
});

describe('heartbeat, pushes, storage and shutdown', () => {
  it('terminates a client that stops answering pings and keeps the others', async () => {
    // The healthy client's pong must arrive within one interval: 300 ms leaves room for a
    // stalled test process, where 50 ms let the next tick drop the healthy client too.
    const running = await bridgeWith({ heartbeatIntervalMs: 300 });
    const healthy = await WireClient.greeted(running.url);
    await healthy.open();
    // Nothing is awaited on the silent client: it may be dropped at any moment now.
    const silent = await WireClient.connect(running.url, { autoPong: false });
    silent.send({ type: 'hello', version: 1 });
    silent.send({ type: 'session.open', target: 'sandbox' });
    expect((await silent.closed).code).toBe(1006);
    // Dropped within two intervals; read the count once the server has let the socket go.
    await expect.poll(() => running.bridge.stats().connections, { timeout: 5_000 }).toBe(1);
    expect(running.bridge.stats().heartbeatTerminationsTotal).toBe(1);
    const [reply] = await healthy.exchange('NOOP\r\n');
    expect(reply!.reply.code).toBe(250);
    expect(running.bridge.stats()).toMatchObject({ connections: 1, sessions: 1 });
    healthy.close();
  });

  it('pushes captured messages to the namespace only', async () => {
    const running = await bridgeWith({ namespaceOf: (req) => new URL(req.url ?? '/', 'http://x').searchParams.get('ns') });
    const alice = await WireClient.greeted(`${running.url}?ns=alice`);
    const bob = await WireClient.greeted(`${running.url}?ns=bob`);
    const summary: WireMessageSummary = {
      id: 7, queueId: 'Q1', mailFrom: 'a@lab.test', rcptTo: ['b@lab.test'], from: 'A <a@lab.test>', to: null,
      subject: 'Hi', date: null, receivedAt: new Date(0).toISOString(), size: 42, hasHtml: false, attachmentCount: 0,
    };
    running.bridge.notifyMessage('alice', summary);
    expect(await alice.next('message.captured')).toEqual({ type: 'message.captured', summary });
    bob.send({ type: 'ping' });
    await bob.next('pong');
    expect(bob.messages.some((m) => m.type === 'message.captured')).toBe(false);
    alice.close();
    bob.close();
  });

  it('records every wire event and the end reason in the session store', async () => {
    const db = openDatabase(':memory:');
    const store = new SessionStore(new SqliteDatabase(db));
    const running = await bridgeWith({ sessions: store });
    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    await client.exchange('EHLO stored.test\r\n');
    client.send({ type: 'session.close' });
    await client.next('session.closed');
    expect(await store.get('default', sessionId)).toMatchObject({
      target: `127.0.0.1:${sandbox.port}`,
      endReason: 'you closed the session',
    });
    expect((await store.events('default', sessionId))!.map((e) => e.event)).toEqual(client.events());
    client.close();
    db.close();
  });

  it('closes every session and WebSocket with 1001 and the reason on shutdown', async () => {
    const running = await startBridge(sandbox.port);
    const client = await WireClient.greeted(running.url);
    await client.open();
    await running.bridge.close('the server is restarting');
    expect(await client.next('session.closed')).toMatchObject({ by: 'shutdown', reason: 'the server is restarting' });
    expect(await client.closed).toEqual({ code: 1001, reason: 'the server is restarting' });
    expect(await refusedStatus(running.url).catch((error: Error) => error.message)).not.toBe('the handshake was accepted');
    await running.close();
  });
});
