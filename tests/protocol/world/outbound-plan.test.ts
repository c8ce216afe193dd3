/** Which recipients the sandbox keeps, delivers locally, queues, or reports as outside the lab. */
import { describe, expect, it } from 'vitest';
import { defaultWorld, SIGNING_DOMAINS } from '../../../protocol/world/default-world.ts';
import { needsRelay, planOutbound } from '../../../protocol/world/outbound-plan.ts';

const zone = defaultWorld({ dkimPublicKeys: Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, 'AAAA'])) as Record<(typeof SIGNING_DOMAINS)[number], string> }).records;
const plan = (mailFrom: string, rcptTo: string[]) => planOutbound({ namespace: 'n1', mailFrom, rcptTo, zone, ownDomains: ['example.com'], receivedAt: 1000 });

describe('planOutbound', () => {
  it('delivers example.com lab mailboxes locally and queues other lab domains, one row per recipient', () => {
    expect(plan('alice@example.com', ['Bob@Example.com', 'carol@example.net', 'alice@example.org', 'x@null-mx.example'])).toEqual({
      namespace: 'n1',
      receivedAt: 1000,
      localMailboxes: ['bob@example.com'],
      queue: [{ recipient: 'carol@example.net' }, { recipient: 'alice@example.org' }, { recipient: 'x@null-mx.example' }],
    });
  });

  it('records a domain outside the lab as not relayed, with a DSN only for a lab sender', () => {
    const reply = '550 5.1.2 <ann@gmail.com>: gmail.com: no such domain in the lab';
    expect(plan('alice@example.com', ['ann@gmail.com'])?.queue).toEqual([{ recipient: 'ann@gmail.com', notInLab: { reply, dsn: true } }]);
    expect(plan('stranger@gmail.com', ['ann@gmail.com'])?.queue).toEqual([{ recipient: 'ann@gmail.com', notInLab: { reply, dsn: false } }]);
    expect(plan('', ['ann@gmail.com'])?.queue).toEqual([{ recipient: 'ann@gmail.com', notInLab: { reply, dsn: false } }]);
  });

  it('wakes the relay worker only for a row to relay or a DSN to send', () => {
    const wakes = (mailFrom: string, rcptTo: string[]) => needsRelay(plan(mailFrom, rcptTo)!);
    expect(wakes('alice@example.com', ['bob@example.net'])).toBe(true);
    expect(wakes('alice@example.com', ['ann@gmail.com'])).toBe(true);
    expect(wakes('stranger@gmail.com', ['ann@gmail.com'])).toBe(false);
    expect(wakes('alice@example.com', ['bob@example.com'])).toBe(false);
  });

  it('plans nothing for an example.com address that is not a lab mailbox (the capture alone keeps it)', () => {
    expect(plan('alice@example.com', ['dave@example.com'])).toBeNull();
  });
});
