import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOURS, type ServerBehaviours } from '../../../protocol/sandbox-config.ts';
import {
  GreylistMemory,
  isLocalRecipient,
  matchesMailboxPattern,
  recipientRefusal,
  tooManyCommandsReply,
} from '../../../protocol/simulator/server-behaviours.ts';

const STRICT: ServerBehaviours = { ...DEFAULT_BEHAVIOURS, refuseRelay: true, greylist: true };

function refusalCode(behaviours: ServerBehaviours, recipient: string, authenticated = false, greylist = new GreylistMemory()) {
  return recipientRefusal(behaviours, { sender: 'a@example.com', recipient, authenticated }, greylist)?.code ?? null;
}

describe('matchesMailboxPattern', () => {
  it('reads * as any run of characters, in any case, and everything else literally', () => {
    expect(matchesMailboxPattern('nobody@example.org', 'nobody@*')).toBe(true);
    expect(matchesMailboxPattern('NoBody@Example.ORG', 'nobody@*')).toBe(true);
    expect(matchesMailboxPattern('somebody@example.org', 'nobody@*')).toBe(false);
    expect(matchesMailboxPattern('x@host.invalid', '*@*.invalid')).toBe(true);
    expect(matchesMailboxPattern('x@host.invalid.org', '*@*.invalid')).toBe(false);
    expect(matchesMailboxPattern('a+b?@x', 'a+b?@*')).toBe(true);
    expect(matchesMailboxPattern('aab@x', 'a+b?@*')).toBe(false);
    expect(matchesMailboxPattern('testXone@x', 'test.*@*')).toBe(false);
  });
});

describe('isLocalRecipient', () => {
  it('compares whole domain names in any case; the domainless postmaster is local', () => {
    expect(isLocalRecipient('b@Example.ORG', ['example.org'])).toBe(true);
    expect(isLocalRecipient('b@sub.example.org', ['example.org'])).toBe(false);
    expect(isLocalRecipient('b@gmail.com', ['example.org'])).toBe(false);
    expect(isLocalRecipient('postmaster', [])).toBe(true);
    expect(isLocalRecipient('"a@b"@example.org', ['example.org'])).toBe(true);
  });
});

describe('GreylistMemory', () => {
  it('remembers sender and recipient pairs, in any case', () => {
    const memory = new GreylistMemory();
    expect(memory.seenBefore('a@example.com', 'b@example.org')).toBe(false);
    expect(memory.seenBefore('A@EXAMPLE.COM', 'B@example.org')).toBe(true);
    expect(memory.seenBefore('', 'b@example.org')).toBe(false);
    expect(memory.seenBefore('a@example.com', 'c@example.org')).toBe(false);
  });
});

describe('recipientRefusal', () => {
  it('accepts everything with the switches off, except the unknown mailboxes', () => {
    expect(refusalCode(DEFAULT_BEHAVIOURS, 'friend@gmail.com')).toBe(null);
    expect(refusalCode(DEFAULT_BEHAVIOURS, 'nobody@example.org')).toBe(550);
    expect(refusalCode({ ...DEFAULT_BEHAVIOURS, unknownMailboxes: [] }, 'nobody@example.org')).toBe(null);
  });

  it('checks relay, then unknown mailboxes, then greylisting', () => {
    const greylist = new GreylistMemory();
    expect(refusalCode(STRICT, 'nobody@gmail.com', false, greylist)).toBe(530);
    expect(refusalCode(STRICT, 'nobody@example.org', false, greylist)).toBe(550);
    expect(refusalCode(STRICT, 'b@example.org', false, greylist)).toBe(451);
    expect(refusalCode(STRICT, 'b@example.org', false, greylist)).toBe(null);
  });

  it('lets authenticated clients relay and skips greylisting for them, not the mailbox check', () => {
    const greylist = new GreylistMemory();
    expect(refusalCode(STRICT, 'friend@gmail.com', true, greylist)).toBe(null);
    expect(refusalCode(STRICT, 'b@example.org', true, greylist)).toBe(null);
    expect(refusalCode(STRICT, 'nobody@gmail.com', true, greylist)).toBe(550);
    // Accepting an authenticated client did not record the pair.
    expect(refusalCode(STRICT, 'b@example.org', false, greylist)).toBe(451);
  });

  it('names the recipient in every refusal', () => {
    const greylist = new GreylistMemory();
    const check = (recipient: string) => recipientRefusal(STRICT, { sender: '', recipient, authenticated: false }, greylist);
    expect(check('friend@gmail.com')).toEqual({
      code: 530,
      text: '<friend@gmail.com>: Relay access denied: without AUTH this server only takes mail for its own domains',
    });
    expect(check('nobody@example.org')).toEqual({ code: 550, text: '<nobody@example.org>: Recipient address rejected: mailbox does not exist' });
    expect(check('b@example.org')).toEqual({
      code: 451,
      text: '<b@example.org>: Greylisted, try again later (a temporary refusal: real servers want you to wait minutes)',
    });
  });
});

describe('tooManyCommandsReply', () => {
  it('is a 421 naming the server', () => {
    expect(tooManyCommandsReply('mx.example')).toEqual({ code: 421, text: 'mx.example Error: too many commands in this session, closing connection' });
  });
});
