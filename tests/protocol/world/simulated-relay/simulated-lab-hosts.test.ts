/**
 * The page's lab MX hosts treat mail as the server's do (protocol/world/lab-host.ts and
 * lab-forwarding.ts): the mailing list host, a null-MX sender, alice+tag.
 */
import { describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import type { SimulatedMessage } from '../../../../protocol/simulator/index.ts';
import { defaultWorld, SIGNING_DOMAINS } from '../../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { defaultHostSettings } from '../../../../protocol/world/host-settings.ts';
import { journeySchema } from '../../../../protocol/world/journey.ts';
import { SimulatedRelay, type DeliveredMail } from '../../../../protocol/world/simulated-relay/simulated-relay.ts';
import { manualLabClock, until } from './manual-lab-clock.ts';

const keys = Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, 'AAAA'])) as Record<(typeof SIGNING_DOMAINS)[number], string>;
const world = defaultWorld({ dkimPublicKeys: keys });
// What the "mailing list" Break it preset publishes: lists.example has no DNS by default.
const withList: DnsRecord[] = [
  ...world.records,
  { name: 'mx.lists.example', type: 'A', ttl: 300, value: '198.51.100.60' },
  { name: 'lists.example', type: 'MX', ttl: 300, value: '10 mx.lists.example.' },
  { name: 'lists.example', type: 'TXT', ttl: 300, value: 'v=spf1 ip4:198.51.100.60 -all' },
];

function relayIn(records: readonly DnsRecord[]) {
  const delivered: DeliveredMail[] = [];
  const relay = new SimulatedRelay({
    world: () => ({ records, hosts: defaultHostSettings(), unreachable: world.unreachable }),
    clock: manualLabClock(),
    onDelivered: (mail) => delivered.push(mail),
    random: () => 0,
  });
  return { relay, delivered };
}

let queueIds = 0;
function accepted(mailFrom: string, rcptTo: string, subject: string): SimulatedMessage {
  queueIds += 1;
  return {
    queueId: `L${queueIds}`,
    mailFrom,
    rcptTo: [rcptTo],
    data: `From: <${mailFrom}>\r\nTo: <${rcptTo}>\r\nSubject: ${subject}\r\n\r\nHello list.\r\n`,
    clientHelo: 'laptop.example.com',
    remoteAddress: '203.0.113.25',
    authenticatedUser: null,
    secure: false,
  };
}

const headerOf = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));

describe('the lab hosts in the page, as on the server', () => {
  it('the list team@lists.example sends a copy to bob with List-Id and its footer, from its bounce address, out of its own lab IP', async () => {
    const { relay, delivered } = relayIn(withList);
    relay.submit(accepted('alice@example.com', 'team@lists.example', 'to the list'));
    await until(() => delivered.length === 1);
    const copy = delivered[0]!;
    expect(copy).toMatchObject({ mailbox: 'bob@example.net', mailFrom: 'team-bounces@lists.example' });
    const head = headerOf(copy.raw);
    expect(head).toMatch(/^List-Id: <team\.lists\.example>$/m);
    expect(readReceivedTrail(head).hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx.lists.example', 'mx.example.net']);
    expect(copy.raw.endsWith('Hello list.\r\n_______________________________________________\r\nteam mailing list -- team@lists.example\r\nTo unsubscribe send an email to team-leave@lists.example\r\n')).toBe(true);
    const journey = journeySchema.parse(relay.journey(copy.id));
    const relayHops = journey.hops.filter((hop) => hop.kind === 'relay');
    expect(relayHops.map((hop) => `${hop.from.ip} → ${hop.to.host}: ${hop.outcome}`)).toEqual(['192.0.2.10 → mx.lists.example: delivered', '198.51.100.60 → mx.example.net: delivered']);
    expect(relayHops[1]?.transcript.filter((line) => line.direction === 'client').map((line) => line.text)).toContain('MAIL FROM:<team-bounces@lists.example>');
  });

  it('the list keeps mail to its bounce address in that mailbox, and refuses its other local parts', async () => {
    const { relay, delivered } = relayIn(withList);
    relay.submit(accepted('alice@example.com', 'team-bounces@lists.example', 'a bounce for the list'));
    const other = relay.submit(accepted('alice@example.com', 'bob@lists.example', 'not a list address'))!;
    await until(() => delivered.length === 2);
    expect(delivered.map((mail) => mail.mailbox).sort()).toEqual(['alice@example.com', 'team-bounces@lists.example']);
    expect(relay.journey(other)?.outbound[0]).toMatchObject({ state: 'bounced', lastReply: expect.stringMatching(/^550 5\.1\.1 <bob@lists\.example>/) });
  });

  it('a sender whose domain publishes a null MX is refused at RCPT with 550 5.7.27 in Postfix\'s words (RFC 7505 §4.2)', async () => {
    const { relay } = relayIn(world.records);
    const id = relay.submit(accepted('bob@null-mx.example', 'bob@example.net', 'from a null MX domain'))!;
    await until(() => relay.journey(id)?.outbound[0]?.state === 'bounced');
    const journey = journeySchema.parse(relay.journey(id));
    const hop = journey.hops.find((candidate) => candidate.kind === 'relay' && candidate.to.host === 'mx.example.net');
    const refusal = '550 5.7.27 <bob@null-mx.example>: Sender address rejected: Domain null-mx.example does not accept mail (nullMX)';
    expect(hop).toMatchObject({ outcome: 'permanent', reply: refusal });
    // Postfix delays sender restrictions to RCPT: MAIL FROM got its 250.
    const texts = hop!.transcript.map((line) => line.text);
    expect(texts[texts.indexOf('MAIL FROM:<bob@null-mx.example>') + 1]).toMatch(/^250 /);
    expect(texts[texts.indexOf('RCPT TO:<bob@example.net>') + 1]).toBe(refusal);
  });

  it('reaches the host at the address the MX name resolves to: mx.example.net pointed at mx2.example.org\'s address is mx2, and where no host is, nothing answers', async () => {
    const pointed = (ip: string) => world.records.map((record) => (record.name === 'mx.example.net' && record.type === 'A' ? { ...record, value: ip } : record));
    const atMx2 = relayIn(pointed('203.0.113.22')).relay;
    const toMx2 = atMx2.submit(accepted('carol@example.com', 'bob@example.net', 'to the address of mx2'))!;
    await until(() => atMx2.journey(toMx2)?.outbound[0]?.state === 'bounced');
    expect(atMx2.journey(toMx2)?.outbound[0]?.lastReply).toMatch(/Relay access denied/);
    const nowhere = relayIn(pointed('192.0.2.99')).relay;
    const toNowhere = nowhere.submit(accepted('carol@example.com', 'bob@example.net', 'to no host'))!;
    await until(() => nowhere.journey(toNowhere)?.outbound[0]?.lastReply != null);
    expect(nowhere.journey(toNowhere)?.outbound[0]?.lastReply).toMatch(/no lab server listens at mx\.example\.net \[192\.0\.2\.99\]/);
  });

  it('delivers alice+news@example.net, as every lab MX takes alice+tag for alice', async () => {
    const { relay, delivered } = relayIn(world.records);
    relay.submit(accepted('carol@example.com', 'alice+news@example.net', 'tagged'));
    await until(() => delivered.length === 1);
    expect(delivered[0]?.mailbox).toBe('alice+news@example.net');
  });
});
