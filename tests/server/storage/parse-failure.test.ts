import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../server/storage/open-database.ts';
import { MessageStore } from '../../../server/storage/message-store.ts';
import { captured, simpleRaw } from './captured.ts';
import { SqliteDatabase } from '../../../server/storage/sql/sqlite-database.ts';

// Make the parser fail, as it may on input nobody foresaw.
vi.mock('mailparser', () => ({
  simpleParser: async () => {
    throw new Error('unexpected end of input');
  },
}));

describe('a parse failure', () => {
  it('still stores the message raw, with the error noted and empty parsed fields', async () => {
    const db = openDatabase(':memory:');
    const store = new MessageStore(new SqliteDatabase(db));
    const raw = simpleRaw('kept anyway');
    const { message } = await store.save('default', captured(raw));
    expect((await store.raw('default', message.id))?.toString('utf8')).toBe(raw);
    expect(await store.get('default', message.id)).toMatchObject({
      parseError: 'unexpected end of input',
      subject: null,
      headers: [],
      text: null,
      html: null,
      attachments: [],
    });
    expect((await store.list('default')).total).toBe(1);
    db.close();
  });
});
