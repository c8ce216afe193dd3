import { describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { jsonOf, rawRequest, rawSocket, serveMemoryDatabase } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

const served = serveMemoryDatabase((db) => ({
  messages: new MessageStore(new SqliteDatabase(db)),
  namespaceOf: (req) => {
    if (req.headers['x-explode'] !== undefined) throw new Error('namespace lookup failed');
    return 'default';
  },
}));

async function stillUp(): Promise<void> {
  const res = await fetch(`${served.server.base}/api/health`);
  expect(res.status).toBe(200);
}

describe('bad input', () => {
  it.each(['/%E0%A4%A', '/api/messages/%E0%A4%A', '/api/%', '/%ZZ'])('answers 400 JSON to the malformed URL %s', async (path) => {
    const res = await rawRequest(served.server.port, path);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body.toString('utf8'));
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('malformed percent-encoding');
    await stillUp();
  });

  it('answers 414 to a URL over 8 KB', async () => {
    const res = await rawRequest(served.server.port, `/api/messages?x=${'a'.repeat(9000)}`);
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body.toString('utf8')).error.code).toBe('uri_too_long');
    await stillUp();
  });

  it('survives a request line too big for Node to read at all', async () => {
    const reply = await rawSocket(served.server.port, `GET /?${'q'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431/);
    await stillUp();
  });

  it('answers 400 to a request target that is not a path', async () => {
    const reply = await rawSocket(
      served.server.port,
      `GET http://elsewhere.example/api/health HTTP/1.1\r\nHost: 127.0.0.1:${served.server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('must be a path starting with');
    await stillUp();
  });

  it('survives garbage bytes instead of HTTP', async () => {
    await rawSocket(served.server.port, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]));
    await stillUp();
  });

  it('turns an unexpected error into a 500 JSON body, reports it, and stays up', async () => {
    const res = await fetch(`${served.server.base}/api/messages`, { headers: { 'x-explode': '1' } });
    expect(res.status).toBe(500);
    expect((await jsonOf(res)).error.code).toBe('internal_error');
    expect(served.server.errors.map((error) => (error as Error).message)).toContain('namespace lookup failed');
    await stillUp();
  });

  it('answers HEAD for an unknown API route with 404 and no body', async () => {
    const res = await rawRequest(served.server.port, '/api/nothing', 'HEAD');
    expect(res.status).toBe(404);
    expect(res.body.length).toBe(0);
  });
});
