import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../../../server/http/security-headers.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../server/storage/open-database.ts';
import { rawRequest, startServer, type TestServer } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-WEB-ROOT';
const INDEX = '<!doctype html><title>SMTP Lab app</title>';
let tmp: string;
let db: Database;
let server: TestServer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'smtp-lab-static-'));
  const web = join(tmp, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), INDEX);
  writeFileSync(join(web, 'assets', 'app-3f9a1c.js'), 'console.log("app")');
  writeFileSync(join(web, 'assets', 'app-3f9a1c.css'), 'body{}');
  writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(web, 'mystery.xyz'), 'bytes');
  writeFileSync(join(web, '.env'), SECRET);
  // Files a traversal would reach: next to the web root, and through a symlink inside it.
  writeFileSync(join(tmp, 'package.json'), SECRET);
  writeFileSync(join(tmp, 'secret.txt'), SECRET);
  symlinkSync(join(tmp, 'secret.txt'), join(web, 'linked.txt'));
  db = openDatabase(':memory:');
  server = await startServer({ messages: new MessageStore(new SqliteDatabase(db)), staticDir: web });
});
afterAll(async () => {
  await server.close();
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('static files', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache', INDEX],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache', INDEX],
    ['/assets/app-3f9a1c.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', 'console.log("app")'],
    ['/assets/app-3f9a1c.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable', 'body{}'],
    ['/favicon.svg', 'image/svg+xml', 'no-cache', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['/mystery.xyz', 'application/octet-stream', 'no-cache', 'bytes'],
  ])('serves %s as %s', async (path, contentType, cacheControl, body) => {
    const res = await fetch(`${server.base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(contentType);
    expect(res.headers.get('cache-control')).toBe(cacheControl);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(body);
  });

  it('falls back to index.html for app routes, not for missing files', async () => {
    const route = await fetch(`${server.base}/mailbox/42?tab=raw`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX);
    const missing = await fetch(`${server.base}/assets/missing-123.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await rawRequest(server.port, '/assets/app-3f9a1c.js', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String('console.log("app")'.length));
    expect(res.body.length).toBe(0);
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await fetch(`${server.base}/index.html`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('path traversal', () => {
  it.each([
    '/../package.json',
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/package.json',
    '/..%2fsecret.txt',
    '/..%2Fpackage.json',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/index.html%00.js',
    '/linked.txt',
    '/.env',
    '/%2eenv',
  ])('never serves what lies outside the web root or is hidden: %s', async (path) => {
    const res = await rawRequest(server.port, path);
    expect([400, 404]).toContain(res.status);
    expect(res.body.toString('utf8')).not.toContain(SECRET);
  });
});

describe('dot segments', () => {
  it('refuses a `..` segment, plain or encoded, with 400 before touching the disk', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2findex.html']) {
      const res = await rawRequest(server.port, path);
      expect(res.status).toBe(400);
      expect(res.body.toString('utf8')).toBe('This path is not allowed.\n');
    }
  });
});

describe('no built web app', () => {
  it.each([null, '/definitely/not/here'])('with staticDir %s, / explains how to build it', async (staticDir) => {
    const bare = await startServer({ messages: new MessageStore(new SqliteDatabase(db)), staticDir });
    try {
      const res = await fetch(`${bare.base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
      const page = await res.text();
      expect(page).toContain('npm run build');
      expect(page).toContain('href="/api/messages"');
      expect((await fetch(`${bare.base}/app.js`)).status).toBe(404);
      expect((await fetch(`${bare.base}/api/health`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
