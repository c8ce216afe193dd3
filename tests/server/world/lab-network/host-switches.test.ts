/**
 * The namespace's host switches, applied by the lab network over real TCP on 127.0.0.1 with
 * real clients (nodemailer over connect()'s socket, python3 smtplib from outside), real
 * SQLite for the switches, and the relay worker falling back to mx2 when mx1 is down. The lab
 * clock is injected: no test waits for time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { checkHostSettings, type HostSwitches } from '../../../../protocol/world/host-settings.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { HostSettingsStore } from '../../../../server/world/host-settings-store.ts';
import { LabClock } from '../../../../server/world/lab-clock.ts';
import { type InspectInput } from '../../../../server/world/lab-network/lab-delivery.ts';
import { startLabNetwork, type LabNetwork, type LabNetworkOptions } from '../../../../server/world/lab-network/start-lab-network.ts';
import { OutboundQueue } from '../../../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker, type HopRecord, type RelayWorker } from '../../../../server/world/outbound/relay-worker.ts';

const SANDBOX_IP = '192.0.2.10';
const LAB_MINUTE = 60_000;

let db: Database;
let store: MessageStore;
let switches: HostSettingsStore;
let network: LabNetwork | null = null;
let worker: RelayWorker | null = null;
let labNow = Date.UTC(2026, 0, 5, 9, 0, 0);

beforeEach(() => {
  db = openDatabase(':memory:');
  store = new MessageStore(new SqliteDatabase(db));
  switches = new HostSettingsStore(new SqliteDatabase(db), DEFAULT_HOSTS);
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await network?.close();
  network = null;
  db.close();
});

async function start(options: Partial<LabNetworkOptions> = {}): Promise<LabNetwork> {
  network = await startLabNetwork({
    hosts: DEFAULT_HOSTS,
    store,
    now: () => labNow,
    outsideNamespace: 'default',
    switchesOf: (namespace, hostName) => switches.switchesOf(namespace, hostName),
    ...options,
  });
  return network;
}

/** Sets `namespace`'s switches for some hosts (the rest at their defaults), through the same check as PUT /api/world/hosts. */
async function setSwitches(namespace: string, changes: readonly (Partial<HostSwitches> & { name: string })[]): Promise<void> {
  const entries = await Promise.all(changes.map(async (change) => ({ ...(await switches.switchesOf(namespace, change.name)), ...change })));
  const check = checkHostSettings(entries);
  if (!check.ok) throw new Error(check.problems.map((problem) => problem.message).join('; '));
  await switches.replace(namespace, check.hosts);
}

async function sendAs(lab: LabNetwork, request: { fromIp: string; toHost: string; namespace: string }, to = 'alice@example.net') {
  const socket = await lab.connect(request);
  const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 5000 } as never);
  try {
    return await transport.sendMail({ from: 'bob@example.com', to, subject: 'Switch test', text: 'Hello.' });
  } finally {
    transport.close();
    socket.destroy();
  }
}

const toNet = { fromIp: SANDBOX_IP, toHost: 'mx.example.net', namespace: 'default' };
const python = (script: string) => promisify(execFile)('python3', ['-c', script], { timeout: 10_000 });

describe('host switch: down', () => {
  it('makes connect() fail as a refused connection in that namespace only; other namespaces still deliver', async () => {
    const lab = await start();
    await setSwitches('ana', [{ name: 'mx.example.net', down: true }]);
    await expect(lab.connect({ ...toNet, namespace: 'ana' })).rejects.toMatchObject({ code: 'ECONNREFUSED', message: expect.stringContaining('mx.example.net is down') });
    await sendAs(lab, { ...toNet, namespace: 'bea' });
    expect((await store.list('bea', { mailbox: 'alice@example.net' })).messages).toHaveLength(1);
  });

  it('resets an outside client (python3 smtplib) before any greeting', async () => {
    const lab = await start();
    await setSwitches('default', [{ name: 'mx.example.net', down: true }]);
    const { port } = lab.addressOf('mx.example.net')!;
    const { stdout } = await python(
      ['import smtplib', 'try:', `    smtplib.SMTP("127.0.0.1", ${port}, timeout=5)`, '    print("greeted")', 'except (smtplib.SMTPServerDisconnected, ConnectionError) as e:', '    print("no greeting:", type(e).__name__)'].join('\n'),
    );
    expect(stdout).toMatch(/^no greeting: /);
  });

  it('sends the relay worker on to mx2 when mx1 is down (RFC 5321 §5.1), with no wait for mx1', async () => {
    const lab = await start();
    await setSwitches('default', [{ name: 'mx1.example.org', down: true }]);
    const queue = new OutboundQueue(new SqliteDatabase(db));
    const clock = new LabClock({ startAt: labNow });
    const zone: DnsRecord[] = [
      { name: 'example.org', type: 'MX', ttl: 300, value: '10 mx1.example.org.' },
      { name: 'example.org', type: 'MX', ttl: 300, value: '20 mx2.example.org.' },
      { name: 'mx1.example.org', type: 'A', ttl: 300, value: '203.0.113.21' },
      { name: 'mx2.example.org', type: 'A', ttl: 300, value: '203.0.113.22' },
    ];
    await queue.enqueue([{ namespace: 'default', queueId: 'Q1', mailFrom: 'alice@example.com', recipient: 'carol@example.org', clientHelo: 'laptop', clientAddress: '127.0.0.1', raw: Buffer.from('From: alice@example.com\r\nTo: carol@example.org\r\nSubject: fallback\r\n\r\nHi.\r\n'), receivedAt: labNow }]);
    worker = startRelayWorker({ queue, clock, zoneOf: async () => zone, connect: (target) => lab.connect(target), random: () => 0 });
    for (let i = 0; i < 200 && (await queue.get(1))?.state !== 'delivered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await queue.get(1))?.state).toBe('delivered');
    const [hop] = (await queue.hops(1)) as { hop: HopRecord }[];
    expect(hop?.hop.tries.map((attempt) => [attempt.host, attempt.outcome.kind])).toEqual([
      ['mx1.example.org', 'no-connection'],
      ['mx2.example.org', 'delivered'],
    ]);
    expect(hop?.hop.tries[0]?.outcome.reply).toContain('ECONNREFUSED');
    expect((await store.list('default', { mailbox: 'carol@example.org' })).messages).toHaveLength(1);
  });
});

describe('host switch: rate limit', () => {
  it('refuses the connection over the limit per lab minute with Postfix\'s 421 4.7.0 and closes; a lab minute later it is let in', async () => {
    const lab = await start();
    await setSwitches('default', [{ name: 'mx.example.net', rateLimitPerLabMinute: 2 }]);
    await sendAs(lab, toNet);
    await sendAs(lab, toNet);
    await expect(sendAs(lab, toNet)).rejects.toMatchObject({
      responseCode: 421,
      response: `421 4.7.0 mx.example.net Error: too many connections from ${SANDBOX_IP}`,
    });
    // Another sending IP and another student's world have their own counts.
    await sendAs(lab, { ...toNet, fromIp: '203.0.113.50' });
    await sendAs(lab, { ...toNet, namespace: 'bea' });
    labNow += LAB_MINUTE;
    await sendAs(lab, toNet);
    expect((await store.list('default', { mailbox: 'alice@example.net' })).messages).toHaveLength(4);
  });

  it('closes the connection after the 421 (RFC 5321 §3.8): python3 smtplib sees the refusal at connect', async () => {
    const lab = await start();
    await setSwitches('default', [{ name: 'mx2.example.org', rateLimitPerLabMinute: 1 }]);
    const { port } = lab.addressOf('mx2.example.org')!;
    const script = (n: number) =>
      ['import smtplib', 'try:', `    s = smtplib.SMTP("127.0.0.1", ${port}, timeout=5)`, `    print("${n} greeted"); s.quit()`, 'except smtplib.SMTPConnectError as e:', `    print("${n}", e.smtp_code, e.smtp_error.decode())`].join('\n');
    expect((await python(script(1))).stdout).toBe('1 greeted\n');
    expect((await python(script(2))).stdout).toBe('2 421 4.7.0 mx2.example.org Too many connections from 203.0.113.99, try again later\n');
  });
});

describe('host switch: allow-list', () => {
  it('refuses a client not on the list at RCPT in Postfix\'s words (smtpd_delay_reject) and takes mail from one on it', async () => {
    const lab = await start();
    await setSwitches('default', [{ name: 'mx.example.net', allowList: ['203.0.113.50'] }]);
    await expect(sendAs(lab, toNet)).rejects.toMatchObject({
      responseCode: 554,
      command: 'RCPT TO',
      response: `554 5.7.1 <unknown[${SANDBOX_IP}]>: Client host rejected: Access denied`,
    });
    await sendAs(lab, { ...toNet, fromIp: '203.0.113.50' });
    const { messages } = await store.list('default', { mailbox: 'alice@example.net' });
    const delivered = await Promise.all(messages.map(async (message) => (await store.get('default', message.id))?.remoteAddress));
    expect(delivered).toEqual(['203.0.113.50']);
  });
});

describe('host switches: greylisting and DMARC enforcement replace the fixed host fields', () => {
  it('greylists on example.net when switched on (Postfix\'s postgrey words) and not on mx1.example.org when switched off', async () => {
    const lab = await start();
    await setSwitches('default', [
      { name: 'mx.example.net', greylisting: true },
      { name: 'mx1.example.org', greylisting: false },
    ]);
    await expect(sendAs(lab, toNet)).rejects.toMatchObject({ responseCode: 450, response: '450 4.2.0 <alice@example.net>: Recipient address rejected: Greylisted' });
    await sendAs(lab, { ...toNet, toHost: 'mx1.example.org' }, 'carol@example.org');
    expect((await store.list('default', { mailbox: 'carol@example.org' })).messages).toHaveLength(1);
    // The defaults still hold in a world that changed nothing: mx1 greylists there.
    await expect(sendAs(lab, { ...toNet, toHost: 'mx1.example.org', namespace: 'bea' }, 'carol@example.org')).rejects.toMatchObject({ responseCode: 451 });
  });

  it('hands inspect the host with the namespace\'s DMARC enforcement switch', async () => {
    const seen: { namespace: string; enforce: boolean }[] = [];
    const lab = await start({
      inspect: async (input: InspectInput) => {
        seen.push({ namespace: input.namespace, enforce: input.host.enforceDmarc });
        return { accept: true };
      },
    });
    await setSwitches('ana', [{ name: 'mx.example.net', enforceDmarc: false }]);
    await sendAs(lab, { ...toNet, namespace: 'ana' });
    await sendAs(lab, { ...toNet, namespace: 'bea' });
    expect(seen).toEqual([
      { namespace: 'ana', enforce: false },
      { namespace: 'bea', enforce: true },
    ]);
  });
});
