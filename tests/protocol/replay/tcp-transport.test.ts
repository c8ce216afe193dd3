import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runScript } from '../../../protocol/replay/run-script.ts';
import { createTcpTransport } from '../../../server/transport/tcp-transport.ts';

/** A tiny scripted server: sends `chunks` one by one as separate writes, then closes. */
async function serveChunks(chunks: readonly Buffer[]): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let index = 0;
    const next = () => {
      const chunk = chunks[index++];
      if (chunk === undefined) {
        socket.end();
        return;
      }
      socket.write(chunk, () => setTimeout(next, 20));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, server };
}

describe('createTcpTransport', () => {
  let server: net.Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = null;
  });

  it('rejects with a one-line reason when nothing listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(runScript([], createTcpTransport('127.0.0.1', port))).rejects.toThrow(
      `cannot connect to 127.0.0.1:${port}: connection refused`,
    );
  });

  it('decodes a UTF-8 character split across two TCP chunks', async () => {
    const bytes = Buffer.from('220 héllo\r\n', 'utf8');
    const split = bytes.indexOf(0xc3) + 1;
    const started = await serveChunks([bytes.subarray(0, split), bytes.subarray(split)]);
    server = started.server;
    const result = await runScript([], createTcpTransport('127.0.0.1', started.port));
    const greeting = result.events.find((event) => event.type === 'server.reply');
    expect(greeting?.type === 'server.reply' && greeting.reply.lines).toEqual(['220 héllo']);
  });

  it('reports lines that are not SMTP replies and the server closing', async () => {
    const started = await serveChunks([Buffer.from('+OK POP3 server ready\r\n')]);
    server = started.server;
    const result = await runScript([], createTcpTransport('127.0.0.1', started.port), { replyTimeoutMs: 2000 });
    expect(result.events.map((event) => event.type)).toEqual(['socket.opened', 'server.unreadable', 'socket.closed']);
    expect(result.end).toBe('server-closed');
  });
});
