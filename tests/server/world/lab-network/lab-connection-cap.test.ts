/**
 * A lab MX's connection cap is per client, over real TCP on 127.0.0.1: a learner's own client
 * holding its connections open gets Postfix's anvil 421 beyond the cap, and another
 * namespace's relay (connect() with nodemailer over its socket) still reaches the host. Before,
 * the host's one shared cap of 20 silently closed every further connection, relay hops
 * included, so one student could stop everyone's mail to that host.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { MAX_CONNECTIONS_PER_CLIENT, startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';

let db: Database;
let network: LabNetwork | null = null;
const sockets: net.Socket[] = [];

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await network?.close();
  network = null;
  db.close();
});

/** An outside client's first line from the host: its greeting, or its refusal ('' when closed without a word). */
function firstLine(port: number): Promise<{ line: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    let text = '';
    const done = (): void => resolve({ line: text.split('\r\n')[0] ?? '', socket });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n')) done();
    });
    socket.once('close', done);
    socket.once('error', reject);
  });
}

it('refuses an outside client over its cap with Postfix\'s 421, and another namespace\'s relay still delivers', async () => {
  network = await startLabNetwork({ hosts: DEFAULT_HOSTS, store: new MessageStore(new SqliteDatabase(db)), now: () => Date.UTC(2026, 0, 5), outsideNamespace: 'student-a' });
  const port = network.addressOf('mx.example.net')?.port ?? 0;
  for (let n = 0; n < MAX_CONNECTIONS_PER_CLIENT; n++) expect((await firstLine(port)).line).toBe('220 mx.example.net ESMTP Postfix');

  const over = await firstLine(port);
  expect(over.line).toBe('421 4.7.0 mx.example.net Error: too many connections from 203.0.113.99');

  const socket = await network.connect({ fromIp: '192.0.2.10', toHost: 'mx.example.net', namespace: 'student-b' });
  const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 5000 } as never);
  try {
    const info = await transport.sendMail({ from: 'bob@example.com', to: 'alice@example.net', subject: 'Past a full client', text: 'Hello.' });
    expect(info.accepted).toEqual(['alice@example.net']);
  } finally {
    transport.close();
    socket.destroy();
  }
});

it('lets the outside client in again once one of its connections closes', async () => {
  network = await startLabNetwork({ hosts: DEFAULT_HOSTS, store: new MessageStore(new SqliteDatabase(db)), now: () => Date.UTC(2026, 0, 5), outsideNamespace: 'student-a' });
  const port = network.addressOf('mx1.example.org')?.port ?? 0;
  const held = [];
  for (let n = 0; n < MAX_CONNECTIONS_PER_CLIENT; n++) held.push(await firstLine(port));
  expect((await firstLine(port)).line).toMatch(/^421 /);

  held[0]?.socket.end('QUIT\r\n');
  // The host counts the close when its side sees it: a few tries, bounded.
  let line = '';
  for (let attempt = 0; attempt < 50 && !line.startsWith('220 '); attempt++) line = (await firstLine(port)).line;
  expect(line).toMatch(/^220 mx1\.example\.org /);
});
