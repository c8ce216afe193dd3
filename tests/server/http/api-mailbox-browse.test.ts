/**
 * The mailbox as a mail-catcher user browses it: every message reachable by paging, a search
 * the server does, a Date that is null when unreadable, bare-CR messages flagged and readable,
 * inline images shown from their parts, the raw message as a download.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import type { MessageSummary } from '../../../server/storage/message-types.ts';
import { captured, composeMime, simpleRaw } from '../storage/captured.ts';
import { jsonOf, serveMemoryDatabase } from './test-server.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const MANY = 130;

let store: MessageStore;

const served = serveMemoryDatabase((db) => {
  store = new MessageStore(new SqliteDatabase(db));
  return { messages: store };
});
beforeAll(async () => {
  // The oldest is the needle; the others share a subject so only the search finds it.
  await store.save('many', captured(simpleRaw('Quarterly needle report'), { mailFrom: 'old@example.net' }));
  for (let i = 1; i < MANY; i++) await store.save('many', captured(simpleRaw(`Routine ${i}`)));
});

const get = (path: string, namespace = 'many') => fetch(`${served.server.base}${path}`, { headers: { 'x-namespace': namespace } });

async function pageThrough(query: string, limit: number): Promise<{ subjects: string[]; pages: number }> {
  const subjects: string[] = [];
  let before: string | null = null;
  for (let pages = 1; pages <= 20; pages++) {
    const cursor: string = before === null ? '' : `&before=${before}`;
    const body = await jsonOf(get(`/api/messages?limit=${limit}${query}${cursor}`));
    subjects.push(...body.messages.map((message: MessageSummary) => message.subject));
    if (!body.hasMore) return { subjects, pages };
    before = body.nextBefore;
  }
  throw new Error('paging did not end within 20 pages');
}

describe('GET /api/messages paging', () => {
  it('reaches every message, oldest included, page by page with the cursor', async () => {
    const { subjects, pages } = await pageThrough('', 50);
    expect(pages).toBe(3);
    expect(subjects).toHaveLength(MANY);
    expect(new Set(subjects).size).toBe(MANY);
    expect(subjects[0]).toBe(`Routine ${MANY - 1}`);
    expect(subjects.at(-1)).toBe('Quarterly needle report');
  });

  it('keeps its place when a message of an earlier page is deleted meanwhile', async () => {
    const first = await jsonOf(get('/api/messages?limit=10'));
    const next = await jsonOf(get(`/api/messages?limit=10&before=${first.nextBefore}`));
    const deleted = await fetch(`${served.server.base}/api/messages/${first.messages[9].id}`, { method: 'DELETE', headers: { 'x-namespace': 'many' } });
    expect(deleted.status).toBe(200);
    const again = await jsonOf(get(`/api/messages?limit=10&before=${first.nextBefore}`));
    expect(again.messages.map((message: MessageSummary) => message.id)).toEqual(next.messages.map((message: MessageSummary) => message.id));
  });

  it.each(['before=42', 'before=abc', 'before=1.0', 'before=-1.2'])('refuses ?%s with a clear 400', async (query) => {
    const res = await get(`/api/messages?${query}`);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.message).toContain('before must be the nextBefore of an earlier page');
  });
});

describe('GET /api/messages search', () => {
  it('finds the oldest message by a word of its subject, on the first page', async () => {
    const body = await jsonOf(get('/api/messages?q=NEEDLE'));
    expect(body.messages.map((message: MessageSummary) => message.subject)).toEqual(['Quarterly needle report']);
    expect(body).toMatchObject({ matched: 1, hasMore: false, q: 'NEEDLE' });
    expect(body.total).toBeGreaterThan(100);
  });

  it('searches the envelope sender too, and pages the matches', async () => {
    expect((await jsonOf(get('/api/messages?q=old@example.net'))).matched).toBe(1);
    const { subjects } = await pageThrough('&q=Routine 1', 7);
    // "Routine 1", "Routine 10".."Routine 19", "Routine 100".."Routine 129" (one of them deleted above or not).
    expect(subjects.length).toBeGreaterThan(30);
    expect(subjects.every((subject) => subject.startsWith('Routine 1'))).toBe(true);
  });

  it('takes % and _ literally, never as wildcards', async () => {
    expect((await jsonOf(get('/api/messages?q=%25'))).matched).toBe(0);
    expect((await jsonOf(get('/api/messages?q=Routine_1'))).matched).toBe(0);
    await store.save('literal', captured(simpleRaw('100% done_now')));
    expect((await jsonOf(get('/api/messages?q=0%25%20done_', 'literal'))).matched).toBe(1);
  });

  it('refuses a search longer than 200 characters', async () => {
    const res = await get(`/api/messages?q=${'x'.repeat(201)}`);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.message).toContain('q is limited to 200 characters');
  });
});

describe('what was stored, told truly', () => {
  it('gives date null for an unreadable Date header, and for none', async () => {
    const bad = (await store.save('dates', captured('Date: someday soon\r\nSubject: bad date\r\n\r\nx\r\n'))).message;
    const none = (await store.save('dates', captured(simpleRaw('no date')))).message;
    const good = (await store.save('dates', captured('Date: Tue, 4 Mar 2025 05:06:07 +0000\r\nSubject: ok\r\n\r\nx\r\n'))).message;
    expect((await jsonOf(get(`/api/messages/${bad.id}`, 'dates'))).date).toBeNull();
    expect((await jsonOf(get(`/api/messages/${none.id}`, 'dates'))).date).toBeNull();
    expect((await jsonOf(get(`/api/messages/${good.id}`, 'dates'))).date).toBe('2025-03-04T05:06:07.000Z');
  });

  it('flags bare CR line endings, parses a normalised copy and keeps the stored bytes', async () => {
    const raw = Buffer.from('From: cr@example.com\rTo: b@example.org\rSubject: Bare CR\r\rBody line\r', 'latin1');
    const { message } = await store.save('cr', captured(raw));
    const listed = (await jsonOf(get('/api/messages', 'cr'))).messages[0];
    expect(listed).toMatchObject({ id: message.id, bareCr: true, subject: 'Bare CR', from: 'cr@example.com' });
    const parsed = await jsonOf(get(`/api/messages/${message.id}`, 'cr'));
    expect(parsed.headers.map((header: { key: string }) => header.key)).toEqual(['From', 'To', 'Subject']);
    expect(parsed.text).toContain('Body line');
    const stored = Buffer.from(await (await get(`/api/messages/${message.id}/raw`, 'cr')).arrayBuffer());
    expect(Buffer.compare(stored, raw)).toBe(0);
    const crlf = (await store.save('cr', captured(simpleRaw('crlf')))).message;
    expect(crlf.bareCr).toBe(false);
  });

  it('shows cid: images from their raster parts only, and blocks remote ones', async () => {
    const raw = await composeMime({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 'Inline',
      html: '<img src="cid:logo@x" alt="logo"><img src="cid:fake@x"><div style="background:url(http://t.example/b.png)"></div><img srcset="https://t.example/1x.png 1x, https://t.example/2x.png 2x">',
      attachments: [
        { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@x' },
        // Says PNG, is HTML: never inlined.
        { filename: 'fake.png', content: Buffer.from('<svg onload=alert(1)>'), contentType: 'image/png', cid: 'fake@x' },
      ],
    });
    const { message } = await store.save('inline', captured(raw));
    const parsed = await jsonOf(get(`/api/messages/${message.id}`, 'inline'));
    expect(parsed.remoteImagesBlocked).toBe(3);
    const html = await (await get(`/api/messages/${message.id}/html`, 'inline')).text();
    expect(html).toContain(`<img src="data:image/png;base64,${PNG.toString('base64')}" alt="logo">`);
    expect(html).toContain('<img src="cid:fake@x">');
    expect(html).not.toContain('t.example');
    expect(html).toContain('background:none');
  });

  it('offers the raw message as a download', async () => {
    const { message } = await store.save('download', captured(simpleRaw('keep me'), { queueId: 'QDL1' }));
    const res = await get(`/api/messages/${message.id}/raw?download=1`, 'download');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="QDL1.eml"');
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect((await jsonOf(get(`/api/messages/${message.id}`, 'download'))).rawDownloadUrl).toBe(`/api/messages/${message.id}/raw?download=1`);
  });
});

describe('DELETE /api/messages', () => {
  it('deletes every message of the namespace past the first page, and only those', async () => {
    for (let i = 0; i < 120; i++) await store.save('wipe', captured(simpleRaw(`wipe ${i}`)));
    const res = await fetch(`${served.server.base}/api/messages`, { method: 'DELETE', headers: { 'x-namespace': 'wipe' } });
    expect(await jsonOf(res)).toEqual({ deleted: 120 });
    expect(await jsonOf(get('/api/messages', 'wipe'))).toMatchObject({ total: 0, matched: 0, messages: [] });
    expect((await jsonOf(get('/api/messages?limit=1'))).total).toBeGreaterThan(100);
  });
});
