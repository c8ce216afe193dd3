/**
 * No page of ours inside someone else's frame (clickjacking the instructor's buttons, a fake
 * overlay on the join page): every response says `frame-ancestors 'none'` and
 * `X-Frame-Options: DENY`, whatever route or error produced it. The captured HTML is the one
 * exception, framed by the app's own sandboxed iframe, and it says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';
import { captured, composeMime } from '../storage/captured.ts';
import { rawRequest, startServer, type TestServer } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

let tmp: string;
let db: Database;
let built: TestServer;
let notBuilt: TestServer;
let messageId: number;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'smtp-lab-frames-'));
  mkdirSync(join(tmp, 'assets'));
  writeFileSync(join(tmp, 'index.html'), '<!doctype html><title>SMTP Lab</title>');
  writeFileSync(join(tmp, 'assets', 'app.js'), 'console.log(1)');
  db = openDatabase(':memory:');
  const messages = new MessageStore(new SqliteDatabase(db));
  const raw = await composeMime({
    subject: 'framed',
    html: '<p>hi</p>',
    attachments: [{ filename: 'page.html', content: '<script>1</script>', contentType: 'text/html' }],
  });
  messageId = (await messages.save('default', captured(raw))).message.id;
  built = await startServer({ messages, staticDir: tmp });
  notBuilt = await startServer({ messages, staticDir: null });
});
afterAll(async () => {
  await built.close();
  await notBuilt.close();
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

function expectNoFraming(headers: Record<string, string | string[] | undefined>, what: string): void {
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(String(headers['content-security-policy']), what).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
}

describe('frame headers', () => {
  it.each([
    ['GET', '/', 200, 'text/html'],
    ['GET', '/index.html', 200, 'text/html'],
    ['GET', '/join/K7QX2M', 200, 'text/html'],
    ['GET', '/instructor', 200, 'text/html'],
    ['GET', '/mailbox/42', 200, 'text/html'],
    ['HEAD', '/join/K7QX2M', 200, 'text/html'],
    ['GET', '/assets/app.js', 200, 'text/javascript'],
    ['GET', '/missing.js', 404, 'text/plain'],
    ['POST', '/instructor', 405, 'text/plain'],
    ['GET', '/%2e%2e/index.html', 400, 'text/plain'],
    ['GET', `/api/${'x'.repeat(9000)}`, 414, 'application/json'],
    ['GET', '/api/nothing', 404, 'application/json'],
    ['GET', '/api/messages', 200, 'application/json'],
    ['GET', '/api/messages/1/raw', 200, 'message/rfc822'],
    ['GET', '/api/messages/1/attachments/0', 200, 'application/octet-stream'],
  ])('%s %s (%i, %s) may not be framed', async (method, path, status, type) => {
    const res = await rawRequest(built.port, path.replace('/1/', `/${messageId}/`), method);
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toContain(type);
    expectNoFraming(res.headers, `${method} ${path}`);
  });

  it('covers the page shown when the app is not built', async () => {
    const res = await rawRequest(notBuilt.port, '/');
    expect(String(res.headers['content-type'])).toContain('text/html');
    expectNoFraming(res.headers, 'the not-built page');
  });

  it("lets only the app's own pages frame the captured HTML, which stays sandboxed", async () => {
    const res = await rawRequest(built.port, `/api/messages/${messageId}/html`);
    expect(res.status).toBe(200);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/(^|; )frame-ancestors 'self'(;|$)/);
    expect(csp).toMatch(/^sandbox;/);
  });

  it('serves attachments as inert downloads, whatever type the sender gave them', async () => {
    const res = await rawRequest(built.port, `/api/messages/${messageId}/attachments/0`);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toMatch(/^sandbox; default-src 'none'/);
  });
});
