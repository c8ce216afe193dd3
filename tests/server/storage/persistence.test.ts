import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { migrate, SCHEMA_VERSION } from '../../../server/storage/migrations.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { SessionStore } from '../../../server/storage/session-store.ts';
import { captured, composeMime } from './captured.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-storage-'));
  dirs.push(dir);
  // A nested path: openDatabase creates the missing directories.
  return join(dir, 'data', 'nested', 'smtp-lab.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a restart', () => {
  it('keeps captured mail (raw and parsed), eviction totals and session transcripts', async () => {
    const file = tempFile();
    const raw = await composeMime({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 'Persist me ✓',
      text: 'ünïcode\r\n.dot',
      attachments: [{ filename: 'a.bin', content: Buffer.from([9, 8, 7]) }],
    });

    const first = openDatabase(file);
    const messages = new MessageStore(new SqliteDatabase(first), { maxMessages: 1 });
    await messages.save('default', captured('Subject: evicted\r\n\r\nx\r\n'));
    const { message } = await messages.save('default', captured(raw));
    const sessions = new SessionStore(new SqliteDatabase(first));
    const sessionId = sessions.create('default', { target: '127.0.0.1:2525', clientAddress: '::1' });
    sessions.append(sessionId, { type: 'client.line', line: 'QUIT' });
    sessions.end(sessionId, 'client closed');
    // Transcript writes are queued: the owner flushes before closing (start-app's shutdown does).
    await sessions.flush();
    first.close();

    const second = openDatabase(file);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const reopened = new MessageStore(new SqliteDatabase(second), { maxMessages: 1 });
    expect(Buffer.compare((await reopened.raw('default', message.id))!, raw)).toBe(0);
    expect(await reopened.get('default', message.id)).toMatchObject({ subject: 'Persist me ✓', text: 'ünïcode\n.dot' });
    expect((await reopened.attachment('default', message.id, 0))?.content).toEqual(Buffer.from([9, 8, 7]));
    expect(await reopened.list('default')).toMatchObject({ total: 1, evictedTotal: 1 });
    const reopenedSessions = new SessionStore(new SqliteDatabase(second));
    expect(await reopenedSessions.get('default', sessionId)).toMatchObject({ endReason: 'client closed', eventCount: 1 });
    expect((await reopenedSessions.events('default', sessionId))?.map((e) => e.event)).toEqual([
      { type: 'client.line', line: 'QUIT' },
    ]);
    // Only the store that made a session records into it (the bridge's sessions end with their
    // process); a new one after the restart records in the same tables.
    expect(() => reopenedSessions.append(sessionId, { type: 'note' })).toThrow(/No session/);
    const next = reopenedSessions.create('default', { target: '127.0.0.1:2525', clientAddress: '::1' });
    reopenedSessions.append(next, { type: 'note' });
    expect(await reopenedSessions.events('default', next)).toHaveLength(1);
    expect((await reopenedSessions.list('default')).total).toBe(2);
    second.close();
  });

  it('upgrades a version 1 database: its messages count as parsed, totals carry over', async () => {
    const file = tempFile();
    openDatabase(file).close();
    const old = new BetterSqlite3(file);
    old.exec('DROP TABLE messages; DROP TABLE attachments; DROP TABLE namespace_stats; DROP TABLE session_events; DROP TABLE sessions; DROP TABLE world_zones; DROP TABLE world_hosts; DROP TABLE journey_hops; DROP TABLE outbound_queue; DROP TABLE lab_clock; DROP TABLE greylist_triplets; DROP TABLE sandbox_greylist');
    old.pragma('user_version = 0');
    migrate(old, 1);
    const insert = old.prepare(`INSERT INTO messages (namespace, queue_id, received_at, mail_from, rcpt_to, client_helo,
      remote_address, secure, size, raw, subject, headers, attachment_count) VALUES (?, ?, ?, '', '[]', 'h', '::1', 0, 1, X'41', ?, '[]', 0)`);
    insert.run('default', 'Q1', 1, 'kept one');
    insert.run('default', 'Q2', 2, 'kept two');
    insert.run('other', 'Q3', 3, 'elsewhere');
    old.prepare("INSERT INTO namespace_stats (namespace, evicted_total) VALUES ('default', 7)").run();
    old.close();

    const upgraded = openDatabase(file);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const messages = new MessageStore(new SqliteDatabase(upgraded));
    expect(await messages.list('default')).toMatchObject({ total: 2, evictedTotal: 7 });
    expect(await messages.list('other')).toMatchObject({ total: 1, evictedTotal: 0 });
    expect((await messages.list('default')).messages.map((m) => [m.subject, m.parsed])).toEqual([['kept two', true], ['kept one', true]]);
    expect(await messages.nextUnparsed()).toBeNull();
    upgraded.close();
  });

  it('refuses a database from a newer SMTP Lab', async () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this SMTP Lab understands/);
  });
});
