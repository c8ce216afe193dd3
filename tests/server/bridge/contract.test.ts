import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Reply } from '../../../protocol/replies/types.ts';
import { createSessionActor, summarizeSession, type SessionEvent } from '../../../protocol/session/index.ts';
import {
  parseClientMessage,
  parseServerMessage,
  WIRE_PROTOCOL_VERSION,
  type ServerMessage,
  type WireMessageSummary,
  type WireSessionEvent,
} from '../../../protocol/wire/contract.ts';
import type { MessageSummary } from '../../../server/storage/message-types.ts';

describe('parseClientMessage', () => {
  it.each([
    [{ type: 'hello', version: WIRE_PROTOCOL_VERSION }],
    [{ type: 'session.open', target: 'sandbox' }],
    [{ type: 'session.send', text: 'EHLO a\r\nMAIL FROM:<>\r\n' }],
    [{ type: 'session.close' }],
    [{ type: 'ping' }],
  ])('accepts %j', (message) => {
    expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it.each([
    ['', 'The message is not valid JSON (Unexpected end of JSON input).'],
    ['"hello"', 'A message must be a JSON object with a "type" field, not a string.'],
    ['null', 'A message must be a JSON object with a "type" field, not null.'],
    ['{"type": 3}', 'The "type" field is missing or not a string; expected one of: hello, session.open, session.send, session.close, ping, watch, unwatch.'],
    ['{"type": "welcome"}', 'Unknown message type "welcome"; expected one of: hello, session.open, session.send, session.close, ping, watch, unwatch.'],
    ['{"type": "toString"}', 'Unknown message type "toString"; expected one of: hello, session.open, session.send, session.close, ping, watch, unwatch.'],
    ['{"type": "hello", "version": "1"}', '"hello" message: field "version" expected number, received string.'],
    ['{"type": "hello", "version": 1.5}', '"hello" message: field "version" expected int, received number.'],
    ['{"type": "session.open"}', '"session.open" message: field "target" expected string, received undefined.'],
    ['{"type": "session.close", "now": true}', '"session.close" message: Unrecognized key: "now".'],
  ])('refuses %s with a clear reason', (raw, error) => {
    const code = raw === '' ? 'invalid_json' : 'invalid_message';
    expect(parseClientMessage(raw)).toEqual({ ok: false, code, error });
  });
});

describe('parseServerMessage', () => {
  const reply: Reply = { code: 250, lines: ['250 2.0.0 Ok'], texts: ['Ok'], enhanced: { statusClass: 2, subject: 0, detail: 0, text: '2.0.0' } };

  it('accepts every wire event the bridge sends', () => {
    const events: WireSessionEvent[] = [
      { type: 'socket.opened', server: '127.0.0.1:2525' },
      { type: 'client.line', text: 'NOOP', raw: 'NOOP\r\n' },
      { type: 'server.reply', reply, raw: '250 2.0.0 Ok\r\n' },
      { type: 'server.unreadable', raw: 'hello\r\n', reason: 'no code' },
      { type: 'tls.established', tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', peerCertificate: 'localhost', simulated: false } },
      { type: 'tls.failed', reason: 'self-signed' },
      { type: 'socket.closed', reason: null },
    ];
    for (const event of events) {
      const message: ServerMessage = { type: 'session.event', sessionId: 's1', event };
      expect(parseServerMessage(JSON.stringify(message))).toEqual({ ok: true, message });
    }
  });

  it('refuses a reply without its lines, naming the path', () => {
    const raw = JSON.stringify({ type: 'session.event', sessionId: 's1', event: { type: 'server.reply', reply: { code: 250 }, raw: '' } });
    const result = parseServerMessage(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('field "event.reply.lines" expected array, received undefined');
  });

  it('refuses an unknown error code', () => {
    const result = parseServerMessage('{"type":"error","code":"oops","message":"x"}');
    expect(!result.ok && result.error).toMatch(/^"error" message: field "code" /);
  });

  it('takes the storage message summary as it is', () => {
    expectTypeOf<MessageSummary>().toExtend<WireMessageSummary>();
  });
});
