import { afterEach, describe, expect, it, vi } from 'vitest';
import { statePath } from '../../../protocol/session/index.ts';
import { PERSONALITIES } from '../../../protocol/simulator/personalities/index.ts';
import type { ConnectionHooks, ConnectionOpener } from '../../../web/src/session/connection.ts';
import { LabSession } from '../../../web/src/session/lab-session.svelte.ts';
import { readReplayHash } from '../../../web/src/session/replay-link.ts';

const sessions: LabSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

function simulated(): LabSession {
  const session = new LabSession();
  sessions.push(session);
  return session;
}

const state = (session: LabSession): string => statePath(session.snapshot.value);

/** Waits until the model is in `expected` (the simulator answers on later tasks). */
async function until(session: LabSession, expected: string): Promise<void> {
  await vi.waitFor(() => expect(state(session)).toBe(expected), { timeout: 3000, interval: 5 });
}

/** A simulated session past the greeting and EHLO client.example.com. */
async function identified(): Promise<LabSession> {
  const session = simulated();
  await until(session, 'greeted');
  session.sendText('EHLO client.example.com');
  await until(session, 'identified.idle');
  return session;
}

/** Sends each line once the model has paired every earlier line with its reply. */
async function sendInTurn(session: LabSession, lines: readonly string[]): Promise<void> {
  for (const line of lines) {
    session.sendText(line);
    await vi.waitFor(() => expect(session.snapshot.context.pending).toHaveLength(0), { interval: 5 });
  }
}

const CONVERSATION = [
  'EHLO client.example.com',
  'AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==',
  'MAIL FROM:<student@example.com>',
  'RCPT TO:<alice@example.org>',
  'RCPT TO:<bob@example.org>',
  'DATA',
];

describe('LabSession in simulated mode', () => {
  it('plays a whole conversation and puts the message in the mailbox', async () => {
    const session = simulated();
    expect(session.mode).toBe('simulated');
    await until(session, 'greeted');
    expect(session.connection.status).toBe('open');
    await sendInTurn(session, CONVERSATION);
    expect(state(session)).toBe('data');
    expect(session.snapshot.context.auth?.user).toBe('student');
    session.sendText('Subject: Hello\r\n\r\n..a line that starts with a dot\r\n.');
    await until(session, 'identified.idle');
    await vi.waitFor(() => expect(session.messages).toHaveLength(1), { interval: 5 });
    const [message] = session.messages;
    expect(message?.source).toBe('simulated');
    expect(message?.rcptTo).toEqual(['alice@example.org', 'bob@example.org']);
    expect(message?.raw).toContain('\r\n.a line that starts with a dot\r\n');
    session.sendText('QUIT');
    await until(session, 'closed');
    await vi.waitFor(() => expect(session.connection.status).toBe('closed'), { interval: 5 });
    const transcript = session.liveView.transcript;
    expect(transcript.filter((entry) => entry.from === 'client').map((entry) => entry.text)).toContain('..a line that starts with a dot');
    expect(session.liveView.summary.label).toBe('Connection closed');
  });

  it('keeps a long message bounded in the transcript, the recording and time travel, and mails it whole', async () => {
    const session = simulated();
    await until(session, 'greeted');
    await sendInTurn(session, ['EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA']);
    const lines = Array.from({ length: 3000 }, (_, n) => `line ${n + 1}`);
    session.sendText(`${lines.join('\r\n')}\r\n.`);
    await until(session, 'identified.idle');
    await vi.waitFor(() => expect(session.messages).toHaveLength(1), { interval: 5 });
    expect(session.messages[0]?.raw).toContain('line 1500\r\n');
    expect(session.snapshot.context.messages[0]?.bytes).toBe(lines.reduce((sum, line) => sum + line.length + 2, 0));

    const transcript = session.liveView.transcript;
    expect(transcript.filter((entry) => entry.role === 'message-data')).toHaveLength(70);
    expect(transcript.find((entry) => entry.role === 'elided')?.text).toMatch(/^… 2,930 more lines \(.+\) not kept$/);
    expect(session.events.filter((event) => event.type === 'client.line').length).toBeLessThan(100);
    expect(session.events.filter((event) => event.type === 'client.elided')).toEqual([{ type: 'client.elided', lines: 2930, bytes: expect.any(Number) }]);
    session.travelTo(session.steps);
    expect(session.view.transcript.map((entry) => entry.text)).toEqual(transcript.map((entry) => entry.text));
  });

  it('pipelines a pasted transaction when the server offers PIPELINING', async () => {
    const session = await identified();
    session.sendText('MAIL FROM:<a@example.com>\nRCPT TO:<b@example.org>\nDATA\nSubject: x\n\nhi\n.\nQUIT');
    await until(session, 'closed');
    const pipelined = session.liveView.transcript.filter((entry) => entry.notes.some((note) => /pipelin/i.test(note)));
    expect(pipelined.length).toBeGreaterThan(0);
    expect(session.messages).toHaveLength(1);
  });

  it('leaves the state unchanged when the server rejects a command', async () => {
    const session = await identified();
    session.sendText('RCPT TO:<b@example.org>');
    await vi.waitFor(() => expect(session.liveView.transcript.at(-1)?.reply?.code).toBe(503), { interval: 5 });
    expect(state(session)).toBe('identified.idle');
  });

  it('steps back in time by replaying the first events into a fresh model', async () => {
    const session = await identified();
    await vi.waitFor(() => expect(session.steps).toBe(4), { interval: 5 });
    session.travelTo(2);
    expect(session.position).toBe(2);
    expect(session.view.summary.state).toBe('greeted');
    expect(session.view.transcript).toHaveLength(2);
    expect(session.view.lastTransition).toEqual({ from: 'awaitingGreeting', to: 'greeted' });
    session.travelTo(0);
    expect(session.view.summary.state).toBe('disconnected');
    session.travelTo(null);
    expect(session.view.summary.state).toBe('identified.idle');
  });

  it('exports an RFC-style transcript and a replay link with the client lines', async () => {
    const session = await identified();
    const text = session.exportTranscript();
    expect(text).toMatch(/^-- connected to .+ --\nS: 220 /);
    expect(text).toContain('C: EHLO client.example.com\n');
    expect(text).toContain('S: 250-sandbox.smtp-lab.test');
    const link = session.replayLink('http://localhost:8025/app#old');
    expect(link.startsWith('http://localhost:8025/app#replay=')).toBe(true);
    expect(readReplayHash(link.slice(link.indexOf('#')))).toEqual({ kind: 'lines', lines: ['EHLO client.example.com'] });
  });

  it('replays a link in simulated mode, one reply at a time', async () => {
    const session = simulated();
    session.replay(['EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', 'Subject: x', '', '.', 'QUIT']);
    await until(session, 'closed');
    const clientLines = session.events.flatMap((event) => (event.type === 'client.line' ? [event.text] : []));
    expect(clientLines).toEqual(['EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', 'Subject: x', '', '.', 'QUIT']);
    const pipelined = session.liveView.transcript.filter((entry) => entry.notes.some((note) => /pipelin/i.test(note)));
    expect(pipelined).toHaveLength(0);
    expect(session.messages).toHaveLength(1);
  });

  it('holds a line typed after the connection closed, and sends it in a new session on request', async () => {
    const session = simulated();
    await until(session, 'greeted');
    session.sendText('QUIT');
    await vi.waitFor(() => expect(session.connection.status).toBe('closed'), { interval: 5 });
    expect(session.connection.message).not.toMatch(/try again/);
    session.sendText('EHLO again.example.com');
    expect(session.held).toBe('EHLO again.example.com');
    expect(session.events.some((event) => event.type === 'client.line' && event.text === 'EHLO again.example.com')).toBe(false);

    session.sendHeldInNewSession();
    expect(session.held).toBeNull();
    await until(session, 'identified.idle');
    const clientLines = session.events.flatMap((event) => (event.type === 'client.line' ? [event.text] : []));
    expect(clientLines).toEqual(['EHLO again.example.com']);
  });

  it('forgets a held line when asked, or when a new session starts', async () => {
    const session = simulated();
    await until(session, 'greeted');
    session.sendText('QUIT');
    await vi.waitFor(() => expect(session.connection.status).toBe('closed'), { interval: 5 });
    session.sendText('NOOP');
    session.dropHeld();
    expect(session.held).toBeNull();
    session.sendText('NOOP');
    session.newSession();
    expect(session.held).toBeNull();
  });

  it('starts a new session (and a new model) when the mode changes', async () => {
    const opened: ConnectionHooks[] = [];
    const fakeLive: ConnectionOpener = (hooks) => {
      opened.push(hooks);
      hooks.status({ status: 'open', message: 'fake live' });
      hooks.event({ type: 'socket.opened', server: 'live.test:25' });
      return { send: () => true, deleteMessage: () => undefined, deleteAllMessages: () => undefined, dispose: () => undefined };
    };
    const session = new LabSession({ openLive: () => Promise.resolve(fakeLive) });
    sessions.push(session);
    await until(session, 'greeted');
    session.setMode('live');
    expect(session.mode).toBe('live');
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    expect(state(session)).toBe('awaitingGreeting');
    expect(session.connection.message).toBe('fake live');
    expect(session.events).toEqual([{ type: 'socket.opened', server: 'live.test:25' }]);
  });

  it('explains a lab host in its own personality once the target list names it, and any other live server as smtp-server', async () => {
    const opened: ConnectionHooks[] = [];
    const fakeLive: ConnectionOpener = (hooks) => {
      opened.push(hooks);
      // As the bridge does: the welcome's targets first, then the TCP connection.
      hooks.targets([
        { id: 'mx.example.net', label: 'Lab: mx.example.net (Postfix)', labFrom: '203.0.113.99', personality: 'postfix' },
        { id: 'sandbox', label: 'Sandbox' },
        { id: '127.0.0.1:25', label: 'Live server 127.0.0.1:25' },
      ]);
      hooks.status({ status: 'open', message: 'fake live' });
      hooks.event({ type: 'socket.opened', server: 'mx.example.net:25' });
      return { send: () => true, deleteMessage: () => undefined, deleteAllMessages: () => undefined, dispose: () => undefined };
    };
    const session = new LabSession({ openLive: () => Promise.resolve(fakeLive) });
    sessions.push(session);
    session.setMode('live');
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    expect(session.snapshot.context.personality).toBe('postfix');
    expect(session.notesServer).toBe('postfix');
    // The lab host's own mailboxes are suggested, not the lab Postfix's lab.test (it refuses those).
    expect(session.snapshot.context.recipients).toEqual(['alice@example.net', 'bob@example.net']);
    session.setTarget('sandbox');
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    expect(session.snapshot.context.personality).toBe('smtp-server');
    expect(session.notesServer).toBe('smtp-server');
    expect(session.snapshot.context.recipients).toEqual(PERSONALITIES['smtp-server'].suggestedRecipients);
    // A server of unknown kind is still explained by the RFC rules, but quoted as no server.
    session.setTarget('127.0.0.1:25');
    await vi.waitFor(() => expect(opened).toHaveLength(3));
    expect(session.snapshot.context.personality).toBe('smtp-server');
    expect(session.notesServer).toBeNull();
  });

  it('counts every message of the live mailbox, not only its listed newest page', async () => {
    const opened: ConnectionHooks[] = [];
    const fakeLive: ConnectionOpener = (hooks) => {
      opened.push(hooks);
      hooks.status({ status: 'open', message: 'fake live' });
      return { send: () => true, deleteMessage: () => undefined, deleteAllMessages: () => undefined, dispose: () => undefined };
    };
    const session = new LabSession({ openLive: () => Promise.resolve(fakeLive) });
    sessions.push(session);
    session.setMode('live');
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const hooks = opened[0]!;
    const message = (id: string) => ({ id, source: 'live' as const, receivedAt: '2026-01-01T00:00:00.000Z', mailFrom: 'a@example.com', rcptTo: ['b@example.org'], queueId: null, size: 1, raw: null, rawUrl: null, htmlUrl: null, messageUrl: null, headline: null });
    hooks.mailbox({ kind: 'replace', messages: [message('3'), message('2')], total: 250 });
    expect(session.messages).toHaveLength(2);
    expect(session.messageCount).toBe(250);
    hooks.mailbox({ kind: 'add', message: message('4') });
    expect(session.messageCount).toBe(251);
    hooks.mailbox({ kind: 'remove', id: '2' });
    expect(session.messageCount).toBe(250);
  });
});
