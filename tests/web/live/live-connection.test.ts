import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import { openLiveConnection } from '../../../web/src/live/live-connection.ts';
import type { ConnectionHooks, ConnectionState, MailboxUpdate } from '../../../web/src/session/connection.ts';
import { FakeWebSocket, WELCOME } from './fake-websocket.ts';

interface Recorded {
  events: ReplayEvent[];
  statuses: ConnectionState[];
  mailbox: MailboxUpdate[];
  notices: string[];
  targets: unknown[];
}

function recordingHooks(): { hooks: ConnectionHooks; seen: Recorded } {
  const seen: Recorded = { events: [], statuses: [], mailbox: [], notices: [], targets: [] };
  return {
    seen,
    hooks: {
      event: (event) => seen.events.push(event),
      status: (state) => seen.statuses.push(state),
      mailbox: (update) => seen.mailbox.push(update),
      targets: (targets) => seen.targets.push(targets),
      notice: (text) => seen.notices.push(text),
    },
  };
}

const summary = {
  id: 7,
  queueId: 'ABC123',
  mailFrom: 'a@example.com',
  rcptTo: ['b@example.org'],
  from: 'A <a@example.com>',
  to: 'b@example.org',
  subject: 'Hi',
  date: null,
  receivedAt: '2025-01-01T10:00:00.000Z',
  size: 120,
  hasHtml: true,
  attachmentCount: 0,
};

let fetchImpl: ReturnType<typeof vi.fn>;
beforeEach(() => {
  FakeWebSocket.instances = [];
  fetchImpl = vi.fn(async (_url: string) => new Response(JSON.stringify({ messages: [summary], total: 1 }), { status: 200 }));
});
afterEach(() => vi.useRealTimers());

function open(target: string | null = null) {
  const { hooks, seen } = recordingHooks();
  const connection = openLiveConnection(hooks, {
    target,
    url: 'ws://lab.test/ws',
    fetchImpl: fetchImpl as unknown as typeof fetch,
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
    backoffMs: [100, 200],
  });
  return { connection, seen, socket: FakeWebSocket.latest() };
}

/** A connection past the bridge's welcome, with session s1 open on the sandbox. */
function openSession() {
  const opened = open();
  opened.socket.accept();
  opened.socket.deliver(WELCOME);
  opened.socket.deliver({ type: 'session.opened', sessionId: 's1', target: 'sandbox', label: 'Sandbox' });
  return opened;
}

describe('openLiveConnection', () => {
  it('says hello, opens a session on the chosen target and loads the mailbox', async () => {
    const { seen, socket } = open('other');
    expect(seen.statuses.at(-1)?.status).toBe('connecting');
    socket.accept();
    expect(socket.sent).toEqual([{ type: 'hello', version: 1 }]);
    socket.deliver(WELCOME);
    expect(socket.sent.at(-1)).toEqual({ type: 'session.open', target: 'other' });
    expect(seen.targets).toEqual([WELCOME.targets]);
    socket.deliver({ type: 'session.opened', sessionId: 's1', target: 'other', label: 'Other server' });
    expect(seen.statuses.at(-1)).toEqual({ status: 'open', message: 'Connected to Other server: a real SMTP server.' });
    await vi.waitFor(() => expect(seen.mailbox).toHaveLength(1));
    // The server's summaries carry the list fields: no raw message is fetched to read them again.
    expect(fetchImpl.mock.calls.map(([url]) => url)).toEqual(['/api/messages?limit=100']);
    const [update] = seen.mailbox;
    expect(update).toEqual({
      kind: 'replace',
      messages: [
        {
          id: '7',
          source: 'live',
          receivedAt: summary.receivedAt,
          mailFrom: 'a@example.com',
          rcptTo: ['b@example.org'],
          queueId: 'ABC123',
          size: 120,
          raw: null,
          rawUrl: '/api/messages/7/raw',
          htmlUrl: '/api/messages/7/html',
          messageUrl: '/api/messages/7',
          headline: { from: 'A <a@example.com>', to: 'b@example.org', subject: 'Hi', date: null, bareCr: false, parsed: true },
        },
      ],
      total: 1,
    });
  });

  it('passes the session events on without their raw bytes and ignores other sessions', () => {
    const { connection, seen, socket } = open();
    socket.accept();
    socket.deliver(WELCOME);
    expect(socket.sent.at(-1)).toEqual({ type: 'session.open', target: 'sandbox' });
    socket.deliver({ type: 'session.opened', sessionId: 's1', target: 'sandbox', label: 'Sandbox' });
    socket.deliver({ type: 'session.event', sessionId: 's1', event: { type: 'socket.opened', server: '127.0.0.1:2525' } });
    socket.deliver({ type: 'session.event', sessionId: 'old', event: { type: 'socket.opened', server: 'elsewhere' } });
    const reply = { code: 220, lines: ['220 hi'], texts: ['hi'], enhanced: null };
    socket.deliver({ type: 'session.event', sessionId: 's1', event: { type: 'server.reply', reply, raw: '220 hi\r\n' } });
    expect(connection.send('EHLO me\r\n')).toBe(true);
    expect(socket.sent.at(-1)).toEqual({ type: 'session.send', text: 'EHLO me\r\n' });
    socket.deliver({ type: 'session.event', sessionId: 's1', event: { type: 'client.line', text: 'EHLO me', raw: 'EHLO me\r\n' } });
    socket.deliver({ type: 'session.event', sessionId: 's1', event: { type: 'server.unreadable', raw: 'garbage\r\n', reason: 'not a reply' } });
    expect(seen.events).toEqual([
      { type: 'socket.opened', server: '127.0.0.1:2525' },
      { type: 'server.reply', reply },
      { type: 'client.line', text: 'EHLO me' },
      { type: 'server.unreadable', line: 'garbage', message: 'not a reply' },
    ]);
  });

  it('adds pushed messages to the mailbox and reports errors as notices', () => {
    const { seen, socket } = open();
    socket.accept();
    socket.deliver(WELCOME);
    socket.deliver({ type: 'message.captured', summary: { ...summary, id: 8, hasHtml: false } });
    expect(seen.mailbox).toContainEqual(expect.objectContaining({ kind: 'add', message: expect.objectContaining({ id: '8', htmlUrl: null }) }));
    socket.deliver({ type: 'error', code: 'rate_limited', message: 'Slow down: this text was not sent.' });
    expect(seen.notices).toContain('Slow down: this text was not sent.');
  });

  it('does not send before the session is open, and says why', () => {
    const { connection, seen, socket } = open();
    socket.accept();
    expect(connection.send('NOOP\r\n')).toBe(false);
    expect(seen.notices.at(-1)).toMatch(/no open connection/);
    expect(socket.sent).toEqual([{ type: 'hello', version: 1 }]);
  });

  it('reports a closed session with its reason', () => {
    const { seen, socket } = openSession();
    socket.deliver({ type: 'session.closed', sessionId: 's1', reason: 'the server closed the connection after 221', by: 'server' });
    expect(seen.statuses.at(-1)).toEqual({
      status: 'closed',
      message: 'Connection closed: the server closed the connection after 221.',
    });
  });

  it('reconnects with backoff and says clearly when the server is down', () => {
    vi.useFakeTimers();
    const { seen } = open();
    FakeWebSocket.latest().drop();
    expect(seen.statuses.at(-1)?.status).toBe('error');
    expect(seen.statuses.at(-1)?.message).toMatch(/Reconnecting in 1 s/);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(200);
    FakeWebSocket.latest().drop();
    expect(seen.statuses.at(-1)?.message).toMatch(/not reachable.*npm start.*Simulated mode/);
    vi.advanceTimersByTime(200);
    const socket = FakeWebSocket.latest();
    expect(FakeWebSocket.instances).toHaveLength(4);
    socket.accept();
    socket.deliver(WELCOME);
    expect(socket.sent).toEqual([{ type: 'hello', version: 1 }, { type: 'session.open', target: 'sandbox' }]);
  });

  it('refuses a server that speaks another bridge version', () => {
    const { seen, socket } = open();
    socket.accept();
    socket.deliver({ ...WELCOME, version: 99 });
    expect(seen.statuses.at(-1)?.message).toMatch(/version 99/);
    expect(socket.sent).toEqual([{ type: 'hello', version: 1 }]);
  });

  it('closes the session and the socket on dispose', () => {
    const { connection, socket } = openSession();
    connection.dispose();
    expect(socket.sent.at(-1)).toEqual({ type: 'session.close' });
    expect(socket.readyState).toBe(FakeWebSocket.CLOSED);
  });
});
