/**
 * The client driver against an in-memory transport: replies paired by the model decide when
 * TLS starts (not any 220), text sent during the handshake waits for it, and raw bytes are
 * kept on request.
 */
import { describe, expect, it } from 'vitest';
import { ClientDriver, DEFAULT_MAX_EARLY_TEXT, DEFAULT_MAX_UNFINISHED_LINE } from '../../../protocol/client/client-driver.ts';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import { createSessionActor } from '../../../protocol/session/index.ts';
import type { TlsInfo, TransportFactory } from '../../../protocol/transport.ts';

const TLS: TlsInfo = { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', simulated: true };

/** A server that answers each line from `answers` (in order) and counts handshakes. */
function scripted(answers: string[]) {
  const writes: string[] = [];
  let handshakes = 0;
  let finishHandshake: (() => void) | null = null;
  const open: TransportFactory = async (handlers) => {
    queueMicrotask(() => handlers.onData('220 test ESMTP\r\n'));
    return {
      write(text) {
        writes.push(text);
        for (let lines = text.split('\n').length - 1; lines > 0; lines--) {
          const answer = answers.shift();
          if (answer !== undefined) queueMicrotask(() => handlers.onData(answer));
        }
      },
      startTls() {
        handshakes += 1;
        return new Promise<TlsInfo>((resolve) => (finishHandshake = () => resolve(TLS)));
      },
      close() {},
    };
  };
  return { open, writes, handshakes: () => handshakes, finishHandshake: () => finishHandshake?.() };
}

function drive(raw = false) {
  const model = createSessionActor();
  const events: ReplayEvent[] = [];
  const driver = new ClientDriver(
    {
      onEvents(batch) {
        events.push(...batch);
        for (const event of batch) if (event.type !== 'server.unreadable') model.send(event);
      },
      snapshot: () => model.getSnapshot(),
    },
    { raw },
  );
  return { driver, events, model };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ClientDriver', () => {
  it('starts TLS at the 220 that answers STARTTLS in a pipelined group, and not at a 220 to anything else', async () => {
    const server = scripted(['250 ok\r\n', '220 odd but not TLS\r\n', '250 ok\r\n', '220 Ready to start TLS\r\n']);
    const { driver, events } = drive();
    await driver.connect(server.open, 'test');
    await settle();
    driver.send('EHLO a\r\nNOOP\r\n');
    await settle();
    expect(server.handshakes()).toBe(0);
    driver.send('NOOP\r\nSTARTTLS\r\n');
    await settle();
    expect(server.handshakes()).toBe(1);
    // Sent during the handshake: written only once it is done.
    driver.send('EHLO a\r\n');
    expect(server.writes).toEqual(['EHLO a\r\nNOOP\r\n', 'NOOP\r\nSTARTTLS\r\n']);
    server.finishHandshake();
    await settle();
    expect(server.writes.at(-1)).toBe('EHLO a\r\n');
    expect(events.map((event) => event.type)).toEqual([
      'socket.opened',
      'server.reply',
      'client.line',
      'client.line',
      'server.reply',
      'server.reply',
      'client.line',
      'client.line',
      'server.reply',
      'server.reply',
      'tls.established',
      'client.line',
    ]);
  });

  it('keeps the exact wire text when asked for raw bytes', async () => {
    const server = scripted(['250-a\r\n250 b\n']);
    const { driver, events } = drive(true);
    await driver.connect(server.open, 'test');
    await settle();
    driver.send('NOOP\n');
    await settle();
    expect(events.slice(1)).toEqual([
      { type: 'server.reply', reply: expect.objectContaining({ code: 220 }), raw: '220 test ESMTP\r\n' },
      { type: 'client.line', text: 'NOOP', raw: 'NOOP\n' },
      { type: 'server.reply', reply: expect.objectContaining({ code: 250, lines: ['250-a', '250 b'] }), raw: '250-a\r\n250 b\n' },
    ]);
  });

  it('by default cuts a server line that never ends, and says so with server.unreadable', async () => {
    const { driver, events } = drive();
    let push: (text: string) => void = () => {};
    await driver.connect(async (handlers) => {
      push = handlers.onData;
      return { write() {}, startTls: () => Promise.reject(new Error('no TLS')), close() {} };
    }, 'endless');
    // 200 000 characters and no line end: cut twice (at 70 000 and 140 000), 60 000 still held.
    for (let piece = 0; piece < 20; piece++) push('x'.repeat(10_000));
    const cut = events.filter((event) => event.type === 'server.unreadable');
    expect(cut.map((event) => event.line.length)).toEqual([70_000, 70_000]);
    expect(cut[0]).toMatchObject({ message: `The server sent more than ${DEFAULT_MAX_UNFINISHED_LINE} characters without a line end; SMTP Lab shows them as one cut line.` });
    expect(events.some((event) => event.type === 'server.reply')).toBe(false);
  });

  it('keeps at most maxEarlyText of server text while connecting, then closes saying why', async () => {
    const { driver, events } = drive();
    let closed = 0;
    await driver.connect(async (handlers) => {
      // A server that floods before the transport is handed over.
      for (let piece = 0; piece < 100; piece++) handlers.onData('220-flood\r\n'.repeat(1000));
      return { write() {}, startTls: () => Promise.reject(new Error('no TLS')), close: () => void closed++ };
    }, 'flood');
    expect(driver.isClosed).toBe(true);
    expect(closed).toBe(1);
    const replies = events.filter((event) => event.type === 'server.reply');
    // 6 pieces of 11 000 characters fit in 65 536; the partial 220- reply is never completed.
    expect(replies).toHaveLength(0);
    expect(events.at(-1)).toEqual({
      type: 'socket.closed',
      reason: `The server sent more than ${DEFAULT_MAX_EARLY_TEXT} characters before the connection was ready; SMTP Lab stopped reading and closed it.`,
    });
  });
});
