import { beforeEach, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { describeEachEngine } from '../../support/sql-engines.ts';
import { captured, composeMime, simpleRaw } from './captured.ts';

describeEachEngine('MessageStore', (current) => {
  let store: MessageStore;

  beforeEach(() => {
    store = new MessageStore(current.db);
  });

  describe('MessageStore.save and raw', () => {
    it('keeps the raw bytes exactly: 8-bit UTF-8, CRLF, a line starting with a dot, a bare LF', async () => {
      const raw = Buffer.concat([
        Buffer.from('Subject: Grüße 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n', 'utf8'),
        Buffer.from('.a line that began with a dot\r\nünïcödé ✓\r\nbare\nLF\r\n', 'utf8'),
        Buffer.from([0xff, 0x00, 0x0d, 0x0a]),
      ]);
      const { message } = await store.save('default', captured(raw));
      const back = await store.raw('default', message.id);
      expect(back).not.toBeNull();
      expect(Buffer.compare(back!, raw)).toBe(0);
      expect(message.size).toBe(raw.length);
      // PostgreSQL's text cannot hold NUL: the parsed copy shows U+FFFD there; the raw bytes above keep it.
      const text = (await store.get('default', message.id))!.text!;
      expect(text.includes('\u0000')).toBe(current.engine === 'sqlite');
      expect(text.includes('\ufffd\ufffd')).toBe(current.engine === 'postgres');
    });

    it('returns a summary with envelope, headers and flags', async () => {
      const raw = await composeMime({
        from: '"Zoë" <zoe@example.com>',
        to: 'bob@example.org',
        subject: 'Héllo',
        text: 'plain',
        html: '<p>rich</p>',
        date: new Date('2025-03-04T05:06:07Z'),
      });
      const { message, evicted } = await store.save(
        'default',
        captured(raw, { mailFrom: '', rcptTo: ['x@example.net', 'y@example.net'], queueId: 'ABC123' }),
      );
      expect(evicted).toBe(0);
      expect(message).toMatchObject({
        queueId: 'ABC123',
        mailFrom: '',
        rcptTo: ['x@example.net', 'y@example.net'],
        from: '"Zoë" <zoe@example.com>',
        to: 'bob@example.org',
        subject: 'Héllo',
        date: '2025-03-04T05:06:07.000Z',
        hasHtml: true,
        attachmentCount: 0,
        size: raw.length,
      });
      expect(message.id).toBeGreaterThan(0);
    });
  });

  describe('MessageStore.get (parsed form)', () => {
    it('parses text, html, cc, headers in order, and connection details', async () => {
      const raw = await composeMime({
        from: 'a@example.com',
        to: 'b@example.org',
        cc: '"Carol" <c@example.org>',
        subject: 'Report',
        messageId: '<m1@example.com>',
        text: 'Line one\r\n.dot line\r\nünïcode',
        html: '<p onclick="alert(1)">Hi <script>alert(2)</script></p>',
      });
      const { message } = await store.save(
        'default',
        captured(raw, { clientHelo: 'laptop', remoteAddress: '10.0.0.9', authenticatedUser: 'alice', secure: true }),
      );
      const parsed = (await store.get('default', message.id))!;
      expect(parsed.text).toBe('Line one\n.dot line\nünïcode');
      // Stored exactly as sent: never sanitized, it is only ever served sandboxed.
      expect(parsed.html).toBe('<p onclick="alert(1)">Hi <script>alert(2)</script></p>');
      expect(parsed.cc).toBe('"Carol" <c@example.org>');
      expect(parsed.messageId).toBe('<m1@example.com>');
      expect(parsed.headers.slice(0, 4)).toEqual([
        { key: 'From', value: 'a@example.com' },
        { key: 'To', value: 'b@example.org' },
        { key: 'Cc', value: 'Carol <c@example.org>' },
        { key: 'Subject', value: 'Report' },
      ]);
      expect(parsed).toMatchObject({
        clientHelo: 'laptop',
        remoteAddress: '10.0.0.9',
        authenticatedUser: 'alice',
        secure: true,
        parseError: null,
      });
    });

    it('unfolds headers and decodes raw UTF-8 header bytes', async () => {
      const raw = 'Subject: Café\r\nX-Long: part one\r\n  part two\r\n\r\nbody\r\n';
      const { message } = await store.save('default', captured(raw));
      const parsed = (await store.get('default', message.id))!;
      expect(parsed.headers).toEqual([
        { key: 'Subject', value: 'Café' },
        { key: 'X-Long', value: 'part one  part two' },
      ]);
      expect(parsed.subject).toBe('Café');
      expect(parsed.html).toBeNull();
      expect(parsed.hasHtml).toBe(false);
    });

    it('stores attachments with their metadata and bytes', async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      const raw = await composeMime({
        from: 'a@example.com',
        to: 'b@example.org',
        subject: 'Files',
        text: 'see attached',
        html: '<img src="cid:logo@lab">',
        attachments: [
          { filename: 'notes.txt', content: 'hello notes', contentType: 'text/plain' },
          { filename: 'logo.bin', content: bytes, contentType: 'application/octet-stream', cid: 'logo@lab' },
        ],
      });
      const { message } = await store.save('default', captured(raw));
      expect(message.attachmentCount).toBe(2);
      const parsed = (await store.get('default', message.id))!;
      const byName = new Map(parsed.attachments.map((a) => [a.filename, a]));
      expect(byName.get('notes.txt')).toMatchObject({ contentType: 'text/plain', size: 11, contentId: null });
      const logo = byName.get('logo.bin')!;
      expect(logo).toMatchObject({ contentType: 'application/octet-stream', size: 5, contentId: 'logo@lab' });
      expect(parsed.html).toBe('<img src="cid:logo@lab">');
      const content = (await store.attachment('default', message.id, logo.index))!;
      expect(Buffer.compare(content.content, bytes)).toBe(0);
      expect(content.filename).toBe('logo.bin');
      expect(await store.attachment('default', message.id, 2)).toBeNull();
    });

    it('stores a message mailparser cannot make sense of, raw intact', async () => {
      const raw = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0a, 0x80]);
      const { message } = await store.save('default', captured(raw));
      expect(Buffer.compare((await store.raw('default', message.id))!, raw)).toBe(0);
      expect(await store.get('default', message.id)).not.toBeNull();
    });

    it('returns null for an unknown id', async () => {
      expect(await store.get('default', 999)).toBeNull();
      expect(await store.raw('default', 999)).toBeNull();
      expect(await store.attachment('default', 999, 0)).toBeNull();
    });
  });

  describe('MessageStore.list', () => {
    it('lists newest first with paging and totals', async () => {
      for (const subject of ['one', 'two', 'three']) await store.save('default', captured(simpleRaw(subject)));
      const page = await store.list('default');
      expect(page.messages.map((m) => m.subject)).toEqual(['three', 'two', 'one']);
      expect(page).toMatchObject({ total: 3, maxMessages: 1000, evictedTotal: 0 });
      expect((await store.list('default', { limit: 1, offset: 1 })).messages.map((m) => m.subject)).toEqual(['two']);
      expect((await store.list('default', { offset: 5 })).messages).toEqual([]);
    });

    it('orders by arrival time, not by insertion order', async () => {
      await store.save('default', captured(simpleRaw('late'), { receivedAt: new Date('2025-06-02T00:00:00Z') }));
      await store.save('default', captured(simpleRaw('early'), { receivedAt: new Date('2025-06-01T00:00:00Z') }));
      expect((await store.list('default')).messages.map((m) => m.subject)).toEqual(['late', 'early']);
    });
  });

  describe('eviction', () => {
    it('keeps at most maxMessages per namespace, evicting the oldest and counting them', async () => {
      const small = new MessageStore(current.db, { maxMessages: 2 });
      const results = [];
      for (const subject of ['m1', 'm2', 'm3', 'm4']) results.push(await small.save('default', captured(simpleRaw(subject))));
      expect(results.map((r) => r.evicted)).toEqual([0, 0, 1, 1]);
      const page = await small.list('default');
      expect(page.messages.map((m) => m.subject)).toEqual(['m4', 'm3']);
      expect(page).toMatchObject({ total: 2, maxMessages: 2, evictedTotal: 2 });
      expect(await small.raw('default', results[0]!.message.id)).toBeNull();
    });

    it('evicts an evicted message\'s attachments too', async () => {
      const small = new MessageStore(current.db, { maxMessages: 1 });
      const raw = await composeMime({ text: 'x', attachments: [{ filename: 'a.txt', content: 'a' }] });
      await small.save('default', captured(raw));
      await small.save('default', captured(simpleRaw('next')));
      expect(await current.db.get('SELECT COUNT(*) AS n FROM attachments')).toEqual({ n: 0 });
    });

    it('counts per namespace: a full namespace does not evict another\'s mail', async () => {
      const small = new MessageStore(current.db, { maxMessages: 1 });
      await small.save('alice', captured(simpleRaw('a1')));
      await small.save('bob', captured(simpleRaw('b1')));
      await small.save('alice', captured(simpleRaw('a2')));
      expect(await small.list('bob')).toMatchObject({ total: 1, evictedTotal: 0 });
      expect(await small.list('alice')).toMatchObject({ total: 1, evictedTotal: 1 });
    });

    it('never evicts the message being saved, even when it arrived before the others', async () => {
      const small = new MessageStore(current.db, { maxMessages: 1 });
      await small.save('default', captured(simpleRaw('later'), { receivedAt: new Date('2025-06-02T00:00:00Z') }));
      const { message, evicted } = await small.save(
        'default',
        captured(simpleRaw('earlier'), { receivedAt: new Date('2025-06-01T00:00:00Z') }),
      );
      expect(evicted).toBe(1);
      expect(message.subject).toBe('earlier');
      expect((await small.list('default')).messages.map((m) => m.subject)).toEqual(['earlier']);
    });

    // On PostgreSQL each store's transactions run on connections of their own, as two
    // processes' would: the namespace's stats row makes them count and evict in turn.
    it('keeps the count and the bound exact when two stores save into one namespace at once', async () => {
      const one = new MessageStore(current.db, { maxMessages: 5 });
      const other = new MessageStore(current.db, { maxMessages: 5 });
      const saves = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : other).storeRaw([{ namespace: 'default', message: captured(simpleRaw(`m${i}`)) }]),
      );
      const refs = (await Promise.all(saves)).flat();
      expect(refs.reduce((sum, ref) => sum + ref.evicted, 0)).toBe(15);
      expect(await one.list('default')).toMatchObject({ total: 5, evictedTotal: 15 });
      expect(await current.db.get('SELECT COUNT(*) AS n FROM messages')).toEqual({ n: 5 });
    });

    it('refuses a maxMessages that is not a positive integer', async () => {
      expect(() => new MessageStore(current.db, { maxMessages: 0 })).toThrow(RangeError);
    });
  });

  describe('namespace isolation', () => {
    it('never shows, serves or deletes another namespace\'s message', async () => {
      const { message } = await store.save('alice', captured(await composeMime({
        text: 'secret',
        attachments: [{ filename: 'a.txt', content: 'a' }],
      })));
      expect(await store.list('bob')).toMatchObject({ messages: [], total: 0 });
      expect(await store.get('bob', message.id)).toBeNull();
      expect(await store.raw('bob', message.id)).toBeNull();
      expect(await store.attachment('bob', message.id, 0)).toBeNull();
      expect(await store.delete('bob', message.id)).toBe(false);
      expect(await store.deleteAll('bob')).toBe(0);
      expect((await store.get('alice', message.id))?.text).toBe('secret');
    });
  });

  describe('delete', () => {
    it('deletes one message, then all', async () => {
      const first = await store.save('default', captured(simpleRaw('one')));
      await store.save('default', captured(simpleRaw('two')));
      await store.save('default', captured(simpleRaw('three')));
      expect(await store.delete('default', first.message.id)).toBe(true);
      expect(await store.delete('default', first.message.id)).toBe(false);
      expect((await store.list('default')).total).toBe(2);
      expect(await store.deleteAll('default')).toBe(2);
      expect((await store.list('default')).total).toBe(0);
    });

    it('never reuses the id of a deleted message', async () => {
      const first = await store.save('default', captured(simpleRaw('one')));
      await store.delete('default', first.message.id);
      const second = await store.save('default', captured(simpleRaw('two')));
      expect(second.message.id).toBeGreaterThan(first.message.id);
    });
  });

  describe('storing raw first, parsing later (the live capture path)', () => {
    const entry = (raw: Buffer | string, namespace = 'default') => ({ namespace, message: captured(raw) });

    it('stores raw bytes and envelope at once, with every parsed field empty until the parse', async () => {
      const raw = await composeMime({ from: 'a@example.com', subject: 'Later', text: 'plain', html: '<p>rich</p>' });
      const [stored] = await store.storeRaw([entry(raw)]);
      expect(stored).toEqual({ id: expect.any(Number), evicted: 0 });
      const id = stored!.id;
      expect(Buffer.compare((await store.raw('default', id))!, raw)).toBe(0);
      expect(await store.get('default', id)).toMatchObject({
        parsed: false, subject: null, from: null, hasHtml: false, attachmentCount: 0, headers: [], text: null, html: null,
        mailFrom: 'sender@example.com', rcptTo: ['rcpt@example.org'], size: raw.length,
      });
      expect((await store.list('default')).total).toBe(1);

      expect(await store.nextUnparsed()).toBe(id);
      const parsed = await store.parseStored(id);
      expect(parsed).toEqual({ namespace: 'default', message: expect.objectContaining({ id, parsed: true, subject: 'Later', hasHtml: true }) });
      expect(await store.get('default', id)).toMatchObject({ parsed: true, from: 'a@example.com', text: 'plain', html: '<p>rich</p>' });
      expect(await store.nextUnparsed()).toBeNull();
      expect(await store.parseStored(id)).toBeNull();
    });

    it('hands out unparsed messages oldest first, after a given id, across namespaces', async () => {
      const ids = (await store.storeRaw([entry(simpleRaw('one'), 'alice'), entry(simpleRaw('two'), 'bob'), entry(simpleRaw('three'), 'alice')])).map((s) => s.id);
      expect(await store.nextUnparsed()).toBe(ids[0]);
      expect(await store.nextUnparsed(ids[0])).toBe(ids[1]);
      expect(await store.nextUnparsed(ids[2])).toBeNull();
      expect((await store.list('alice')).total).toBe(2);
      expect((await store.list('bob')).total).toBe(1);
    });

    it('evicts per message within a batch, never parses an evicted message, and keeps the counts', async () => {
      const small = new MessageStore(current.db, { maxMessages: 2 });
      const stored = await small.storeRaw(['m1', 'm2', 'm3', 'm4'].map((subject) => entry(simpleRaw(subject))));
      expect(stored.map((s) => s.evicted)).toEqual([0, 0, 1, 1]);
      expect(await small.list('default')).toMatchObject({ total: 2, evictedTotal: 2 });
      expect(await small.parseStored(stored[0]!.id)).toBeNull();
      expect(await small.nextUnparsed()).toBe(stored[2]!.id);
    });

    // SQLite: the parse reads the row at once and the delete commits while mailparser works.
    it.skipIf(current.engine === 'postgres')('records nothing for a message deleted while it was being parsed', async () => {
      const raw = await composeMime({ text: 'x', attachments: [{ filename: 'a.txt', content: 'a' }] });
      const [stored] = await store.storeRaw([entry(raw)]);
      const parsing = store.parseStored(stored!.id);
      expect(await store.delete('default', stored!.id)).toBe(true);
      expect(await parsing).toBeNull();
      expect(await current.db.get('SELECT COUNT(*) AS n FROM attachments')).toEqual({ n: 0 });
      expect((await store.list('default')).total).toBe(0);
    });

    // PostgreSQL: another connection deletes the row and holds it until the parse's update waits
    // for it (seen in pg_stat_activity), so the parse surely read the row before the delete.
    it.skipIf(current.engine === 'sqlite')('records nothing for a message another connection deletes while it is parsed', async () => {
      const raw = await composeMime({ text: 'x', attachments: [{ filename: 'a.txt', content: 'a' }] });
      const [stored] = await store.storeRaw([entry(raw)]);
      const id = stored!.id;
      const { parsing } = await current.db.transaction(async (tx) => {
        expect((await tx.run('DELETE FROM messages WHERE namespace = ? AND id = ?', ['default', id])).changes).toBe(1);
        await tx.run('UPDATE namespace_stats SET message_count = message_count - 1 WHERE namespace = ?', ['default']);
        const parsing = store.parseStored(id);
        for (let tries = 0; tries < 500; tries++) {
          const waiting = await tx.get<{ n: number }>(
            "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          if (waiting!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // Wrapped: a promise returned as it is would be waited for before the commit.
        return { parsing };
      });
      expect(await parsing).toBeNull();
      expect(await current.db.get('SELECT COUNT(*) AS n FROM attachments')).toEqual({ n: 0 });
      expect((await store.list('default')).total).toBe(0);
    });

    it('counts what deletes remove', async () => {
      await store.storeRaw(['a', 'b', 'c'].map((subject) => entry(simpleRaw(subject))));
      const [first] = (await store.list('default', { limit: 1 })).messages;
      await store.delete('default', first!.id);
      expect((await store.list('default')).total).toBe(2);
      await store.deleteAll('default');
      expect((await store.list('default')).total).toBe(0);
    });
  });
});
