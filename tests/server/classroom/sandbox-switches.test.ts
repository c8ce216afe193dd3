/**
 * The sandbox's run-time switches the classroom relies on: class-wide behaviours changed
 * while it runs (reaching servers built from a copy of its options, as the SMTPS listener
 * is), and the recipient hook with class mail delivered into each class address's namespace.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassMail } from '../../../server/classroom/class-mail.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSandbox, type SandboxOptions } from '../../../server/sandbox/create-sandbox.ts';
import { RealSmtpClient } from '../../conformance/real-smtp-client.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function start(options: SandboxOptions = {}) {
  const sandbox = createSandbox(options);
  const { port } = await sandbox.listen(0, '127.0.0.1');
  stops.push(() => sandbox.close());
  return { sandbox, port };
}

async function converse(port: number, commands: readonly string[]): Promise<string[]> {
  const { client } = await RealSmtpClient.connect(port);
  const replies: string[] = [];
  for (const command of commands) replies.push((await client.send(`${command}\r\n`, 1, false)).join('\n'));
  client.destroy();
  return replies;
}

describe('setBehaviours', () => {
  it('switches AUTH and SIZE for the next session, also on a server built from a copy of the options', async () => {
    const { sandbox, port } = await start();
    const copy = new SMTPServer({ ...(sandbox.server.options as SMTPServerOptions) });
    await new Promise<void>((resolve) => copy.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => copy.close(() => resolve())));
    const copyPort = (copy.server.address() as AddressInfo).port;
    const commands = ['EHLO client.example', 'MAIL FROM:<a@example.com>'];

    expect((await converse(port, commands))[1]).toBe('250 2.1.0 Accepted');
    sandbox.setBehaviours({ requireAuth: true, maxMessageSize: 4096 });
    expect(sandbox.behaviours()).toMatchObject({ maxMessageSize: 4096, behaviours: { requireAuth: true, greylist: false } });
    for (const target of [port, copyPort]) {
      const [ehlo, mail] = await converse(target, commands);
      expect(ehlo).toContain('SIZE 4096');
      expect(ehlo).not.toContain('SIZE 10485760');
      expect(mail).toBe('530 5.7.0 Error: authentication Required');
    }
    sandbox.setBehaviours({ requireAuth: false, closeAfterCommands: 1 });
    expect(await converse(port, ['NOOP', 'NOOP'])).toEqual([
      '250 2.0.0 OK',
      '421 4.4.2 sandbox.smtp-lab.test Error: too many commands in this session, closing connection',
    ]);
  });
});

describe('class mail through the sandbox hooks', () => {
  it('refuses unknown class addresses with 550 and stores a copy per class namespace', async () => {
    const saved: { namespace: string; message: CapturedMessage }[] = [];
    const addresses: Record<string, string | null> = { 'ana@class.test': 'student:ana', 'bo@class.test': 'student:bo' };
    const mail = new ClassMail({
      namespaceOfAddress: async (address) => (address.endsWith('@class.test') ? (addresses[address.toLowerCase()] ?? null) : undefined),
      bridgeNamespaceOf: () => null,
      store: async (namespaces, message) => {
        for (const namespace of namespaces) saved.push({ namespace, message });
      },
    });
    const { port } = await start({
      checkRecipient: (recipient, connection) => mail.recipientRefusal(recipient, connection),
      onMessage: (message, connection) => mail.deliver(message, connection),
    });
    const replies = await converse(port, [
      'EHLO outside.example',
      'MAIL FROM:<teacher@school.example>',
      'RCPT TO:<Ana@class.test>',
      'RCPT TO:<zed@class.test>',
      'RCPT TO:<bo@class.test>',
      'RCPT TO:<friend@example.org>',
      'DATA',
      'Subject: class mail\r\n\r\nHello class\r\n.',
    ]);
    expect(replies[3]).toBe('550 5.1.1 <zed@class.test>: Recipient address rejected: nobody in this class has that address');
    expect(replies[7]).toMatch(/^250 2\.6\.0 OK: message queued as \w+$/);
    // Sent from outside the bridge: the sender's copy is the instructor's.
    expect(saved.map((entry) => entry.namespace)).toEqual(['instructor', 'student:ana', 'student:bo']);
    expect(saved[0]?.message.rcptTo).toEqual(['Ana@class.test', 'bo@class.test', 'friend@example.org']);
  });

  it('answers 451 when the recipient check fails (the class database is down), and the session goes on', async () => {
    const { port } = await start({
      checkRecipient: async (recipient) => {
        if (recipient.startsWith('broken')) throw new Error('the class database cannot be reached');
        return null;
      },
    });
    const replies = await converse(port, ['EHLO outside.example', 'MAIL FROM:<teacher@school.example>', 'RCPT TO:<broken@class.test>', 'RCPT TO:<ana@class.test>']);
    expect(replies[2]).toBe('451 4.3.0 <broken@class.test>: Recipient not checked: the class database cannot be reached; try again later');
    expect(replies[3]).toBe('250 2.1.5 Accepted');
  });
});
