/** The two forwarding kinds on one path: a .forward keeps everything, a mailing list rewrites MAIL FROM and adds a footer. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { forwardedMail, forwardingHost, forwards, listMailboxes } from '../../../protocol/world/lab-forwarding.ts';

const hostNamed = (name: string) => {
  const host = DEFAULT_HOSTS.find((candidate) => candidate.name === name);
  const forwarding = host === undefined ? null : forwardingHost(host);
  if (forwarding === null) throw new Error(`${name} is no forwarder`);
  return forwarding;
};
const list = hostNamed('mx.lists.example');
const forwarder = hostNamed('mx.forwarder.example');
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (raw: Uint8Array) => new TextDecoder().decode(raw);

describe('lab forwarding', () => {
  it('a .forward sends each recipient on to the same local part, envelope sender and bytes untouched', () => {
    const raw = bytes('Subject: x\r\n\r\nbody\r\n');
    const mail = forwardedMail(forwarder, 'alice@example.com', ['carol@forwarder.example'], raw);
    expect(mail).toEqual({ mailFrom: 'alice@example.com', recipients: ['carol@example.net'], raw });
  });

  it('a list sends to its members from its bounce address, with List-Id on top and the footer after the body', () => {
    const mail = forwardedMail(list, 'alice@example.com', ['team@lists.example'], bytes('From: <alice@example.com>\r\nSubject: hi\r\n\r\nHello.\r\n'));
    expect([mail.recipients, mail.mailFrom]).toEqual([['bob@example.net'], 'team-bounces@lists.example']);
    expect(text(mail.raw).startsWith('List-Id: <team.lists.example>\r\nFrom: <alice@example.com>\r\n')).toBe(true);
    expect(text(mail.raw).endsWith('Hello.\r\n_______________________________________________\r\nteam mailing list -- team@lists.example\r\nTo unsubscribe send an email to team-leave@lists.example\r\n')).toBe(true);
  });

  it('a list ends an unterminated last line before its footer, and keeps the null sender of a bounce', () => {
    const mail = forwardedMail(list, '', ['team@lists.example'], bytes('Subject: x\r\n\r\nno newline'));
    expect(mail.mailFrom).toBe('');
    expect(text(mail.raw)).toContain('no newline\r\n____');
  });

  it('a list passes on only mail to the list address; its bounce address is a mailbox', () => {
    expect(forwards(list, 'TEAM@lists.example')).toBe(true);
    expect(forwards(list, 'team-bounces@lists.example')).toBe(false);
    expect(forwards(forwarder, 'anyone@forwarder.example')).toBe(true);
    expect(listMailboxes(list)).toEqual(['team', 'team-bounces']);
    expect(listMailboxes(forwarder)).toBeNull();
  });
});
