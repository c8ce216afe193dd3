/**
 * `smtp-lab replay` must not hang on BDAT (RFC 3030): after `BDAT n [LAST]` the next n octets
 * are chunk data, sent without waiting for a reply, since the server answers only once it has
 * read them. Proven deterministically against a tiny CHUNKING server in this process, and
 * against Postfix (which advertises CHUNKING) when one listens on 127.0.0.1:25.
 */
import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../protocol/replay/run-script.ts';
import { createTcpTransport } from '../../../server/transport/tcp-transport.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { scriptLines } from './sandbox-harness.ts';

/** Most bytes the tiny server buffers from one client before it hangs up. */
const MAX_BUFFERED = 64 * 1024;

interface ChunkingServer {
  readonly port: number;
  /** Every chunk read, in order. */
  readonly chunks: string[];
  close(): Promise<void>;
}

/** Answers line by line; after `BDAT n` it reads exactly n octets before it replies. */
function startChunkingServer(): Promise<ChunkingServer> {
  const chunks: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let owed: number | null = null;
    socket.setEncoding('latin1');
    socket.write('220 chunking.test ESMTP\r\n');
    socket.on('data', (data: string) => {
      buffer += data;
      if (buffer.length > MAX_BUFFERED) return void socket.destroy();
      // Bounded: each turn consumes a line or a chunk, and stops when neither is complete.
      for (let turn = 0; turn < 1000; turn++) {
        if (owed !== null) {
          if (buffer.length < owed) return;
          chunks.push(buffer.slice(0, owed));
          buffer = buffer.slice(owed);
          owed = null;
          socket.write(`250 2.0.0 ${chunks.at(-1)!.length} octets received\r\n`);
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end === -1) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const bdat = /^BDAT (\d+)( LAST)?$/i.exec(line);
        if (bdat) owed = Number(bdat[1]);
        else if (/^EHLO /i.test(line)) socket.write('250-chunking.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n');
        else if (/^QUIT$/i.test(line)) socket.end('221 2.0.0 Bye\r\n');
        else socket.write('250 2.1.0 Ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        chunks,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** A message in two chunks: "Subject: c\r\n" (12 octets), then "\r\nbody\r\n" (8 octets, LAST). */
const SCRIPT = ['EHLO client.test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'BDAT 12', 'Subject: c', 'BDAT 8 LAST', '<empty>', 'body', 'QUIT'].join('\n');

describe('BDAT in a replay', () => {
  let server: ChunkingServer;
  beforeAll(async () => {
    server = await startChunkingServer();
  });
  afterAll(() => server.close());

  it('sends each chunk without waiting, and pairs the replies that follow', async () => {
    const before = server.chunks.length;
    const open = createTcpTransport('127.0.0.1', server.port, {});
    const result = await runScript(scriptLines(SCRIPT), open, { replyTimeoutMs: 3000 });
    const codes = result.events.flatMap((event) => (event.type === 'server.reply' ? [event.reply.code] : []));
    expect(codes).toEqual([220, 250, 250, 250, 250, 250, 221]);
    expect(result.end).toBe('quit');
    expect(server.chunks.slice(before)).toEqual(['Subject: c\r\n', '\r\nbody\r\n']);
  });

  it('does not hang in the smtp-lab replay command', async () => {
    const run = await runCli(['replay', '--target', `smtp://127.0.0.1:${server.port}`, '--timeout', '3000', '-'], SCRIPT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('S: 250 2.0.0 8 octets received');
    expect(run.stdout).toContain('S: 221 2.0.0 Bye');
  });
});

/** Postfix advertises CHUNKING; used only when it runs on this machine. */
const postfixListening = existsSync('/usr/sbin/postfix') && (await canConnect(25));

describe.runIf(postfixListening)('BDAT against Postfix on 127.0.0.1:25', () => {
  it('replays a chunked message to its end', async () => {
    const script = SCRIPT.replace('a@example.com', 'replay@localhost').replace('b@example.org', 'postmaster@localhost');
    const run = await runCli(['replay', '--target', 'smtp://127.0.0.1:25', '--timeout', '5000', '-'], script);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^S: 250[- ]CHUNKING$/m);
    // The LAST chunk's reply says the message was queued; then QUIT is answered.
    expect(run.stdout).toMatch(/^S: 250 2\.0\.0 Ok: 20 bytes queued as \S+$/m);
    expect(run.stdout).toMatch(/^S: 221 /m);
  });
});
if (!postfixListening) console.warn('SKIPPED: BDAT against Postfix needs /usr/sbin/postfix listening on 127.0.0.1:25');

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
