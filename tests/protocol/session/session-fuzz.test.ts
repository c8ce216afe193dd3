import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../protocol/session/events.ts';
import { createSessionActor, predictOutcome, summarizeSession } from '../../../protocol/session/index.ts';
import { parseCommand } from '../../../protocol/commands/index.ts';

const clientLine = fc.oneof(
  fc.constantFrom(
    'EHLO a.example', 'HELO a.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA', '.', '..x',
    'RSET', 'NOOP', 'QUIT', 'AUTH PLAIN', 'AUTH LOGIN', '*', 'AGFsaWNlAHdvbmRlcmxhbmQ=', 'STARTTLS', 'BDAT 10 LAST', 'BDAT 5',
    '', 'VRFY bob',
  ),
  fc.string({ maxLength: 40 }),
);

const garbageReply = fc.record({
  code: fc.oneof(fc.constantFrom(220, 221, 235, 250, 334, 354, 421, 450, 500, 501, 503, 550, 554), fc.integer({ min: -5, max: 1200 }), fc.constant(Number.NaN)),
  texts: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
});

const event: fc.Arbitrary<SessionEvent> = fc.oneof(
  { weight: 5, arbitrary: clientLine.map((text) => ({ type: 'client.line' as const, text })) },
  {
    weight: 5,
    arbitrary: garbageReply.map(({ code, texts }) => ({
      type: 'server.reply' as const,
      reply: { code, texts, lines: texts.map((text) => `${code} ${text}`), enhanced: null },
    })),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'socket.opened' as const, server: 'x' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'tls.established' as const, tls: { protocol: 'TLSv1.3', cipher: 'X', simulated: true } }) },
  { weight: 1, arbitrary: fc.constant({ type: 'tls.failed' as const, reason: 'bad' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'socket.closed' as const, reason: null }) },
);

describe('session model: any input', () => {
  it('never throws, and keeps one transcript entry per line, reply and connection event', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const session = createSessionActor();
        for (const item of events) session.send(item);
        const snapshot = session.getSnapshot();
        expect(snapshot.status).toBe('active');
        expect(session.transcript).toHaveLength(events.length);
        expect(snapshot.context.transcriptLength).toBe(events.length);
        expect(session.transcript.map((entry) => entry.index)).toEqual(events.map((_, index) => index));
        summarizeSession(snapshot);
        predictOutcome(snapshot, parseCommand('MAIL FROM:<a@example.com>'));
      }),
      { numRuns: 400 },
    );
  });
});
