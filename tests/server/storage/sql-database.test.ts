import { describe, expect, it } from 'vitest';
import { numberPlaceholders } from '../../../server/storage/sql/placeholders.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

describe('numberPlaceholders', () => {
  it('numbers ? in order and leaves quoted text and comments alone', () => {
    expect(numberPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- why?\nAND e = ?")).toBe(
      "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 -- why?\nAND e = $3",
    );
    expect(numberPlaceholders("SELECT 'it''s ?', ?")).toBe("SELECT 'it''s ?', $1");
  });
});

describeEachEngine('SqlDatabase', (current) => {
  const table = async () => {
    const blob = current.engine === 'postgres' ? 'BYTEA' : 'BLOB';
    const id = current.engine === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await current.db.run(`CREATE TABLE things (id ${id}, at BIGINT NOT NULL, name TEXT, raw ${blob})`);
  };

  it('inserts with RETURNING, reads numbers as numbers and bytes byte-exact', async () => {
    await table();
    const raw = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a]);
    const at = 1_796_000_000_123; // a ms timestamp past 2^31
    const inserted = await current.db.get<{ id: number }>('INSERT INTO things (at, name, raw) VALUES (?, ?, ?) RETURNING id', [at, 'one', raw]);
    expect(inserted).toEqual({ id: 1 });
    const row = await current.db.get<{ id: number; at: number; name: string; raw: Buffer }>('SELECT * FROM things WHERE id = ?', [1]);
    expect(row?.at).toBe(at);
    expect(Buffer.compare(row!.raw, raw)).toBe(0);
    const count = await current.db.get<{ n: number }>('SELECT COUNT(*) AS n, SUM(at) AS total FROM things');
    expect(count).toMatchObject({ n: 1, total: at });
    expect(await current.db.get('SELECT * FROM things WHERE id = ?', [2])).toBeUndefined();
    expect((await current.db.run('UPDATE things SET name = ? WHERE id > ?', ['two', 0])).changes).toBe(1);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await table();
    await current.db.transaction(async (tx) => {
      await tx.run('INSERT INTO things (at, name) VALUES (?, ?)', [1, 'kept']);
    });
    await expect(
      current.db.transaction(async (tx) => {
        await tx.run('INSERT INTO things (at, name) VALUES (?, ?)', [2, 'lost']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await current.db.all<{ name: string }>('SELECT name FROM things ORDER BY id')).toEqual([{ name: 'kept' }]);
  });

  it('keeps statements from outside out of an open transaction', async () => {
    await table();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = current.db.transaction(async (tx) => {
      await tx.run('INSERT INTO things (at, name) VALUES (?, ?)', [1, 'inside']);
      await held;
      throw new Error('rolled back');
    });
    // Issued while the transaction is open: it must neither join it nor be lost with it.
    const outside = current.db.run('INSERT INTO things (at, name) VALUES (?, ?)', [2, 'outside']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    await outside;
    expect(await current.db.all<{ name: string }>('SELECT name FROM things')).toEqual([{ name: 'outside' }]);
  });

  it('runs a statement again after its first run failed, in and out of transactions', async () => {
    await table();
    const insert = 'INSERT INTO things (at, name) VALUES (?, ?)';
    // The statement's first run is in a transaction that already failed (PostgreSQL refuses to
    // prepare it there); it must not be taken for prepared on that connection afterwards.
    // (SQLite goes on after a failed statement, PostgreSQL rolls the whole transaction back.)
    await current.db
      .transaction(async (tx) => {
        await tx.run('INSERT INTO things (at, name) VALUES (?, ?)', [null, 'no time']).catch(() => undefined);
        await tx.run(insert, [1, 'after a failure']);
      })
      .catch(() => undefined);
    for (let round = 0; round < 12; round += 1) await current.db.run(insert, [round, `round ${round}`]);
    await current.db.transaction((tx) => tx.run(insert, [99, 'in a transaction']));
    const names = await current.db.all<{ name: string }>("SELECT name FROM things WHERE name <> ? ORDER BY at", ['after a failure']);
    expect(names.map((row) => row.name)).toEqual([...Array.from({ length: 12 }, (_, round) => `round ${round}`), 'in a transaction']);
  });
});

describe.skipIf(postgresAdminUrl() === null)('PostgreSQL migrations', () => {
  it('lets several processes start on one database at once, and reports a dead server clearly', async () => {
    const fresh = await freshDatabase('postgres');
    try {
      // Opened again by three "processes" at once: the advisory lock makes them take turns.
      const others = await Promise.all([0, 1, 2].map(() => openPostgres(fresh.url!)));
      await Promise.all(others.map((db) => db.close()));
      const versions = await fresh.db.all<{ component: string }>('SELECT component FROM component_versions ORDER BY component');
      expect(versions.map((row) => row.component)).toEqual(['classroom', 'mail', 'world'].filter((name) => versions.some((row) => row.component === name)));
    } finally {
      await fresh.drop();
    }
    const dead = new URL(postgresAdminUrl()!);
    dead.port = '1';
    dead.password = 'secret';
    await expect(openPostgres(dead.href)).rejects.toThrow(/PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\//);
  });
});
