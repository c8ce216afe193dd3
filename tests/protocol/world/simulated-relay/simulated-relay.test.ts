import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readReceivedTrail } from '../../../../protocol/mail/received/received-trail.ts';
import type { SimulatedMessage } from '../../../../protocol/simulator/index.ts';
import { defaultWorld, SIGNING_DOMAINS } from '../../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { defaultHostSettings, type HostSwitches } from '../../../../protocol/world/host-settings.ts';
import { journeySchema } from '../../../../protocol/world/journey.ts';
import { FIRST_RETRY_MS } from '../../../../protocol/world/retry-schedule.ts';
import { SimulatedRelay, type DeliveredMail } from '../../../../protocol/world/simulated-relay/simulated-relay.ts';
import { manualLabClock, until } from './manual-lab-clock.ts';

const keys = Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, 'AAAA'])) as Record<(typeof SIGNING_DOMAINS)[number], string>;
const world = defaultWorld({ dkimPublicKeys: keys });

function relayIn(options: { records?: readonly DnsRecord[]; switches?: readonly HostSwitches[]; maxWaiting?: number } = {}) {
  const clock = manualLabClock();
  const delivered: DeliveredMail[] = [];
  const relay = new SimulatedRelay({
    world: () => ({ records: options.records ?? world.records, hosts: options.switches ?? defaultHostSettings(), unreachable: world.unreachable }),
    clock,
    onDelivered: (mail) => delivered.push(mail),
    random: () => 0,
    ...(options.maxWaiting === undefined ? {} : { maxWaiting: options.maxWaiting }),
  });
  return { relay, clock, delivered };
}

let queueIds = 0;
function accepted(mailFrom: string, rcptTo: string[], subject = 'hello'): SimulatedMessage {
  queueIds += 1;
  return {
    queueId: `Q${queueIds}`,
    mailFrom,
    rcptTo,
    data: `From: <${mailFrom || 'mailer-daemon@example.com'}>\r\nTo: <${rcptTo[0] ?? ''}>\r\nSubject: ${subject}\r\n\r\nHi.\r\n.leading dot\r\n`,
    clientHelo: 'laptop.example.com',
    remoteAddress: '203.0.113.25',
    authenticatedUser: null,
    secure: false,
  };
}

const headerOf = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));
const withMx2Down = defaultHostSettings().map((host) => (host.name === 'mx2.example.org' ? { ...host, down: true } : host));

describe('the simulated relay (the journey in the page, no server)', () => {
  it('delivers to bob@example.net through a simulated Postfix: MX lookup, SMTP through the client driver, Received headers newest first', async () => {
    const { relay, delivered } = relayIn();
    const id = relay.submit(accepted('alice@example.com', ['bob@example.net']));
    await until(() => delivered.length === 1);
    const copy = delivered[0]!;
    expect(copy.mailbox).toBe('bob@example.net');
    // Dot-stuffed on the way out and unstuffed by the receiver: the body arrives unchanged.
    expect(copy.raw.endsWith('Hi.\r\n.leading dot\r\n')).toBe(true);
    const trail = readReceivedTrail(headerOf(copy.raw));
    expect(trail.hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx.example.net']);
    expect(trail.hops[1]?.stamp.fromAddress).toBe('192.0.2.10');
    expect(trail.hops.flatMap((hop) => hop.problems)).toEqual([]);

    const journey = journeySchema.parse(relay.journey(copy.id));
    expect(journey.mailbox).toBe('bob@example.net');
    expect(journey.authentication).toBeNull();
    expect(journey.hops.map((hop) => [hop.kind, hop.outcome, hop.to.host])).toEqual([
      ['submission', 'accepted', 'mail.example.com'],
      ['relay', 'delivered', 'mx.example.net'],
      ['delivery', 'delivered', 'bob@example.net'],
    ]);
    const relayHop = journey.hops[1]!;
    expect(relayHop.personality).toBe('postfix');
    expect(relayHop.lookups[0]).toEqual({ name: 'example.net', type: 'MX', answer: [{ exchange: 'mx.example.net', priority: 10 }] });
    expect(relayHop.transcript.filter((line) => line.direction === 'client').map((line) => line.text)).toEqual(
      expect.arrayContaining(['EHLO mail.example.com', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.net>', 'DATA', '..leading dot', '.', 'QUIT']),
    );
    expect(relayHop.transcript[0]).toMatchObject({ direction: 'server', text: expect.stringMatching(/^220 mx\.example\.net ESMTP Postfix/) });
    // The sandbox's own copy shows the way out, for each recipient.
    const sent = journeySchema.parse(relay.journey(id!));
    expect(sent.outbound).toEqual([{ id: expect.any(Number), recipient: 'bob@example.net', state: 'delivered', lastReply: expect.stringMatching(/^250 /), dsn: 'none' }]);
  });

  it('bounces a null MX (RFC 7505) without an attempt and sends a DSN whose fields mailparser reads', async () => {
    const { relay, delivered } = relayIn();
    const id = relay.submit(accepted('alice@example.com', ['bob@null-mx.example']));
    await until(() => delivered.length === 1);
    const journey = journeySchema.parse(relay.journey(id!));
    expect(journey.hops[1]).toMatchObject({ kind: 'relay', outcome: 'no-route', transcript: [], to: { host: null }, reply: expect.stringMatching(/^556 5\.1\.10 /) });
    expect(journey.outbound[0]).toMatchObject({ state: 'bounced', dsn: 'sent' });

    const dsn = delivered[0]!;
    expect(dsn).toMatchObject({ mailbox: 'alice@example.com', mailFrom: '' });
    const parsed = await simpleParser(dsn.raw, { keepDeliveryStatus: true });
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } });
    const fields = (parsed.attachments.find((part) => part.contentType === 'message/delivery-status')?.content.toString('utf8') ?? '').replace(/\r\n/g, '\n');
    expect(fields).toMatch(/^Reporting-MTA: dns; mail\.example\.com$/m);
    expect(fields).toMatch(/^Final-Recipient: rfc822; bob@null-mx\.example$/m);
    expect(fields).toMatch(/^Action: failed$/m);
    expect(fields).toMatch(/^Status: 5\.1\.10$/m);
    // No server replied: the relay's own words, typed as the lab's (RFC 3464 §2.3.6), with no Remote-MTA.
    expect(fields).toMatch(/^Diagnostic-Code: X-SMTP-Lab; 556 5\.1\.10 /m);
    expect(fields).not.toMatch(/^Remote-MTA:/m);
    expect(parsed.attachments.find((part) => part.contentType === 'text/rfc822-headers')?.content.toString('utf8')).toContain('Subject: hello');
    // The DSN's journey: the sandbox wrote it, it never travelled.
    expect(journeySchema.parse(relay.journey(dsn.id)).hops).toMatchObject([{ kind: 'submission', outcome: 'captured', from: { ip: '192.0.2.10' }, to: { ip: '192.0.2.10' } }]);
  });

  it('bounces an unknown mailbox in Postfix\'s words to the envelope sender, and never bounces the null sender', async () => {
    const { relay, delivered } = relayIn();
    relay.submit(accepted('carol@example.com', ['dave@example.net']));
    const nullSender = relay.submit(accepted('', ['dave@example.net']));
    await until(() => relay.journey(nullSender!)?.outbound[0]?.state === 'bounced' && delivered.length === 1);
    const fields = (await simpleParser(delivered[0]!.raw, { keepDeliveryStatus: true })).attachments.find((part) => part.contentType === 'message/delivery-status')?.content.toString('utf8') ?? '';
    expect(delivered[0]!.mailbox).toBe('carol@example.com');
    expect(fields.replace(/\r\n/g, '\n')).toMatch(/^Diagnostic-Code: smtp; 550 5\.1\.1 <dave@example\.net>: Recipient address rejected: User unknown/m);
    expect(fields.replace(/\r\n/g, '\n')).toMatch(/^Remote-MTA: dns; mx\.example\.net$/m);
    expect(relay.journey(nullSender!)?.outbound[0]).toMatchObject({ state: 'bounced', dsn: 'none' });
  });

  it('retries a greylisted message on the lab clock: deferred by Exim (451) with the secondary down, accepted after the first retry', async () => {
    const { relay, clock, delivered } = relayIn({ switches: withMx2Down });
    const id = relay.submit(accepted('alice@example.com', ['bob@example.org']))!;
    await until(() => relay.journey(id)?.outbound[0]?.state === 'queued' && relay.journey(id)!.hops.length > 1);
    const waiting = relay.waiting();
    expect(waiting).toEqual([{ id: expect.any(Number), recipient: 'bob@example.org', attempts: 1, nextAttemptAt: clock.now() + FIRST_RETRY_MS, lastReply: expect.stringContaining('ECONNREFUSED') }]);
    expect(journeySchema.parse(relay.journey(id)).hops.slice(1).map((hop) => [hop.to.host, hop.outcome, hop.reply?.slice(0, 9)])).toEqual([
      ['mx1.example.org', 'temporary', '451 4.7.1'],
      ['mx2.example.org', 'no-connection', 'connect E'],
    ]);
    expect(delivered).toEqual([]);

    clock.advance(FIRST_RETRY_MS);
    await until(() => delivered.length === 1);
    expect(delivered[0]!.mailbox).toBe('bob@example.org');
    const journey = journeySchema.parse(relay.journey(delivered[0]!.id));
    expect(journey.hops.map((hop) => [hop.attempt, hop.to.host, hop.outcome])).toEqual([
      [null, 'mail.example.com', 'accepted'],
      [1, 'mx1.example.org', 'temporary'],
      [1, 'mx2.example.org', 'no-connection'],
      [2, 'mx1.example.org', 'delivered'],
      [null, 'bob@example.org', 'delivered'],
    ]);
    expect(relay.waiting()).toEqual([]);
  });

  it('falls back to the secondary MX when the primary greylists (RFC 5321 §5.1: a 4xx sends the client to the next MX)', async () => {
    const { relay, delivered } = relayIn();
    relay.submit(accepted('alice@example.com', ['carol@example.org']));
    await until(() => delivered.length === 1);
    expect(readReceivedTrail(headerOf(delivered[0]!.raw)).hops.map((hop) => hop.stamp.by)).toEqual(['mail.example.com', 'mx2.example.org']);
  });

  it('uses the implicit MX of a domain with only an A record, and keeps mail for a domain outside the lab (DSN to the lab sender)', async () => {
    const { relay, delivered } = relayIn();
    relay.submit(accepted('alice@example.com', ['bob@no-mx.example']));
    const outside = relay.submit(accepted('bob@example.com', ['someone@elsewhere.test']))!;
    await until(() => delivered.length === 2);
    const implicit = delivered.find((mail) => mail.mailbox === 'bob@no-mx.example')!;
    expect(journeySchema.parse(relay.journey(implicit.id)).hops[1]).toMatchObject({ to: { host: 'no-mx.example', ip: '198.51.100.30' }, personality: 'exim', outcome: 'delivered' });
    const kept = journeySchema.parse(relay.journey(outside));
    expect(kept.hops).toMatchObject([{ kind: 'submission', outcome: 'captured' }]);
    expect(kept.outbound[0]).toMatchObject({ state: 'bounced', lastReply: expect.stringMatching(/no such domain in the lab$/), dsn: 'sent' });
    expect(delivered.find((mail) => mail.mailbox === 'bob@example.com')?.raw).toMatch(/^Status: 5\.1\.2\r$/m);
  });

  it('forwards through forwarder.example from its own lab IP, and the journey follows both rows', async () => {
    const { relay, delivered } = relayIn();
    relay.submit(accepted('alice@example.com', ['bob@forwarder.example']));
    await until(() => delivered.length === 1);
    expect(delivered[0]!.mailbox).toBe('bob@example.net');
    const relays = journeySchema.parse(relay.journey(delivered[0]!.id)).hops.filter((hop) => hop.kind === 'relay');
    expect(relays.map((hop) => [hop.from.ip, hop.to.host])).toEqual([['192.0.2.10', 'mx.forwarder.example'], ['203.0.113.50', 'mx.example.net']]);
  });

  it('writes the report for a forwarder\'s own failed hop as the forwarder, and sends it from the forwarder to another lab domain', async () => {
    // mx.example.net takes mail from the sandbox only, so the forwarder's hop is refused at RCPT.
    const { relay, delivered } = relayIn({ switches: defaultHostSettings().map((host) => (host.name === 'mx.example.net' ? { ...host, allowList: ['192.0.2.10'] } : host)) });
    relay.submit(accepted('alice@example.com', ['bob@forwarder.example']));
    relay.submit(accepted('carol@example.org', ['bob@forwarder.example']));
    await until(() => delivered.some((mail) => mail.mailbox === 'alice@example.com') && delivered.some((mail) => mail.mailbox === 'carol@example.org'));
    for (const mailbox of ['alice@example.com', 'carol@example.org']) {
      const raw = delivered.find((mail) => mail.mailbox === mailbox)!.raw;
      const parsed = await simpleParser(raw, { keepDeliveryStatus: true });
      expect(parsed.from?.value[0]?.address).toBe('MAILER-DAEMON@mx.forwarder.example');
      expect(parsed.messageId).toMatch(/@mx\.forwarder\.example>$/);
      const fields = (parsed.attachments.find((part) => part.contentType === 'message/delivery-status')?.content.toString('utf8') ?? '').replace(/\r\n/g, '\n');
      expect(fields).toMatch(/^Reporting-MTA: dns; mx\.forwarder\.example$/m);
      expect(fields).toMatch(/^Final-Recipient: rfc822; bob@example\.net$/m);
    }
    // The report to example.org left from the forwarder's lab IP, not through the sandbox.
    const travelled = delivered.find((mail) => mail.mailbox === 'carol@example.org')!;
    expect(readReceivedTrail(headerOf(travelled.raw)).hops.map((hop) => hop.stamp.fromAddress)).toEqual(['203.0.113.50']);
  });

  it('holds at most maxWaiting rows and says so for the next', async () => {
    const down = defaultHostSettings().map((host) => (host.name === 'mx.example.net' ? { ...host, down: true } : host));
    const { relay } = relayIn({ switches: down, maxWaiting: 2 });
    const ids = [1, 2, 3].map((n) => relay.submit(accepted('alice@example.com', ['bob@example.net'], `m${n}`))!);
    await until(() => ids.slice(0, 2).every((id) => relay.journey(id)?.outbound[0]?.state === 'queued' && relay.journey(id)!.hops.length > 1));
    expect(relay.waiting()).toHaveLength(2);
    expect(relay.journey(ids[2]!)?.outbound[0]).toMatchObject({ state: 'bounced', lastReply: expect.stringContaining('already holds 2 waiting messages'), dsn: 'none' });
    relay.stop();
  });

  it("honours the learner's host switches: a rate limit defers with the personality's 421 4.7.0, an allow-list refuses at RCPT", async () => {
    const net = (change: Partial<HostSwitches>) => defaultHostSettings().map((host) => (host.name === 'mx.example.net' ? { ...host, ...change } : host));
    const limited = relayIn({ switches: net({ rateLimitPerLabMinute: 1 }) });
    limited.relay.submit(accepted('alice@example.com', ['bob@example.net'], 'first'));
    await until(() => limited.delivered.length === 1);
    const second = limited.relay.submit(accepted('alice@example.com', ['bob@example.net'], 'second'))!;
    await until(() => limited.relay.journey(second)?.outbound[0]?.state === 'queued' && limited.relay.journey(second)!.hops.length > 1);
    expect(limited.relay.journey(second)?.hops[1]).toMatchObject({ outcome: 'temporary', reply: '421 4.7.0 mx.example.net Error: too many connections from 192.0.2.10' });
    limited.clock.advance(FIRST_RETRY_MS);
    await until(() => limited.delivered.length === 2);

    const allowListed = relayIn({ switches: net({ allowList: ['203.0.113.50'] }) });
    const refused = allowListed.relay.submit(accepted('alice@example.com', ['bob@example.net']))!;
    await until(() => allowListed.delivered.length === 1);
    expect(allowListed.relay.journey(refused)?.outbound[0]).toMatchObject({ state: 'bounced', lastReply: '554 5.7.1 <unknown[192.0.2.10]>: Client host rejected: Access denied', dsn: 'sent' });
    expect(allowListed.delivered[0]!.mailbox).toBe('alice@example.com');
  });
});
