import { describe, expect, it } from 'vitest';
import { completionsFor, usedAddresses } from '../../../web/src/console/completions.ts';
import { snapshotAfter } from '../../protocol/session/snapshots.ts';
import { startConversation } from '../visualizer/conversation.ts';

const labels = (result: { items: readonly { label: string }[] }): string[] => result.items.map((item) => item.label);

describe('completionsFor', () => {
  it('offers only the commands a server would accept now', () => {
    const greeted = labels(completionsFor('', 0, 'command', snapshotAfter(), []));
    expect(greeted).toContain('EHLO');
    expect(greeted).toContain('QUIT');
    expect(greeted).not.toContain('MAIL');
    expect(greeted).not.toContain('DATA');

    const identified = labels(completionsFor('', 0, 'command', snapshotAfter('EHLO client.example.com'), []));
    expect(identified).toContain('MAIL');
    expect(identified).toContain('AUTH');
    expect(identified).toContain('STARTTLS');
    expect(identified).not.toContain('RCPT');
    expect(identified).not.toContain('BDAT');

    const withSender = labels(completionsFor('R', 1, 'command', snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>'), []));
    expect(withSender).toContain('RCPT');
    expect(withSender).not.toContain('MAIL');
    expect(withSender).not.toContain('DATA');
  });

  it('inserts commands as snippets and replaces the word typed so far', () => {
    const result = completionsFor('MA', 2, 'command', snapshotAfter('EHLO client.example.com'), []);
    expect(result.start).toBe(0);
    expect(result.end).toBe(2);
    const mail = result.items.find((item) => item.label === 'MAIL');
    expect(mail).toMatchObject({ insertText: 'MAIL FROM:<${1:you@example.com}>', snippet: true, kind: 'command', detail: 'RFC 5321 §4.1.1.2' });
  });

  it("suggests a recipient the session's server accepts: the lab Postfix serves lab.test, not example.org", () => {
    const rcptSnippet = (personality: 'smtp-server' | 'postfix'): string | undefined => {
      const conversation = startConversation(personality);
      conversation.send('EHLO client.example.com', 'MAIL FROM:<a@example.com>');
      return completionsFor('R', 1, 'command', conversation.session.getSnapshot(), []).items.find((item) => item.label === 'RCPT')?.insertText;
    };
    expect(rcptSnippet('smtp-server')).toBe('RCPT TO:<${1:friend@example.org}>');
    expect(rcptSnippet('postfix')).toBe('RCPT TO:<${1:alice@lab.test}>');
    const postfix = startConversation('postfix');
    postfix.send('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>');
    expect(postfix.transcript.at(-1)?.reply?.code).toBe(250);
  });

  it('offers no AUTH or STARTTLS on a server that did not advertise them (the lab Postfix)', () => {
    const postfix = startConversation('postfix');
    postfix.send('EHLO client.example.com');
    const offered = labels(completionsFor('', 0, 'command', postfix.session.getSnapshot(), []));
    expect(offered).toContain('MAIL');
    expect(offered).not.toContain('AUTH');
    expect(offered).not.toContain('STARTTLS');
  });

  it('offers the parameters the server advertised in EHLO', () => {
    const snapshot = snapshotAfter('EHLO client.example.com');
    const line = 'MAIL FROM:<a@example.com> ';
    const result = completionsFor(line, line.length, 'command', snapshot, []);
    expect(labels(result)).toEqual(['SIZE=', 'BODY=8BITMIME', 'SMTPUTF8', 'AUTH=<>']);
    expect(result.items[0]?.documentation).toContain("The server's limit: 10485760 bytes.");
    const after = 'MAIL FROM:<a@example.com> SIZE=100 ';
    expect(labels(completionsFor(after, after.length, 'command', snapshot, []))).not.toContain('SIZE=');
  });

  it('offers the advertised AUTH mechanisms', () => {
    const result = completionsFor('AUTH ', 5, 'command', snapshotAfter('EHLO client.example.com'), []);
    expect(labels(result)).toEqual(['PLAIN', 'LOGIN']);
  });

  it('offers addresses used before inside the angle brackets', () => {
    const snapshot = snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>');
    const line = 'RCPT TO:<b';
    const result = completionsFor(line, line.length, 'command', snapshot, ['a@example.com', 'bob@example.org']);
    expect(labels(result)).toEqual(['a@example.com', 'bob@example.org']);
    expect(result.start).toBe(9);
  });

  it('offers header names at the start of the message, nothing in an AUTH answer', () => {
    const data = snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA');
    expect(labels(completionsFor('Su', 2, 'data', data, []))).toContain('Subject:');
    expect(completionsFor('', 0, 'auth-response', data, []).items).toEqual([]);
  });
});

describe('usedAddresses', () => {
  it('collects envelope addresses once each', () => {
    expect(usedAddresses(['EHLO x', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'rcpt to:<a@example.com>', 'MAIL FROM:<>'])).toEqual([
      'a@example.com',
      'b@example.org',
    ]);
  });
});
