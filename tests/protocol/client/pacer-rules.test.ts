import { describe, expect, it } from 'vitest';
import { mustWait, nextGroupSize, offersPipelining, splitTypedLines } from '../../../protocol/client/pacer.ts';
import { createSessionActor } from '../../../protocol/session/index.ts';
import { modelAfter, snapshotAfter } from '../session/snapshots.ts';

describe('splitTypedLines', () => {
  it('splits on CRLF, LF and CR and drops one trailing line end', () => {
    expect(splitTypedLines('EHLO a\r\nMAIL FROM:<a@b.c>\nRCPT TO:<d@e.f>\r')).toEqual(['EHLO a', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>']);
    expect(splitTypedLines('')).toEqual(['']);
    expect(splitTypedLines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });
});

describe('nextGroupSize', () => {
  const queue = ['MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RCPT TO:<c@example.org>', 'DATA', 'Subject: hi', '', 'body', '.', 'QUIT'];

  it('waits for the greeting before anything is sent', () => {
    const model = createSessionActor();
    model.send({ type: 'socket.opened', server: 'simulator' });
    expect(mustWait(model.getSnapshot())).toBe(true);
    expect(nextGroupSize(queue, model.getSnapshot(), true)).toBe(0);
    expect(nextGroupSize(queue, snapshotAfter(), false)).toBe(1);
  });

  it('sends one command at a time without PIPELINING', () => {
    expect(nextGroupSize(queue, snapshotAfter('EHLO client.example.com'), false)).toBe(1);
  });

  it('groups commands up to DATA when the server offers PIPELINING (RFC 2920)', () => {
    const snapshot = snapshotAfter('EHLO client.example.com');
    expect(offersPipelining(snapshot)).toBe(true);
    expect(nextGroupSize(queue, snapshot, true)).toBe(4);
  });

  // RFC 2920 §3.1's list, plus AUTH (RFC 4954), STARTTLS (RFC 3207), BDAT (RFC 3030) and HELO.
  it.each(['EHLO b.example', 'HELO b.example', 'DATA', 'VRFY alice', 'EXPN staff', 'TURN', 'QUIT', 'NOOP', 'AUTH PLAIN', 'STARTTLS', 'BDAT 4 LAST'])(
    '%s may only end a pipelined group',
    (ender) => {
      const snapshot = snapshotAfter('EHLO client.example.com');
      expect(nextGroupSize(['RSET', ender, 'RSET'], snapshot, true)).toBe(2);
    },
  );

  it('RSET, MAIL and RCPT do not end a group', () => {
    expect(nextGroupSize(['RSET', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'RSET'], snapshotAfter('EHLO client.example.com'), true)).toBe(4);
  });

  it('sends the whole message up to the final dot in one write in data mode', () => {
    const snapshot = snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA');
    expect(nextGroupSize(['Subject: hi', '', '..dot', '.', 'QUIT'], snapshot, false)).toBe(4);
  });

  it('waits while a command is unanswered', () => {
    const model = modelAfter('EHLO client.example.com');
    expect(mustWait(model.getSnapshot())).toBe(false);
    model.send({ type: 'client.line', text: 'MAIL FROM:<a@example.com>' });
    expect(mustWait(model.getSnapshot())).toBe(true);
    expect(nextGroupSize(['RCPT TO:<b@example.org>'], model.getSnapshot(), true)).toBe(0);
  });

  it('returns 0 once the connection is closed', () => {
    expect(nextGroupSize(['NOOP'], snapshotAfter('QUIT'), true)).toBe(0);
  });
});
