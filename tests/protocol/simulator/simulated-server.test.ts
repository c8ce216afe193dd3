import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import { SimulatedServer, type SimulatedMessage } from '../../../protocol/simulator/index.ts';

function greeted(options: ConstructorParameters<typeof SimulatedServer>[0] = {}): SimulatedServer {
  const server = new SimulatedServer(options);
  server.greeting();
  return server;
}

describe('SimulatedServer', () => {
  it('greets with the configured name and banner, once', () => {
    const server = new SimulatedServer();
    expect(server.greeting()).toBe(`220 ${DEFAULT_SANDBOX_CONFIG.hostname} ESMTP ${DEFAULT_SANDBOX_CONFIG.banner}\r\n`);
    expect(server.greeting()).toBe('');
  });

  it('answers "You talk too soon" and closes when the client writes before the greeting', () => {
    const server = new SimulatedServer();
    expect(server.receive('NOOP\r\nNOOP\r\n')).toBe(`421 4.4.2 ${DEFAULT_SANDBOX_CONFIG.hostname} You talk too soon\r\n`);
    expect(server.closed).toBe(true);
    expect(server.greeting()).toBe('');
  });

  it('names the client address in the EHLO reply, normalized like smtp-server', () => {
    expect(greeted().receive('EHLO x\r\n')).toContain('Nice to meet you, [203.0.113.25]\r\n');
    expect(greeted({ clientAddress: '::ffff:192.0.2.9' }).receive('HELO x\r\n')).toBe(
      `250 ${DEFAULT_SANDBOX_CONFIG.hostname} Nice to meet you, [192.0.2.9]\r\n`,
    );
  });

  it('hands accepted messages to onMessage with the queue id of the reply', () => {
    const messages: SimulatedMessage[] = [];
    const server = greeted({ newQueueId: () => 'ABCDEF0123', onMessage: (message) => messages.push(message) });
    const output = server.receive('EHLO Client\r\nAUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n..hi\r\n.\r\n');
    expect(output.endsWith('250 2.6.0 OK: message queued as ABCDEF0123\r\n')).toBe(true);
    expect(messages).toEqual([
      {
        queueId: 'ABCDEF0123',
        mailFrom: '',
        rcptTo: ['b@example.org'],
        data: '.hi\r\n',
        clientHelo: 'client',
        remoteAddress: '203.0.113.25',
        authenticatedUser: 'student',
        secure: false,
      },
    ]);
  });

  it('makes Postfix-style queue ids by default', () => {
    const output = greeted().receive('HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n.\r\n');
    expect(output).toMatch(/queued as [0-9A-F]{10}\r\n$/);
  });

  it('waits for the TLS handshake after 220 and starts the session over', () => {
    const server = greeted();
    expect(server.receive('EHLO x\r\nAUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==\r\nSTARTTLS\r\nNOOP\r\n')).toMatch(/235 2\.7\.0 .*\r\n220 2\.0\.0 Ready to start TLS\r\n$/);
    expect(server.awaitingTls).toBe(true);
    expect(server.startTls()).toEqual({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', peerCertificate: DEFAULT_SANDBOX_CONFIG.hostname, simulated: true });
    expect(server.receive('MAIL FROM:<a@b.example>\r\n')).toBe('503 5.5.1 Error: send HELO/EHLO first\r\n');
    const ehlo = server.receive('EHLO x\r\n');
    expect(ehlo).toContain('250-AUTH PLAIN LOGIN\r\n');
    expect(ehlo).not.toContain('STARTTLS');
    expect(server.receive('STARTTLS\r\n')).toBe('503 5.5.1 Error: TLS already active\r\n');
  });

  it('refuses startTls() unless it said 220 to STARTTLS', () => {
    expect(() => greeted().startTls()).toThrow(/220/);
  });

  it('drops the connection when plaintext arrives instead of a TLS handshake', () => {
    const server = greeted();
    server.receive('STARTTLS\r\n');
    expect(server.receive('EHLO x\r\n')).toBe('');
    expect(server.closed).toBe(true);
  });

  it('answers an unknown command named like a status context with that context\'s code', () => {
    expect(greeted().receive('DATA_OK\r\nLHLO x\r\nFOO\r\n')).toBe(
      '500 2.6.0 Error: command not recognized\r\n500 Error: command not recognized\r\n500 5.5.2 Error: command not recognized\r\n',
    );
  });

  it('says nothing after closing', () => {
    const server = greeted();
    expect(server.receive('QUIT\r\nNOOP\r\n')).toBe('221 2.0.0 Bye\r\n');
    expect(server.receive('NOOP\r\n')).toBe('');
  });

  it('gives the same replies however the client text is split', () => {
    const command = fc.constantFrom('EHLO x', 'HELO y', 'MAIL FROM:<a@b.example>', 'RCPT TO:<c@d.example>', 'DATA', 'text', '..', '.', 'RSET', 'NOOP', 'AUTH LOGIN', 'c3R1ZGVudA==', '*', 'FOO', '');
    const session = fc.array(command, { maxLength: 25 }).map((commands) => commands.map((line) => `${line}\r\n`).join(''));
    fc.assert(
      fc.property(session, fc.array(fc.nat(), { maxLength: 8 }), (input, cuts) => {
        const positions = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, index) => input.slice(start, positions[index] ?? input.length));
        const whole = greeted({ newQueueId: () => 'Q' }).receive(input);
        const split = greeted({ newQueueId: () => 'Q' });
        expect(chunks.map((chunk) => split.receive(chunk)).join('')).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });
});
