import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../protocol/replay/run-script.ts';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import { createTcpTransport } from '../../../server/transport/tcp-transport.ts';
import { scriptLines, startSandbox, type ReplaySandbox } from './sandbox-harness.ts';

/** Each event as one short string: "C: EHLO x", "S: 250 …" (first line and code), "closed", … */
function summary(events: readonly ReplayEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case 'client.line':
        return `C: ${event.text}`;
      case 'server.reply':
        return `S: ${event.reply.code}`;
      default:
        return event.type;
    }
  });
}

function replies(events: readonly ReplayEvent[]) {
  return events.flatMap((event) => (event.type === 'server.reply' ? [event.reply] : []));
}

describe('runScript against the real sandbox', () => {
  let running: ReplaySandbox;
  beforeAll(async () => {
    running = await startSandbox();
  });
  afterAll(async () => {
    await running.sandbox.close();
  });

  it('plays the happy path with AUTH PLAIN and stops after QUIT', async () => {
    const before = running.messages.length;
    const seen: ReplayEvent[] = [];
    const result = await running.replay(scriptLines('auth-plain.smtp'), { onEvent: (event) => seen.push(event), serverName: 'sandbox' });

    expect(result.end).toBe('quit');
    expect(seen).toEqual(result.events);
    expect(summary(result.events)).toEqual([
      'socket.opened',
      'S: 220',
      'C: EHLO client.example',
      'S: 250',
      'C: AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==',
      'S: 235',
      'C: MAIL FROM:<student@example.com>',
      'S: 250',
      'C: RCPT TO:<bob@example.org>',
      'S: 250',
      'C: DATA',
      'S: 354',
      'C: Subject: Sent after AUTH PLAIN',
      'C: ',
      'C: Authenticated mail.',
      'C: .',
      'S: 250',
      'C: QUIT',
      'S: 221',
      'socket.closed',
    ]);
    expect(result.events[0]).toEqual({ type: 'socket.opened', server: 'sandbox' });
    expect(result.events.at(-1)).toEqual({ type: 'socket.closed', reason: null });
    expect(replies(result.events)[2]?.lines).toEqual(['235 2.7.0 Authentication successful']);
    const captured = running.messages.slice(before);
    expect(captured).toHaveLength(1);
    expect(captured[0]?.authenticatedUser).toBe('student');
    expect(captured[0]?.rcptTo).toEqual(['bob@example.org']);
  });

  it('answers AUTH LOGIN continuations after each 334', async () => {
    const result = await running.replay(scriptLines('auth-login.smtp'));
    expect(replies(result.events).map((reply) => reply.code)).toEqual([220, 250, 334, 334, 235, 221]);
    expect(result.end).toBe('quit');
  });

  it('sends a pipelined group in one write and pairs the four replies', async () => {
    const before = running.messages.length;
    const result = await running.replay(scriptLines('pipelining.smtp'));
    expect(summary(result.events).slice(4, 13)).toEqual([
      'C: MAIL FROM:<alice@example.com>',
      'C: RCPT TO:<bob@example.org>',
      'C: RCPT TO:<carol@example.org>',
      'C: DATA',
      'S: 250',
      'S: 250',
      'S: 250',
      'S: 354',
      'C: Subject: Pipelined',
    ]);
    expect(result.end).toBe('quit');
    expect(running.messages.slice(before)[0]?.rcptTo).toEqual(['bob@example.org', 'carol@example.org']);
  });

  it('delivers dot-stuffed data lines unstuffed', async () => {
    const before = running.messages.length;
    await running.replay(scriptLines('dot-stuffing.smtp'));
    const raw = running.messages.slice(before)[0]?.raw.toString('utf8');
    expect(raw).toBe('Subject: Dots\r\n\r\n.this line starts with a single dot\r\n..and this one with two\r\n');
  });

  it('keeps message data together with the commands pipelined around it', async () => {
    const before = running.messages.length;
    const script = ['EHLO x', 'MAIL FROM:<a@example.com>', '+ RCPT TO:<b@example.org>', '+ DATA', '+ Subject: all at once', '+ .', '+ QUIT'];
    const result = await running.replay(scriptLines(script.join('\n')));
    expect(replies(result.events).map((reply) => reply.code)).toEqual([220, 250, 250, 250, 354, 250, 221]);
    expect(result.end).toBe('quit');
    expect(running.messages.slice(before)[0]?.raw.toString('utf8')).toBe('Subject: all at once\r\n');
  });

  it('reads the lines after a refused DATA as commands, one reply each', async () => {
    const result = await running.replay(scriptLines('EHLO x\nDATA\n+ NOOP\n+ .\nQUIT'));
    expect(replies(result.events).map((reply) => reply.code)).toEqual([220, 250, 503, 250, 500, 221]);
  });

  it('upgrades to TLS after 220 to STARTTLS; the second EHLO no longer offers STARTTLS', async () => {
    const result = await running.replay(scriptLines('EHLO x\nSTARTTLS\nEHLO x\nQUIT'));
    const types = result.events.map((event) => event.type);
    expect(types).toContain('tls.established');
    const tls = result.events.find((event) => event.type === 'tls.established');
    expect(tls?.type === 'tls.established' && tls.tls.simulated).toBe(false);
    expect(tls?.type === 'tls.established' && tls.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    const ehloReplies = replies(result.events).filter((reply) => reply.lines[0]?.startsWith('250-'));
    expect(ehloReplies).toHaveLength(2);
    expect(ehloReplies[0]?.lines.some((line) => line.includes('STARTTLS'))).toBe(true);
    expect(ehloReplies[1]?.lines.some((line) => line.includes('STARTTLS'))).toBe(false);
    expect(types.indexOf('tls.established')).toBeLessThan(result.events.findIndex((event, index) => index > 5 && event.type === 'client.line'));
    expect(result.end).toBe('quit');
  });

  it('reports the server closing the connection after QUIT', async () => {
    const result = await running.replay(scriptLines('QUIT\nNOOP'));
    expect(summary(result.events)).toEqual(['socket.opened', 'S: 220', 'C: QUIT', 'S: 221', 'socket.closed']);
    expect(result.end).toBe('quit');
  });

  it('closes the connection itself at the end of the script', async () => {
    const result = await running.replay(scriptLines('NOOP'));
    expect(result.end).toBe('end-of-script');
    expect(result.events.at(-1)).toEqual({ type: 'socket.closed', reason: 'end of script: the client closed the connection' });
  });
});

describe('runScript against a server that never answers', () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on the greeting after replyTimeoutMs', async () => {
    const result = await runScript(scriptLines('EHLO x'), createTcpTransport('127.0.0.1', port), { replyTimeoutMs: 150 });
    expect(result.end).toBe('reply-timeout');
    expect(result.events).toEqual([
      { type: 'socket.opened', server: 'server' },
      { type: 'socket.closed', reason: 'no reply within 150 ms; the client gave up and closed the connection' },
    ]);
  });
});
