/**
 * The lab network's receiving side over real TCP on 127.0.0.1 with real clients (nodemailer
 * over the socket `connect()` opens, python3 smtplib and raw bytes from outside), real SQLite,
 * and the mailbox filter over real HTTP. The lab clock is injected: no test waits for time.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { OUTSIDE_LAB_IP } from '../../../../server/world/lab-network/lab-connections.ts';
import { startLabNetwork, type LabNetwork, type LabNetworkOptions } from '../../../../server/world/lab-network/start-lab-network.ts';
import { startServer } from '../../http/test-server.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';

const SANDBOX_IP = '192.0.2.10';
const LAB_MINUTE = 60_000;

let db: Database;
let store: MessageStore;
let network: LabNetwork | null = null;
let labNow = Date.UTC(2026, 0, 5, 9, 0, 0);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await network?.close();
  network = null;
  db?.close();
});

async function start(options: Partial<LabNetworkOptions> = {}): Promise<LabNetwork> {
  db = openDatabase(':memory:');
  store = new MessageStore(new SqliteDatabase(db));
  network = await startLabNetwork({ hosts: DEFAULT_HOSTS, store, now: () => labNow, outsideNamespace: 'default', ...options });
  return network;
}

/** Sends one message with nodemailer over a lab connection; resolves with its info or rejects with the SMTP error. */
async function sendAs(lab: LabNetwork, request: { fromIp: string; toHost: string; namespace: string }, mail: { from: string; to: string | string[] }) {
  const socket = await lab.connect(request);
  const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 5000 } as never);
  try {
    return await transport.sendMail({ ...mail, subject: 'Lab hop', text: 'Hello across the lab.' });
  } finally {
    transport.close();
    socket.destroy();
  }
}

const toNet = { fromIp: SANDBOX_IP, toHost: 'mx.example.net', namespace: 'default' };

describe('lab network: one loopback listener per lab MX', () => {
  it('listens for each mx and forwarder host on 127.0.0.1, and for no other', async () => {
    const lab = await start();
    for (const host of DEFAULT_HOSTS) {
      const address = lab.addressOf(host.name);
      if (host.role === 'sandbox') expect(address).toBeNull();
      else expect(address).toMatchObject({ host: '127.0.0.1', port: expect.any(Number) });
    }
  });

  it('stores a message in the recipient lab mailbox with a Received header naming the host and the sending lab IP', async () => {
    const lab = await start();
    const info = await sendAs(lab, toNet, { from: 'bob@example.com', to: 'alice@example.net' });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as \w+/);
    const page = await store.list('default', { mailbox: 'alice@example.net' });
    expect(page.messages.map((message) => message.mailbox)).toEqual(['alice@example.net']);
    const raw = (await store.raw('default', page.messages[0]!.id))!;
    const parsed = await simpleParser(raw);
    const received = parsed.headers.get('received');
    expect(typeof received).toBe('string');
    expect(received).toContain('by mx.example.net (Postfix) with ESMTP');
    expect(received).toContain(`[${SANDBOX_IP}]`);
    expect(received).toContain('for <alice@example.net>');
    expect(received).toContain('Mon,  5 Jan 2026 09:00:00 +0000');
    expect(parsed.subject).toBe('Lab hop');
    expect((await store.list('default', { mailbox: 'bob@example.net' })).messages).toEqual([]);
  });

  it('refuses an unknown local part in Postfix\'s words, and another domain as relay denied', async () => {
    const lab = await start();
    await expect(sendAs(lab, toNet, { from: 'bob@example.com', to: 'mallory@example.net' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('5.1.1 <mallory@example.net>: Recipient address rejected: User unknown in local recipient table'),
    });
    await expect(sendAs(lab, toNet, { from: 'bob@example.com', to: 'alice@example.org' })).rejects.toMatchObject({
      responseCode: 554,
      response: expect.stringContaining('5.7.1 <alice@example.org>: Relay access denied'),
    });
    expect((await store.list('default')).messages).toEqual([]);
  });

  it('greylists a first attempt with a 4xx at RCPT and accepts the retry only after the lab delay', async () => {
    const lab = await start();
    const toOrg = { fromIp: SANDBOX_IP, toHost: 'mx1.example.org', namespace: 'default' };
    const mail = { from: 'bob@example.com', to: 'carol@example.org' };
    await expect(sendAs(lab, toOrg, mail)).rejects.toMatchObject({ responseCode: 451, response: expect.stringContaining('Greylisted') });
    labNow += 4 * LAB_MINUTE;
    await expect(sendAs(lab, toOrg, mail)).rejects.toMatchObject({ responseCode: 451 });
    // Another sending IP is another triplet: still deferred.
    await expect(sendAs(lab, { ...toOrg, fromIp: '198.51.100.20' }, mail)).rejects.toMatchObject({ responseCode: 451 });
    labNow += 1 * LAB_MINUTE;
    await sendAs(lab, toOrg, mail);
    expect((await store.list('default', { mailbox: 'carol@example.org' })).messages).toHaveLength(1);
  });

  it('keeps two namespaces apart: each sees only its own mailbox copies', async () => {
    const lab = await start();
    await sendAs(lab, { ...toNet, namespace: 'student-a' }, { from: 'bob@example.com', to: 'alice@example.net' });
    await sendAs(lab, { ...toNet, namespace: 'student-b' }, { from: 'carol@example.com', to: ['alice@example.net', 'bob@example.net'] });
    expect((await store.list('student-a', { mailbox: 'alice@example.net' })).messages.map((m) => m.mailFrom)).toEqual(['bob@example.com']);
    expect((await store.list('student-b', { mailbox: 'alice@example.net' })).messages.map((m) => m.mailFrom)).toEqual(['carol@example.com']);
    expect((await store.list('student-a', { mailbox: 'bob@example.net' })).messages).toEqual([]);
    expect((await store.list('student-b')).messages.map((m) => m.mailbox).sort()).toEqual(['alice@example.net', 'bob@example.net']);
    expect((await store.list('default')).messages).toEqual([]);
  });

  it('sees a connection nobody registered (python3 smtplib) as the outside lab IP in the outside namespace', async () => {
    const lab = await start();
    const { port } = lab.addressOf('mx.example.net')!;
    const script = [
      'import smtplib, sys',
      `s = smtplib.SMTP("127.0.0.1", ${port}, local_hostname="outside.example", timeout=5)`,
      's.sendmail("eve@outside.example", ["bob@example.net"], "Subject: from outside\\r\\n\\r\\nhi\\r\\n")',
      's.quit()',
    ].join('\n');
    await promisify(execFile)('python3', ['-c', script], { timeout: 10_000 });
    const [message] = (await store.list('default', { mailbox: 'bob@example.net' })).messages;
    const raw = (await store.raw('default', message!.id))!.toString('utf8');
    expect(raw).toMatch(new RegExp(`^Received: from outside\\.example \\(unknown \\[${OUTSIDE_LAB_IP.replace(/\./g, '\\.')}\\]\\)`));
    expect((await store.get('default', message!.id))?.remoteAddress).toBe(OUTSIDE_LAB_IP);
  });

  it('prepends what inspect returns, refuses at end of data in its words, and stores nothing refused', async () => {
    let refuse = false;
    const lab = await start({
      inspect: async (input) => {
        expect(input).toMatchObject({ fromIp: SANDBOX_IP, helo: 'mail.example.com', namespace: 'default', host: { name: 'mx.example.net' } });
        return refuse
          ? { accept: false, reply: { code: 550, text: '5.7.1 Email rejected per DMARC policy for example.com' } }
          : { accept: true, prepend: ['Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com'], junk: true };
      },
    });
    await sendAs(lab, toNet, { from: 'bob@example.com', to: 'alice@example.net' });
    const raw = (await store.raw('default', (await store.list('default')).messages[0]!.id))!.toString('utf8');
    expect(raw.split('\r\n').slice(0, 3)).toEqual([
      'X-Spam-Flag: YES',
      'Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com',
      expect.stringMatching(/^Received: from mail\.example\.com/),
    ]);
    refuse = true;
    await expect(sendAs(lab, toNet, { from: 'bob@example.com', to: 'alice@example.net' })).rejects.toMatchObject({
      responseCode: 550,
      response: '550 5.7.1 Email rejected per DMARC policy for example.com',
    });
    expect((await store.list('default')).messages).toHaveLength(1);
  });

  it('stamps each MX personality own Received layout, and every one reads back with the trail reader', async () => {
    const lab = await start();
    // One host of each personality that takes mail at once (mx1.example.org greylists).
    const targets = [
      { host: 'mx.example.net', to: 'bob@example.net', by: 'mx.example.net', id: /^\w+$/ },
      { host: 'no-mx.example', to: 'bob@no-mx.example', by: 'no-mx.example', id: /^\w{6}-\w{11}-\w{4}$/ },
      { host: 'mx2.example.org', to: 'bob@example.org', by: 'mx2.example.org', id: /^15\.20\.8207\.18$/ },
      { host: 'mx.p-none.example', to: 'bob@p-none.example', by: 'mx.p-none.example', id: /^\S+$/ },
    ];
    for (const target of targets) {
      await sendAs(lab, { fromIp: SANDBOX_IP, toHost: target.host, namespace: 'default' }, { from: 'alice@example.com', to: target.to });
      const [message] = (await store.list('default', { mailbox: target.to })).messages;
      const raw = (await store.raw('default', message!.id))!.toString('utf8');
      const [hop, ...rest] = readReceivedTrail(raw.slice(0, raw.indexOf('\r\n\r\n'))).hops;
      expect(rest, target.host).toEqual([]);
      expect(hop?.problems, target.host).toEqual([]);
      expect(hop?.stamp, target.host).toMatchObject({ fromAddress: SANDBOX_IP, by: target.by, id: expect.stringMatching(target.id), time: labNow });
    }
  });

  it('stays up on garbage and serves the next client', async () => {
    const lab = await start();
    const { port } = lab.addressOf('mx.example.net')!;
    const garbage = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => garbage.once('data', resolve));
    garbage.write(Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x16, 0x03, 0x01, 0x0a]));
    garbage.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => garbage.once('close', resolve));
    await sendAs(lab, toNet, { from: 'bob@example.com', to: 'alice@example.net' });
    expect((await store.list('default', { mailbox: 'alice@example.net' })).messages).toHaveLength(1);
  });

  it('GET /api/messages?mailbox= lists only that mailbox over real HTTP; without it every item keeps its mailbox', async () => {
    const lab = await start();
    await sendAs(lab, toNet, { from: 'bob@example.com', to: ['alice@example.net', 'carol@example.net'] });
    const server = await startServer({ messages: store });
    cleanups.push(() => server.close());
    const get = async (path: string) => (await fetch(`${server.base}${path}`)).json() as Promise<{ messages: { mailbox?: string }[]; matched: number }>;
    const alice = await get('/api/messages?mailbox=Alice@example.net');
    expect(alice.messages.map((message) => message.mailbox)).toEqual(['alice@example.net']);
    expect(alice.matched).toBe(1);
    const all = await get('/api/messages');
    expect(all.messages.map((message) => message.mailbox).sort()).toEqual(['alice@example.net', 'carol@example.net']);
    const bad = await fetch(`${server.base}/api/messages?mailbox=not%20an%20address`);
    expect(bad.status).toBe(400);
  });
});
