/**
 * RFC 7505 §4.2 on the lab's MX hosts, over real TCP on 127.0.0.1 with python3 smtplib as an
 * outside sending server (203.0.113.99): mail from a domain whose zone publishes the null MX
 * "0 ." is refused with 550 5.7.27 at RCPT (Postfix's delayed sender restrictions), in each
 * personality's words; the null sender and a sender at a domain that takes mail are accepted;
 * the learner's zone (real SQLite) is read per connection.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { MessageStore } from '../../../../server/storage/message-store.ts';
import { openDatabase, type Database } from '../../../../server/storage/open-database.ts';
import { startLabNetwork, type LabNetwork } from '../../../../server/world/lab-network/start-lab-network.ts';
import { SqliteDatabase } from '../../../../server/storage/sql/sqlite-database.ts';
import { ZoneStore } from '../../../../server/world/zone-store.ts';

const record = (name: string, type: DnsRecord['type'], value: string): DnsRecord => ({ name, type, ttl: 300, value });
const ZONE: readonly DnsRecord[] = [
  record('null-mx.example', 'MX', '0 .'),
  record('example.com', 'MX', '10 mail.example.com.'),
  record('mail.example.com', 'A', '192.0.2.10'),
  record('example.net', 'MX', '10 mx.example.net.'),
  record('mx.example.net', 'A', '198.51.100.20'),
];

let db: Database;
let zones: ZoneStore;
let network: LabNetwork | null = null;

beforeEach(() => {
  db = openDatabase(':memory:');
  zones = new ZoneStore(new SqliteDatabase(db), ZONE);
});
afterEach(async () => {
  await network?.close();
  network = null;
  db.close();
});

async function start(): Promise<LabNetwork> {
  network = await startLabNetwork({
    hosts: DEFAULT_HOSTS,
    store: new MessageStore(new SqliteDatabase(db)),
    now: () => Date.UTC(2026, 0, 5, 9, 0, 0),
    outsideNamespace: 'default',
    zoneOf: (namespace) => zones.records(namespace),
  });
  return network;
}

function portOf(lab: LabNetwork, host: string): number {
  const address = lab.addressOf(host);
  if (address === null) throw new Error(`${host} is not a lab MX`);
  return address.port;
}

/** One python3 smtplib session: EHLO, MAIL FROM, RCPT TO; prints "MAIL <code> <text>" and "RCPT <code> <text>". */
async function envelope(port: number, sender: string, recipient: string): Promise<{ mail: string; rcpt: string }> {
  const script = [
    'import smtplib',
    `s = smtplib.SMTP("127.0.0.1", ${port}, timeout=5)`,
    's.ehlo("sender.example")',
    `code, text = s.docmd("MAIL FROM:<${sender}>")`,
    'print("MAIL", code, text.decode())',
    `code, text = s.docmd("RCPT TO:<${recipient}>")`,
    'print("RCPT", code, text.decode())',
    's.quit()',
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', script], { timeout: 10_000 });
  const [mail = '', rcpt = ''] = stdout.trim().split('\n');
  return { mail, rcpt };
}

describe('a lab MX refuses mail from a null-MX sender domain (RFC 7505 §4.2)', () => {
  it('Postfix (mx.example.net): 250 to MAIL FROM, then 550 5.7.27 at RCPT in smtpd_check.c\'s words', async () => {
    const port = portOf(await start(), 'mx.example.net');
    expect(await envelope(port, 'alice@null-mx.example', 'bob@example.net')).toEqual({
      mail: 'MAIL 250 2.1.0 Ok',
      rcpt: 'RCPT 550 5.7.27 <alice@null-mx.example>: Sender address rejected: Domain null-mx.example does not accept mail (nullMX)',
    });
  });

  it('is refused before the recipient is looked at: an unknown user gets the sender refusal too', async () => {
    const port = portOf(await start(), 'mx.example.net');
    const { rcpt } = await envelope(port, 'alice@null-mx.example', 'nobody@example.net');
    expect(rcpt).toMatch(/^RCPT 550 5\.7\.27 /);
  });

  it('Exchange and Exim say RFC 7505\'s registered words with 5.7.27', async () => {
    const lab = await start();
    expect((await envelope(portOf(lab, 'mx2.example.org'), 'alice@null-mx.example', 'carol@example.org')).rcpt).toBe('RCPT 550 5.7.27 Sender address has null MX');
    expect((await envelope(portOf(lab, 'no-mx.example'), 'alice@null-mx.example', 'carol@no-mx.example')).rcpt).toBe('RCPT 550 5.7.27 Sender address has null MX');
  });

  it('never refuses the null sender <>, and accepts a sender whose domain takes mail', async () => {
    const port = portOf(await start(), 'mx.example.net');
    expect((await envelope(port, '', 'bob@example.net')).rcpt).toBe('RCPT 250 2.1.5 Ok');
    expect((await envelope(port, 'alice@example.com', 'bob@example.net')).rcpt).toBe('RCPT 250 2.1.5 Ok');
  });

  it('reads the learner\'s zone per connection: a domain given the null MX is refused from the next connection on', async () => {
    const port = portOf(await start(), 'mx.example.net');
    expect((await envelope(port, 'alice@example.com', 'bob@example.net')).rcpt).toBe('RCPT 250 2.1.5 Ok');
    await zones.replace('default', [...ZONE.filter((entry) => !(entry.name === 'example.com' && entry.type === 'MX')), record('example.com', 'MX', '0 .')]);
    expect((await envelope(port, 'alice@example.com', 'bob@example.net')).rcpt).toMatch(/^RCPT 550 5\.7\.27 <alice@example\.com>: Sender address rejected: Domain example\.com does not accept mail \(nullMX\)$/);
  });
});
