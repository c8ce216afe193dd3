/**
 * The dot-stuffing notes against the real smtp-server: every line's note names what the
 * server then stores, checked on the bytes smtp-server really kept (real TCP on 127.0.0.1).
 */
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotLineNote, storedBySmtpServer } from '../../../protocol/session/index.ts';

const LINES = ['..x', '.x', '...x', 'x.'];

let server: SMTPServer;
let stored: Promise<string>;

beforeAll(async () => {
  let keep: (body: string) => void = () => {};
  stored = new Promise((resolve) => (keep = resolve));
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        keep(Buffer.concat(chunks).toString('utf8'));
        done();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let received = '';
  socket.on('data', (text: string) => (received += text));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    for (let i = 0; i < 100 && !pattern.test(received); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await waitFor(/^220 /m);
  socket.write(['EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', ''].join('\r\n'));
  await waitFor(/^354 /m);
  socket.write([...LINES, '.', 'QUIT', ''].join('\r\n'));
  await waitFor(/^221 /m);
  socket.destroy();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('dot-stuffing notes', () => {
  it('say what smtp-server stores for each line, as the real server stores it', async () => {
    const body = await stored;
    const keptLines = body.split('\r\n').slice(0, LINES.length);
    expect(keptLines).toEqual(LINES.map(storedBySmtpServer));
    expect(keptLines).toEqual(['.x', '.x', '..x', 'x.']);
    LINES.forEach((line, i) => {
      const note = dotLineNote(line);
      if (note === null) return expect(line.startsWith('.')).toBe(false);
      // The note's claim for smtp-server is the stored line.
      const claim = line.startsWith('..') ? /storing `([^`]*)`; smtp-server does so too/.exec(note)?.[1] : /smtp-server \(this lab's server\) keeps `([^`]*)`/.exec(note)?.[1];
      expect(claim, note).toBe(keptLines[i]);
    });
    expect(dotLineNote('.x')).toContain('RFC 5321 §4.5.2 says the server removes the first dot and stores `x`');
  });
});
