/**
 * Every receiving lab MX authenticates what it is sent: real TCP over the lab network's
 * `connect()`, nodemailer as the sending MTA, mailauth with the lab resolver over the zone in
 * real SQLite (edited per test as a learner would), and no real DNS or UDP from the moment the
 * listeners are up (Node's listen() passes even '127.0.0.1' through dns.lookup, which answers
 * an IP literal itself, so the guard goes on after it) to the end of each test.
 */
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS, type LabHost } from '../../../../protocol/world/default-world.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { inspectAtMx } from '../../../../server/world/mail-auth/inspect-at-mx.ts';
import { signOutbound } from '../../../../server/world/mail-auth/sign-outbound.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { ZoneStore } from '../../../../server/world/zone-store.ts';
import { installNoNetworkGuard, type NoNetworkGuard } from '../no-network-guard.ts';
import { keysPerFile, message, txt, worldUnreachable, worldZone } from './auth-fixtures.ts';

const SANDBOX_IP = '192.0.2.10';
/** A lab address example.com's SPF does not list. */
const STRANGER_IP = '198.51.100.66';
const NAMESPACE = 'default';

let guard: NoNetworkGuard | null = null;
const signing = keysPerFile();
let db: Database;
let store: MessageStore;
let zones: ZoneStore;
let network: LabNetwork | null = null;

afterEach(async () => {
  const calls = guard?.calls();
  guard?.restore();
  guard = null;
  expect(calls).toEqual([]);
  await network?.close();
  network = null;
  db?.close();
});

async function start(hosts: readonly LabHost[] = DEFAULT_HOSTS): Promise<LabNetwork> {
  db = openDatabase(':memory:');
  store = new MessageStore(new SqliteDatabase(db));
  zones = new ZoneStore(new SqliteDatabase(db), worldZone(signing.keys));
  network = await startLabNetwork({
    hosts,
    store,
    now: () => Date.UTC(2026, 0, 5, 9, 0, 0),
    outsideNamespace: NAMESPACE,
    inspect: inspectAtMx({ zoneOf: (namespace) => zones.records(namespace), unreachable: worldUnreachable(), sample: () => 0 }),
  });
  guard = installNoNetworkGuard();
  return network;
}

/** Sends `raw` as the sending MTA at `fromIp` would; resolves with nodemailer's info or rejects with the SMTP error. */
async function relay(lab: LabNetwork, fromIp: string, raw: Buffer | string) {
  const socket = await lab.connect({ fromIp, toHost: 'mx.example.net', namespace: NAMESPACE });
  const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 10_000 } as never);
  try {
    return await transport.sendMail({ envelope: { from: 'alice@example.com', to: ['bob@example.net'] }, raw });
  } finally {
    transport.close();
    socket.destroy();
  }
}

async function signed(): Promise<Buffer> {
  const outcome = await signOutbound(message('Alice <alice@example.com>'), 'example.com', signing.keys);
  if (!outcome.signed) throw new Error(outcome.reason);
  return outcome.raw;
}

async function setDmarc(policy: string): Promise<void> {
  await zones.replace(NAMESPACE, worldZone(signing.keys, { drop: ['_dmarc.example.com TXT'], add: [txt('_dmarc.example.com', `v=DMARC1; p=${policy}`)] }));
}

async function delivered(): Promise<string> {
  const [summary] = (await store.list(NAMESPACE, { mailbox: 'bob@example.net' })).messages;
  if (summary === undefined) throw new Error('nothing was delivered to bob@example.net');
  return (await store.raw(NAMESPACE, summary.id))!.toString('utf8');
}

describe('inspect at every lab MX', () => {
  it('delivers a message signed for example.com from its lab IP with spf=pass dkim=pass dmarc=pass above the Received header', async () => {
    const lab = await start();
    const info = await relay(lab, SANDBOX_IP, await signed());
    expect(info.response).toMatch(/^250 /);
    const raw = await delivered();
    const parsed = await simpleParser(raw);
    const results = String(parsed.headers.get('authentication-results'));
    expect(results).toMatch(/^mx\.example\.net;/);
    expect(results).toMatch(/spf=pass/);
    expect(results).toMatch(/dkim=pass/);
    expect(results).toMatch(/dmarc=pass/);
    expect(raw.startsWith('Authentication-Results: mx.example.net;')).toBe(true);
    expect(raw).toMatch(/\r\nReceived: from mail\.example\.com \(unknown \[192\.0\.2\.10\]\)/);
    expect(raw.indexOf('Received:')).toBeLessThan(raw.indexOf('DKIM-Signature:'));
    expect(raw).not.toContain('X-Spam-Flag');
  });

  it('refuses an unsigned From example.com from another IP with 550 5.7.1 in OpenDMARC words, and stores nothing', async () => {
    const lab = await start();
    await expect(relay(lab, STRANGER_IP, message('Alice <alice@example.com>'))).rejects.toMatchObject({
      responseCode: 550,
      response: '550 5.7.1 rejected by DMARC policy for example.com',
    });
    expect((await store.list(NAMESPACE)).messages).toEqual([]);
  });

  it('delivers the same message marked as junk once the learner changes example.com to p=quarantine', async () => {
    const lab = await start();
    await setDmarc('quarantine');
    await relay(lab, STRANGER_IP, message('Alice <alice@example.com>'));
    const raw = await delivered();
    expect(raw.split('\r\n').slice(0, 2)).toEqual(['X-Spam-Flag: YES', expect.stringMatching(/^Authentication-Results: mx\.example\.net;/)]);
    expect(raw.indexOf('Authentication-Results:')).toBeLessThan(raw.indexOf('Received:'));
    expect(raw).toMatch(/dmarc=fail/);
    expect(raw).not.toContain('X-Lab-Junk');
  });

  it('delivers it unmarked under p=none', async () => {
    const lab = await start();
    await setDmarc('none');
    await relay(lab, STRANGER_IP, message('Alice <alice@example.com>'));
    const raw = await delivered();
    expect(raw).toMatch(/dmarc=fail/);
    expect(raw).not.toContain('X-Spam-Flag');
  });

  it('delivers a p=reject failure when the host does not enforce DMARC, recording the policy as not enforced', async () => {
    const relaxed = DEFAULT_HOSTS.map((host) => (host.name === 'mx.example.net' ? { ...host, enforceDmarc: false } : host));
    const lab = await start(relaxed);
    await relay(lab, STRANGER_IP, message('Alice <alice@example.com>'));
    expect(await delivered()).toMatch(/dmarc=fail/);
    const row = db.prepare('SELECT disposition, lab_host AS host FROM messages').get() as { disposition: string; host: string };
    expect(row).toEqual({ host: 'mx.example.net', disposition: expect.stringContaining('policy not enforced') });
  });

  it('checks against the sender namespace zone: another student editing theirs changes nothing here', async () => {
    const lab = await start();
    await zones.replace('someone-else', worldZone(signing.keys, { drop: ['_dmarc.example.com TXT'], add: [txt('_dmarc.example.com', 'v=DMARC1; p=none')] }));
    await expect(relay(lab, STRANGER_IP, message('Alice <alice@example.com>'))).rejects.toMatchObject({ responseCode: 550 });
  });
});
