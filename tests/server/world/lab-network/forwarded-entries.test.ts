/** A forwarder's mail as outbound rows: from the forwarder, linked to the row that brought it, the bytes as the shared decision made them. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { forwardingHost } from '../../../../protocol/world/lab-forwarding.ts';
import { forwardedEntries, type ForwardInput } from '../../../../server/world/lab-network/forwarded-entries.ts';

const forwarderNamed = (name: string) => {
  const host = DEFAULT_HOSTS.find((candidate) => candidate.name === name);
  const forwarding = host === undefined ? null : forwardingHost(host);
  if (forwarding === null) throw new Error(`${name} is no forwarder`);
  return forwarding;
};

function input(overrides: Partial<ForwardInput>): ForwardInput {
  return {
    host: forwarderNamed('mx.lists.example'),
    namespace: 'ns',
    queueId: 'Q1',
    mailFrom: 'alice@example.com',
    rcptTo: ['team@lists.example'],
    raw: Buffer.from('From: <alice@example.com>\r\nSubject: hi\r\n\r\nHello.\r\n'),
    clientHelo: 'mail.example.com',
    clientAddress: '192.0.2.10',
    outboundId: 7,
    labTime: 1000,
    ...overrides,
  };
}

describe('forwardedEntries', () => {
  it('a .forward row leaves from the forwarder with the envelope sender and the exact bytes', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const [entry] = forwardedEntries(input({ host: forwarderNamed('mx.forwarder.example'), rcptTo: ['carol@forwarder.example'], raw }));
    expect(entry).toMatchObject({ namespace: 'ns', recipient: 'carol@example.net', mailFrom: 'alice@example.com', receivedAt: 1000, sendingHost: { name: 'mx.forwarder.example', ip: '203.0.113.50', forwardedFrom: 7 } });
    expect(Buffer.isBuffer(entry?.raw) && entry.raw.equals(raw)).toBe(true);
  });

  it('a list row goes to each member from the bounce address, as a Buffer with the footer', () => {
    const entries = forwardedEntries(input({}));
    expect(entries.map((entry) => [entry.recipient, entry.mailFrom, entry.sendingHost?.ip])).toEqual([['bob@example.net', 'team-bounces@lists.example', '198.51.100.60']]);
    expect(Buffer.isBuffer(entries[0]?.raw)).toBe(true);
    expect(entries[0]?.raw.toString('utf8')).toMatch(/^List-Id: <team\.lists\.example>\r\n[\s\S]*team-leave@lists\.example\r\n$/);
  });
});
