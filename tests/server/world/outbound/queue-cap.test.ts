/**
 * The per-namespace cap on waiting outbound rows, in the running app over real TCP with a
 * real client (python3 smtplib): with mx.example.net down the relayed recipients wait; at the
 * cap (--max-queued 3) a further recipient in another lab domain is refused at RCPT with
 * 452 4.3.1 in words a learner can read, while a recipient in the sandbox's own domain is
 * still taken and the message captured. GET /api/world/queue says how many wait in all. The
 * lab forwarder, which queues what it takes, holds to the same cap.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../../server/app/start-app.ts';
import { testConfig } from '../../app/app-config.ts';

let app: RunningApp;
let base: string;
/** The lab MX listeners' ports, from the start-up log line. */
const labPorts = new Map<string, number>();

beforeAll(async () => {
  const log = (line: string) => {
    for (const [, host, port] of line.matchAll(/([\w.-]+) 127\.0\.0\.1:(\d+)/g)) labPorts.set(host!, Number(port));
  };
  app = await startApp(testConfig({ 'max-queued': '3' }), { log });
  base = app.urls.http;
});
afterAll(async () => {
  await app?.close('test over');
});

/** Two transactions on one connection; prints each RCPT and DATA reply as [code, text]. */
const SCRIPT = `
import json, smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
s.ehlo('laptop')
replies = []
s.mail('alice@example.com')
for rcpt in ['alice@example.net', 'bob@example.net', 'carol@example.net']:
    replies.append(s.rcpt(rcpt))
replies.append(s.data(b'Subject: fills the queue\\r\\n\\r\\nHi.\\r\\n'))
s.mail('alice@example.com')
replies.append(s.rcpt('postmaster@example.org'))
replies.append(s.rcpt('bob@example.com'))
replies.append(s.data(b'Subject: after the cap\\r\\n\\r\\nHi.\\r\\n'))
s.quit()
print(json.dumps([[code, text.decode()] for code, text in replies]))
`;

/** The subjects in `mailbox`, once its messages are parsed (bounded wait). */
async function subjectsIn(mailbox: string): Promise<(string | null)[]> {
  for (let tries = 0; ; tries++) {
    const page = (await (await fetch(`${base}api/messages?mailbox=${encodeURIComponent(mailbox)}`)).json()) as { messages: { subject: string | null }[] };
    const subjects = page.messages.map((message) => message.subject);
    if ((subjects.length > 0 && !subjects.includes(null)) || tries >= 100) return subjects;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the outbound queue cap per namespace', () => {
  it('refuses a relayed recipient at RCPT with 452 4.3.1 once the queue is full, and still takes local mail', async () => {
    const { hosts } = (await (await fetch(`${base}api/world/hosts`)).json()) as { hosts: { name: string; down: boolean }[] };
    const netDown = hosts.map((host) => (host.name === 'mx.example.net' ? { ...host, down: true } : host));
    expect((await fetch(`${base}api/world/hosts`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hosts: netDown }) })).status).toBe(200);

    const { stdout } = await promisify(execFile)('python3', ['-c', SCRIPT, String(app.ports.smtp)], { timeout: 15_000 });
    const replies = JSON.parse(stdout) as [number, string][];
    expect(replies.slice(0, 4).map(([code]) => code)).toEqual([250, 250, 250, 250]);
    const [full, local, data] = replies.slice(4);
    expect(full).toEqual([
      452,
      "4.3.1 <postmaster@example.org>: the lab's outbound queue for your world is full (3 recipients are waiting to be relayed). " +
        "Try again once some are delivered or bounced; mail for the sandbox's own mailboxes is still taken.",
    ]);
    expect(local?.[0]).toBe(250);
    expect(data?.[0]).toBe(250);

    const queue = (await (await fetch(`${base}api/world/queue`)).json()) as { messages: { to: string }[]; total: number; truncated: boolean };
    expect(queue.messages.map((message) => message.to).sort()).toEqual(['alice@example.net', 'bob@example.net', 'carol@example.net']);
    expect(queue).toMatchObject({ total: 3, truncated: false });
    expect(await subjectsIn('bob@example.com')).toEqual(['after the cap']);
  });

  it('holds the forwarder to the same cap: it refuses at RCPT what it would queue on', async () => {
    // The queue is still full from the test above (mx.example.net stays down).
    const port = labPorts.get('mx.forwarder.example');
    expect(port).toBeGreaterThan(0);
    const script = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
s.ehlo('outside.example')
s.mail('bob@example.com')
code, text = s.rcpt('carol@forwarder.example')
print(code, text.decode())
s.quit()
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script, String(port)], { timeout: 15_000 });
    expect(stdout.trim()).toBe(
      "452 4.3.1 <carol@forwarder.example>: the lab's outbound queue for your world is full (3 recipients are waiting to be relayed). " +
        "Try again once some are delivered or bounced; mail for the sandbox's own mailboxes is still taken.",
    );
  });
});
