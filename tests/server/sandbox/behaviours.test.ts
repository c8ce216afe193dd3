/**
 * The teaching behaviours as real clients meet them, and the promise of create-sandbox.ts
 * that they live in the server options: a server built from a copy of the sandbox's options
 * (as the live app does for its SMTPS listener) behaves the same and shares the greylisting
 * memory, while any other smtp-server in the process is left alone.
 */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig, type ServerBehaviours } from '../../../protocol/sandbox-config.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox } from '../../../server/sandbox/create-sandbox.ts';
import { RealSmtpClient } from '../../conformance/real-smtp-client.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

function withBehaviours(behaviours: Partial<ServerBehaviours>): SandboxConfig {
  return { ...DEFAULT_SANDBOX_CONFIG, behaviours: { ...DEFAULT_SANDBOX_CONFIG.behaviours, ...behaviours } };
}

async function startSandbox(behaviours: Partial<ServerBehaviours>, captured: CapturedMessage[] = []) {
  const sandbox = createSandbox({ config: withBehaviours(behaviours), onMessage: (message) => captured.push(message) });
  const { port } = await sandbox.listen(0, '127.0.0.1');
  stops.push(() => sandbox.close());
  return { sandbox, port };
}

async function startServer(options: SMTPServerOptions): Promise<number> {
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.server.address() as AddressInfo).port;
}

/** Sends each line as its own write and returns the reply lines to each. */
async function converse(port: number, commands: readonly string[]): Promise<string[][]> {
  const { client } = await RealSmtpClient.connect(port);
  const replies: string[][] = [];
  for (const command of commands) replies.push(await client.send(`${command}\r\n`, 1, false));
  client.destroy();
  return replies;
}

const ENVELOPE = ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>'];

describe('sandbox behaviours with real clients', () => {
  it('nodemailer is refused without AUTH and delivers with it when AUTH is required', async () => {
    const captured: CapturedMessage[] = [];
    const { port } = await startSandbox({ requireAuth: true }, captured);
    const message = { from: 'alice@example.com', to: 'bob@example.org', subject: 'Hi', text: 'Hello' };
    const anonymous = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await expect(anonymous.sendMail(message)).rejects.toMatchObject({ responseCode: 530 });
    const student = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: 'student', pass: 'learn-smtp' } });
    await student.sendMail(message);
    expect(captured.map((mail) => mail.authenticatedUser)).toEqual(['student']);
  });

  it('nodemailer gets a temporary 451 from greylisting, and its retry is accepted', async () => {
    const captured: CapturedMessage[] = [];
    const { port } = await startSandbox({ greylist: true }, captured);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const message = { from: 'alice@example.com', to: 'bob@example.org', subject: 'Hi', text: 'Hello' };
    await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 451 });
    await transport.sendMail(message);
    expect(captured.map((mail) => mail.rcptTo)).toEqual([['bob@example.org']]);
  });
});

describe('behaviours live in the server options', () => {
  it('a server built from a copy of the options requires AUTH and limits commands too', async () => {
    const { sandbox } = await startSandbox({ closeAfterCommands: 3, requireAuth: true });
    const copyPort = await startServer({ ...(sandbox.server.options as SMTPServerOptions) });
    expect((await converse(copyPort, ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'NOOP', 'NOOP'])).slice(1)).toEqual([
      ['530 5.7.0 Error: authentication Required'],
      ['250 2.0.0 OK'],
      [`421 4.4.2 ${DEFAULT_SANDBOX_CONFIG.hostname} Error: too many commands in this session, closing connection`],
    ]);
  });

  it('greylisting memory is shared with a server built from a copy of the options', async () => {
    const { sandbox, port } = await startSandbox({ greylist: true });
    const copyPort = await startServer({ ...(sandbox.server.options as SMTPServerOptions) });
    expect((await converse(copyPort, ENVELOPE))[2]?.[0]).toMatch(/^451 4\.3\.0 <b@example\.org>: Greylisted/);
    expect((await converse(port, ENVELOPE))[2]).toEqual(['250 2.1.5 Accepted']);
  });

  it('leaves other smtp-server instances in the process alone', async () => {
    await startSandbox({ closeAfterCommands: 1, replyDelayMs: 5 });
    const plainPort = await startServer({ authOptional: true, disableReverseLookup: true, logger: false });
    expect(await converse(plainPort, ['NOOP', 'NOOP', 'NOOP'])).toEqual([['250 OK'], ['250 OK'], ['250 OK']]);
  });
});
