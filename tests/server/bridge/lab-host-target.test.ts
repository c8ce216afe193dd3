/**
 * A learner's console playing the sending server: the bridge opens a lab MX host through the
 * lab network as 203.0.113.99 in the learner's namespace. In a classroom (real app, real
 * WebSocket, real TCP), two students send the same spoofed mail to mx.example.net: the one
 * who added 203.0.113.99 to example.com's SPF in her own zone gets it delivered into her own
 * mailbox; the other is refused by DMARC p=reject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { resolveTargets } from '../../../server/bridge/bridge-options.ts';
import { instructorOf, LiveSocket, startClassroom, studentOf, type Actor } from '../classroom/classroom-app.ts';

let app: RunningApp;
let ana: Actor;
let bo: Actor;

beforeAll(async () => {
  app = await startClassroom();
  const instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
});
afterAll(() => app.close('test finished'));

interface Record_ {
  name: string;
  type: string;
  ttl: number;
  value: string;
}

/** Opens a session on a lab host and waits for its greeting. */
async function openLabSession(socket: LiveSocket, target: string): Promise<string> {
  const from = socket.received.length;
  socket.send({ type: 'session.open', target });
  const greeting = await socket.waitFor((m) => m.type === 'session.event' && (m.event as { type: string }).type === 'server.reply', from);
  return (greeting.event as { raw: string }).raw;
}

/** A mail from alice@example.com, sent from outside example.com's SPF; the end-of-data reply. */
async function sendAsAlice(socket: LiveSocket, subject: string): Promise<{ code: number; raw: string }> {
  expect((await socket.command('EHLO outside.example')).code).toBe(250);
  expect((await socket.command('MAIL FROM:<alice@example.com>')).code).toBe(250);
  expect((await socket.command('RCPT TO:<bob@example.net>')).code).toBe(250);
  expect((await socket.command('DATA')).code).toBe(354);
  return socket.command(`From: alice@example.com\r\nTo: bob@example.net\r\nSubject: ${subject}\r\n\r\nHello Bob.\r\n.`);
}

describe('a live session to a lab host', () => {
  it('is offered in the welcome, labelled with its personality and the learner\'s lab address', async () => {
    const socket = await ana.openSocket();
    const welcome = await socket.waitFor((m) => m.type === 'welcome');
    expect(welcome.targets).toContainEqual({ id: 'mx.example.net', label: expect.stringMatching(/mx\.example\.net.*Postfix/), labFrom: '203.0.113.99', personality: 'postfix' });
    expect(welcome.targets).toContainEqual(expect.objectContaining({ id: 'mx1.example.org', labFrom: '203.0.113.99', personality: 'exim' }));
    socket.close();
  });

  it('reaches the host as 203.0.113.99 in the learner\'s own world: her zone decides, her mailbox receives', async () => {
    const { records } = await ana.json<{ records: Record_[] }>('/api/world/dns');
    const edited = records.map((record) =>
      record.name === 'example.com' && record.type === 'TXT' ? { ...record, value: 'v=spf1 ip4:192.0.2.10 ip4:203.0.113.99 -all' } : record,
    );
    expect((await ana.put('/api/world/dns', { records: edited })).status).toBe(200);

    const anas = await ana.openSocket();
    expect(await openLabSession(anas, 'mx.example.net')).toMatch(/^220 mx\.example\.net ESMTP/);
    expect((await sendAsAlice(anas, 'from Ana')).code).toBe(250);
    anas.close();

    const bos = await bo.openSocket();
    await openLabSession(bos, 'mx.example.net');
    const refused = await sendAsAlice(bos, 'from Bo');
    expect(refused.raw).toMatch(/^550 5\.7\.1 .*DMARC.*example\.com/);
    bos.close();

    // The 250 means stored; the parse (and so the subject) follows in the capture worker.
    const anaMail = await parsedMailbox(ana);
    expect(anaMail.messages).toEqual([expect.objectContaining({ mailbox: 'bob@example.net', subject: 'from Ana' })]);
    const boMail = await bo.json<{ messages: unknown[] }>('/api/messages?mailbox=bob@example.net');
    expect(boMail.messages).toEqual([]);
  });
});

describe('the bridge\'s target list', () => {
  it('refuses a lab-host target when it has no lab network to reach it through', () => {
    const lab = { id: 'mx.example.net', label: 'Lab', host: '127.0.0.1', port: 1, labHost: { name: 'mx.example.net', fromIp: '203.0.113.99' } };
    expect(() => resolveTargets({ sandbox: { host: '127.0.0.1', port: 2 }, extraTargets: [lab] })).toThrow(/lab host.*no lab network/);
    const labNetwork = { connect: () => Promise.reject(new Error('not used')) };
    expect(resolveTargets({ sandbox: { host: '127.0.0.1', port: 2 }, extraTargets: [lab], labNetwork }).map((target) => target.id)).toEqual(['sandbox', 'mx.example.net']);
  });
});

type Mailbox = { messages: { mailbox: string; subject: string | null; parsed: boolean }[] };

/** Bob's lab mailbox once every message in it is parsed (at most 5 s). */
async function parsedMailbox(actor: Actor): Promise<Mailbox> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const mailbox = await actor.json<Mailbox>('/api/messages?mailbox=bob@example.net');
    if (mailbox.messages.every((message) => message.parsed) || Date.now() > deadline) return mailbox;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
