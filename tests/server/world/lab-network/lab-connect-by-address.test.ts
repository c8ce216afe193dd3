/**
 * connect() reaches the lab host at the address the sender resolved, over real TCP on
 * 127.0.0.1, as IP routing would: a zone that points mx.example.net's A record at
 * mx2.example.org's address gets mx2's greeting, and one that points it where no lab host is
 * gets no connection. Before, the MX name alone chose the host, so such a zone still delivered.
 */
import net from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';

let db: Database;
let network: LabNetwork;

beforeEach(async () => {
  db = openDatabase(':memory:');
  network = await startLabNetwork({ hosts: DEFAULT_HOSTS, store: new MessageStore(new SqliteDatabase(db)), now: () => Date.UTC(2026, 0, 5), outsideNamespace: 'default' });
});
afterEach(async () => {
  await network.close();
  db.close();
});

/** The first line the host writes on `socket`. */
function greeting(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n')) {
        socket.destroy();
        resolve(text.split('\r\n')[0] ?? '');
      }
    });
    socket.once('error', reject);
  });
}

const hop = { fromIp: '192.0.2.10', toHost: 'mx.example.net', namespace: 'default' };

it('reaches the host at the resolved address, not the one the MX name belongs to', async () => {
  expect(await greeting(await network.connect({ ...hop, toIp: '198.51.100.20' }))).toBe('220 mx.example.net ESMTP Postfix');
  const atMx2 = await greeting(await network.connect({ ...hop, toIp: '203.0.113.22' }));
  expect(atMx2).toMatch(/^220 mx2\.example\.org /);
});

it('fails to connect where no lab host has the address, naming it', async () => {
  await expect(network.connect({ ...hop, toIp: '192.0.2.99' })).rejects.toThrow('no lab host has the address 192.0.2.99');
});

it('goes by name when no address is given (a live session picking a host)', async () => {
  expect(await greeting(await network.connect(hop))).toBe('220 mx.example.net ESMTP Postfix');
});
