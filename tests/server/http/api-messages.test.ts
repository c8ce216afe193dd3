import { beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../../../server/http/security-headers.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import type { MessageSummary } from '../../../server/storage/message-types.ts';
import { captured, composeMime, simpleRaw } from '../storage/captured.ts';
import { jsonOf, rawRequest, serveMemoryDatabase } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

let store: MessageStore;
let rich: MessageSummary;
let rawOfRich: Buffer;
let plain: MessageSummary;
const attachmentBytes = Buffer.from([0x00, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0xff]);

const served = serveMemoryDatabase((db) => {
  store = new MessageStore(new SqliteDatabase(db), { maxMessages: 3 });
  return { messages: store };
});
beforeAll(async () => {
  rawOfRich = Buffer.concat([
    await composeMime({
      from: '"Zoë" <zoe@example.com>',
      to: 'bob@example.org',
      subject: 'Rich ✓',
      text: 'ünïcode text\r\n.dot line',
      html: '<p>Hi</p><script>alert(1)</script><img src="https://tracker.example/p.gif">',
      attachments: [{ filename: 'ïnvoice "2025".pdf', content: attachmentBytes, contentType: 'application/pdf' }],
    }),
  ]);
  plain = (await store.save('default', captured(simpleRaw('plain')))).message;
  rich = (await store.save('default', captured(rawOfRich, { queueId: 'A1B2C3D4' }))).message;
});

const get = (path: string, init: RequestInit = {}) => fetch(`${served.server.base}${path}`, init);

describe('GET /api/health', () => {
  it('answers ok as JSON with the security headers', async () => {
    const res = await get('/api/health');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /api/classroom outside classroom mode', () => {
  it('answers that no class runs, so the page load logs no 404', async () => {
    const res = await get('/api/classroom');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ mode: 'solo' });
  });
});

describe('GET /api/messages', () => {
  it('lists newest first with totals and the eviction figures', async () => {
    const body = await jsonOf(get('/api/messages'));
    expect(body.messages.map((m: MessageSummary) => m.id)).toEqual([rich.id, plain.id]);
    expect(body).toMatchObject({ total: 2, matched: 2, hasMore: false, nextBefore: null, limit: 50, offset: 0, q: null, maxMessages: 3, evictedTotal: 0 });
    expect(body.messages[0]).toEqual(rich);
    expect(body.messages[0]).toMatchObject({ subject: 'Rich ✓', from: '"Zoë" <zoe@example.com>', hasHtml: true });
  });

  it('pages with limit and offset', async () => {
    const body = await jsonOf(get('/api/messages?limit=1&offset=1'));
    expect(body.messages.map((m: MessageSummary) => m.id)).toEqual([plain.id]);
    expect(body).toMatchObject({ total: 2, limit: 1, offset: 1 });
  });

  it.each(['limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'offset=1.5', 'limit=', 'offset=%00'])(
    'refuses ?%s with 400 and a clear message',
    async (query) => {
      const res = await get(`/api/messages?${query}`);
      expect(res.status).toBe(400);
      const body = await jsonOf(res);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toMatch(/limit|offset/);
    },
  );

  it('answers HEAD with headers and no body', async () => {
    const res = await rawRequest(served.server.port, '/api/messages', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body.length).toBe(0);
  });
});

describe('GET /api/messages/:id', () => {
  it('gives the parsed message with links instead of inline HTML', async () => {
    const res = await get(`/api/messages/${rich.id}`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).not.toHaveProperty('html');
    expect(body).toMatchObject({
      id: rich.id,
      queueId: 'A1B2C3D4',
      text: 'ünïcode text\n.dot line',
      htmlUrl: `/api/messages/${rich.id}/html`,
      remoteImagesBlocked: 1,
      rawUrl: `/api/messages/${rich.id}/raw`,
      rawDownloadUrl: `/api/messages/${rich.id}/raw?download=1`,
      parseError: null,
      bareCr: false,
    });
    expect(body.attachments).toEqual([
      {
        index: 0,
        filename: 'ïnvoice "2025".pdf',
        contentType: 'application/pdf',
        size: attachmentBytes.length,
        contentId: null,
        url: `/api/messages/${rich.id}/attachments/0`,
      },
    ]);
    expect(body.headers[0]).toEqual({ key: 'From', value: '=?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>' });
  });

  it('gives htmlUrl null for a message without HTML', async () => {
    const body = await jsonOf(get(`/api/messages/${plain.id}`));
    expect(body.htmlUrl).toBeNull();
  });

  it.each(['abc', '0', '01', '-1', '1.5', '1e3', '99999999999999999999', '%20'])(
    'refuses the id "%s" with 400',
    async (id) => {
      const res = await get(`/api/messages/${id}`);
      expect(res.status).toBe(400);
      const body = await jsonOf(res);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toContain('is not a message id');
    },
  );

  it('answers 404 in the standard error shape for an unknown id', async () => {
    const res = await get('/api/messages/424242');
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({
      error: { code: 'not_found', message: 'There is no message 424242 in this mailbox.' },
    });
  });
});

describe('GET /api/messages/:id/raw', () => {
  it('serves the message byte-exact as message/rfc822', async () => {
    const res = await get(`/api/messages/${rich.id}/raw`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="A1B2C3D4.eml"');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), rawOfRich)).toBe(0);
  });

  it('keeps 8-bit bytes and CRLF exactly', async () => {
    const raw = Buffer.from('Subject: Grüße\r\n\r\n.dot\r\nbare\nlf ✓\r\n', 'utf8');
    const { message } = await store.save('raw-test', captured(raw));
    const res = await get(`/api/messages/${message.id}/raw`, { headers: { 'x-namespace': 'raw-test' } });
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), raw)).toBe(0);
  });
});

describe('GET /api/messages/:id/html', () => {
  it('serves the captured HTML as sent, under a sandboxing CSP', async () => {
    const res = await get(`/api/messages/${rich.id}/html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'",
    );
    // The one response the app frames (in its sandboxed iframe); no other site may.
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // As sent, except the remote image: a placeholder instead of a broken-image icon.
    const html = await res.text();
    expect(html.startsWith('<p>Hi</p><script>alert(1)</script><img src="data:image/svg+xml,')).toBe(true);
    expect(html).not.toContain('tracker.example');
  });

  it('answers 404 when the message has no HTML part', async () => {
    const res = await get(`/api/messages/${plain.id}/html`);
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.message).toContain('has no HTML part');
  });
});

describe('GET /api/messages/:id/attachments/:index', () => {
  it('serves the bytes as a download, never as a renderable type', async () => {
    const res = await get(`/api/messages/${rich.id}/attachments/0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="_nvoice _2025_.pdf"; filename*=UTF-8''%C3%AFnvoice%20%222025%22.pdf`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), attachmentBytes)).toBe(0);
  });

  it('answers 404 for a missing index and 400 for a malformed one', async () => {
    expect((await get(`/api/messages/${rich.id}/attachments/1`)).status).toBe(404);
    const bad = await get(`/api/messages/${rich.id}/attachments/x`);
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error.message).toContain('is not an attachment index');
  });
});

describe('namespaces', () => {
  it('hides one namespace\'s messages from another on every route', async () => {
    const { message } = await store.save('alice', captured(rawOfRich));
    const asBob = { headers: { 'x-namespace': 'bob' } };
    expect((await jsonOf(get('/api/messages', asBob))).total).toBe(0);
    for (const path of ['', '/raw', '/html', '/attachments/0']) {
      expect((await get(`/api/messages/${message.id}${path}`, asBob)).status).toBe(404);
    }
    expect((await get(`/api/messages/${message.id}`, { method: 'DELETE', ...asBob })).status).toBe(404);
    expect((await jsonOf(get('/api/messages', { method: 'DELETE', ...asBob }))).deleted).toBe(0);
    expect((await get(`/api/messages/${message.id}`, { headers: { 'x-namespace': 'alice' } })).status).toBe(200);
  });
});

describe('DELETE', () => {
  it('deletes one message, then all of a namespace', async () => {
    const ns = { headers: { 'x-namespace': 'deleting' } };
    const first = (await store.save('deleting', captured(simpleRaw('one')))).message;
    await store.save('deleting', captured(simpleRaw('two')));
    const one = await get(`/api/messages/${first.id}`, { method: 'DELETE', ...ns });
    expect(one.status).toBe(200);
    expect(await jsonOf(one)).toEqual({ deleted: 1 });
    expect((await get(`/api/messages/${first.id}`, { method: 'DELETE', ...ns })).status).toBe(404);
    const all = await get('/api/messages', { method: 'DELETE', ...ns });
    expect(await jsonOf(all)).toEqual({ deleted: 1 });
    expect((await jsonOf(get('/api/messages', ns))).total).toBe(0);
  });
});

describe('unknown routes and methods', () => {
  it.each(['/api', '/api/nope', '/api/messages/1/nope', '/api/messages/1/attachments'])(
    'answers 404 JSON for %s',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await jsonOf(res)).error.code).toBe('not_found');
    },
  );

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await get('/api/messages', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, DELETE');
    expect((await jsonOf(res)).error.code).toBe('method_not_allowed');
    const raw = await get(`/api/messages/${rich.id}/raw`, { method: 'DELETE' });
    expect(raw.status).toBe(405);
    expect(raw.headers.get('allow')).toBe('GET, HEAD');
  });

  it('treats a trailing slash like none', async () => {
    expect((await get('/api/messages/')).status).toBe(200);
  });

  it('has no session routes without a session store', async () => {
    expect((await get('/api/sessions')).status).toBe(404);
  });
});
