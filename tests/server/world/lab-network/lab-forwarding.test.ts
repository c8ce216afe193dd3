/** The two forwarding kinds on one path: a .forward keeps everything, a mailing list rewrites MAIL FROM and adds a footer. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../../protocol/world/default-world.ts';
import { forwardedEntries, forwardingHost, forwards, listMailboxes, type ForwardInput } from '../../../../server/world/lab-network/lab-forwarding.ts';

const hostNamed = (name: string) => {
  const host = DEFAULT_HOSTS.find((candidate) => candidate.name === name);
  const forwarding = host === undefined ? null : forwardingHost(host);
  if (forwarding === null) throw new Error(`${name} is no forwarder`);
  return forwarding;
};
const list = hostNamed('mx.lists.example');
const forwarder = hostNamed('mx.forwarder.example');

function input(overrides: Partial<ForwardInput>): ForwardInput {
  return {
    host: list,
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

describe('lab forwarding', () => {
  it('a .forward sends each recipient on to the same local part, envelope sender and bytes untouched', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const [entry] = forwardedEntries(input({ host: forwarder, rcptTo: ['carol@forwarder.example'], raw }));
    expect(entry).toMatchObject({ recipient: 'carol@example.net', mailFrom: 'alice@example.com', sendingHost: { name: 'mx.forwarder.example', ip: '203.0.113.50', forwardedFrom: 7 } });
    expect(entry?.raw.equals(raw)).toBe(true);
  });

  it('a list sends to its members from its bounce address, with List-Id on top and the footer after the body', () => {
    const entries = forwardedEntries(input({}));
    expect(entries.map((entry) => [entry.recipient, entry.mailFrom])).toEqual([['bob@example.net', 'team-bounces@lists.example']]);
    const text = entries[0]!.raw.toString('utf8');
    expect(text.startsWith('List-Id: <team.lists.example>\r\nFrom: <alice@example.com>\r\n')).toBe(true);
    expect(text.endsWith('Hello.\r\n_______________________________________________\r\nteam mailing list -- team@lists.example\r\nTo unsubscribe send an email to team-leave@lists.example\r\n')).toBe(true);
  });

  it('a list ends an unterminated last line before its footer, and keeps the null sender of a bounce', () => {
    const [entry] = forwardedEntries(input({ mailFrom: '', raw: Buffer.from('Subject: x\r\n\r\nno newline') }));
    expect(entry?.mailFrom).toBe('');
    expect(entry?.raw.toString('utf8')).toContain('no newline\r\n____');
  });

  it('a list passes on only mail to the list address; its bounce address is a mailbox', () => {
    expect(forwards(list, 'TEAM@lists.example')).toBe(true);
    expect(forwards(list, 'team-bounces@lists.example')).toBe(false);
    expect(forwards(forwarder, 'anyone@forwarder.example')).toBe(true);
    expect(listMailboxes(list)).toEqual(['team', 'team-bounces']);
    expect(listMailboxes(forwarder)).toBeNull();
  });
});
