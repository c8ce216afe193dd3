/** runScript against an in-memory transport that answers synchronously, as a simulator may. */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../../protocol/replay/run-script.ts';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import type { TlsInfo, TransportFactory, TransportHandlers } from '../../../protocol/transport.ts';
import { scriptLines } from './sandbox-harness.ts';

interface FakeServer {
  /** Answers one received line: text to send back (CRLF included), or null for silence. */
  answer(line: string, handlers: TransportHandlers): string | null;
  startTls?(): Promise<TlsInfo>;
}

/** A transport that greets while opening and answers every line inside write(). */
function fakeTransport(server: FakeServer, writes: string[] = []): TransportFactory {
  return async (handlers) => {
    handlers.onData('220 fake ESMTP\r\n');
    return {
      write(text) {
        writes.push(text);
        for (const line of text.split('\r\n').slice(0, -1)) {
          const reply = server.answer(line, handlers);
          if (reply !== null) handlers.onData(reply);
        }
      },
      startTls: server.startTls ?? (() => Promise.reject(new Error('no TLS here'))),
      close() {},
    };
  };
}

function texts(events: readonly ReplayEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'client.line') return `C: ${event.text}`;
    if (event.type === 'server.reply') return `S: ${event.reply.lines.join(' | ')}`;
    if (event.type === 'socket.closed') return `closed: ${event.reason}`;
    return event.type;
  });
}

describe('runScript with a synchronous transport', () => {
  it('emits a greeting sent while opening after socket.opened', async () => {
    const result = await runScript(scriptLines('QUIT'), fakeTransport({ answer: () => '221 Bye\r\n' }), { replyTimeoutMs: 100 });
    expect(texts(result.events)).toEqual([
      'socket.opened',
      'S: 220 fake ESMTP',
      'C: QUIT',
      'S: 221 Bye',
      'closed: the server did not close within 100 ms after QUIT; the client closed the connection',
    ]);
    expect(result.end).toBe('quit');
  });

  it('assembles multi-line replies split into odd chunks', async () => {
    const answer = (_line: string, handlers: TransportHandlers) => {
      for (const piece of ['250-fake', ' greets you\r', '\n250-PIPE', 'LINING\r\n250 SIZE 10', '00\r\n']) handlers.onData(piece);
      return null;
    };
    const result = await runScript(scriptLines('EHLO x'), fakeTransport({ answer }));
    expect(texts(result.events)[3]).toBe('S: 250-fake greets you | 250-PIPELINING | 250 SIZE 1000');
    expect(result.end).toBe('end-of-script');
  });

  it('stops when the server closes mid-conversation, with its reason', async () => {
    const answer = (line: string, handlers: TransportHandlers) => {
      if (line !== 'NOOP 2') return '250 OK\r\n';
      handlers.onData('421 too many\r\n');
      handlers.onClose('connection reset by the server');
      return null;
    };
    const writes: string[] = [];
    const result = await runScript(scriptLines('NOOP 1\nNOOP 2\nNOOP 3'), fakeTransport({ answer }, writes));
    expect(result.end).toBe('server-closed');
    expect(texts(result.events).slice(-2)).toEqual(['S: 421 too many', 'closed: connection reset by the server']);
    expect(writes).toEqual(['NOOP 1\r\n', 'NOOP 2\r\n']);
  });

  it('sends the whole message in one write after 354, with a pipelined QUIT', async () => {
    const answer = (line: string) => {
      if (line === 'DATA') return '354 go ahead\r\n';
      if (line === '.') return '250 queued\r\n';
      if (line === 'QUIT') return '221 Bye\r\n';
      return line.startsWith('Subject') || line === '' || line.startsWith('..') ? null : '250 OK\r\n';
    };
    const writes: string[] = [];
    const script = 'DATA\nSubject: s\n<empty>\n..dot\n.\n+ QUIT';
    const result = await runScript(scriptLines(script), fakeTransport({ answer }, writes), { replyTimeoutMs: 50 });
    expect(writes).toEqual(['DATA\r\n', 'Subject: s\r\n\r\n..dot\r\n.\r\nQUIT\r\n']);
    expect(result.end).toBe('quit');
  });

  it('reports a failed TLS handshake and stops', async () => {
    const answer = (line: string) => (line === 'STARTTLS' ? '220 Ready to start TLS\r\n' : '250 OK\r\n');
    const writes: string[] = [];
    const result = await runScript(scriptLines('STARTTLS\nEHLO x'), fakeTransport({ answer }, writes));
    expect(result.end).toBe('tls-failed');
    expect(result.events).toContainEqual({ type: 'tls.failed', reason: 'no TLS here' });
    expect(writes).toEqual(['STARTTLS\r\n']);
  });

  it('expects no reply for lines pipelined after STARTTLS (the server discards them)', async () => {
    const tls: TlsInfo = { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', simulated: true };
    const answer = (line: string) => (line === 'STARTTLS' ? '220 Ready to start TLS\r\n' : null);
    const result = await runScript(scriptLines('STARTTLS\n+ NOOP'), fakeTransport({ answer, startTls: async () => tls }), { replyTimeoutMs: 50 });
    expect(result.events).toContainEqual({ type: 'tls.established', tls });
    expect(result.end).toBe('end-of-script');
  });

  it('surfaces a line that is not an SMTP reply', async () => {
    const answer = () => 'hello there\r\n250 OK\r\n';
    const result = await runScript(scriptLines('NOOP'), fakeTransport({ answer }));
    expect(result.events[3]).toMatchObject({ type: 'server.unreadable', line: 'hello there' });
    expect(texts(result.events)[4]).toBe('S: 250 OK');
  });
});
