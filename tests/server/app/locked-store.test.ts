/**
 * The live process while another program holds the database's write lock (a `sqlite3` shell
 * left in a transaction, a backup tool): reading the mailbox goes on (WAL), a write through
 * the API is refused after a short wait with 503 and a reason, and the server stays responsive.
 */
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../../server/app/start-app.ts';
import { testConfig } from './app-config.ts';
import { deliverOne } from './raw-smtp.ts';

describe('a database locked by another program', () => {
  it('keeps serving reads and answers a write with 503 storage_unavailable', async () => {
    const app = await startApp(testConfig());
    const holder = new BetterSqlite3(app.databaseFile!);
    try {
      expect((await deliverOne(app.ports.smtp, 'lock.example', 'before the lock')).code).toBe(250);

      holder.exec('BEGIN EXCLUSIVE');
      const listed = await fetch(`${app.urls.http}api/messages`);
      expect(listed.status).toBe(200);
      const { messages } = (await listed.json()) as { messages: { id: number }[] };
      expect(messages).toHaveLength(1);

      const deleted = await fetch(`${app.urls.http}api/messages/${messages[0]!.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(503);
      expect(deleted.headers.get('retry-after')).toBe('5');
      expect(await deleted.json()).toEqual({
        error: { code: 'storage_unavailable', message: 'The mailbox store is locked by another program right now; try again in a moment.' },
      });

      holder.exec('COMMIT');
      expect((await fetch(`${app.urls.http}api/messages/${messages[0]!.id}`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      holder.close();
      await app.close('test finished');
    }
  });
});
