import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionActor, summarizeSession, type SessionActor } from '../../../protocol/session/index.ts';
import { fromWireEvent, WIRE_PROTOCOL_VERSION, CLOSE_VERSION_MISMATCH, type WireSessionEvent } from '../../../protocol/wire/contract.ts';
import { DirectClient, startBridge, startSandbox, WireClient, type RunningBridge, type RunningSandbox } from './bridge-harness.ts';

let sandbox: RunningSandbox;
let running: RunningBridge;

beforeAll(async () => {
  sandbox = await startSandbox();
  running = await startBridge(sandbox.port);
});
afterAll(async () => {
  await running.close();
  await sandbox.sandbox.close();
});

const plain = Buffer.from('\0student\0learn-smtp').toString('base64');
/** Each step: the text sent and how many replies it gets. The first step is the greeting. */
const CONVERSATION: readonly (readonly [string, number])[] = [
  ['', 1],
  ['EHLO learner.test\r\n', 1],
  [`AUTH PLAIN ${plain}\r\n`, 1],
  ['MAIL FROM:<ada@lab.test>\r\n', 1],
  ['RCPT TO:<bob@example.org>\r\n', 1],
  ['RCPT TO:<carol@example.net>\r\n', 1],
  ['DATA\r\n', 1],
  ['Subject: dots\r\n\r\nfirst line\r\n..a line that starts with a dot\r\n.\r\n', 1],
  ['QUIT\r\n', 1],
];

/** Queue ids differ per message; everything else must match byte for byte. */
const normalize = (text: string) => text.replace(/queued as [A-Za-z0-9]+/g, 'queued as <id>');

describe('hello and welcome', () => {
  it('answers hello with the version, the targets and the limits', async () => {
    const client = await WireClient.connect(running.url);
    client.send({ type: 'hello', version: WIRE_PROTOCOL_VERSION });
    const welcome = await client.next('welcome');
    expect(welcome.version).toBe(WIRE_PROTOCOL_VERSION);
    expect(welcome.targets).toEqual([{ id: 'sandbox', label: `SMTP Lab sandbox (127.0.0.1:${sandbox.port})` }]);
    expect(welcome.limits).toEqual(running.bridge.limits);
    client.close();
  });

  it('refuses another protocol version and closes with 4000', async () => {
    const client = await WireClient.connect(running.url);
    client.send({ type: 'hello', version: WIRE_PROTOCOL_VERSION + 1 });
    const error = await client.next('error');
    expect(error.code).toBe('version_mismatch');
    expect(error.message).toContain(`version ${WIRE_PROTOCOL_VERSION}, not ${WIRE_PROTOCOL_VERSION + 1}`);
    expect(await client.closed).toEqual({ code: CLOSE_VERSION_MISMATCH, reason: 'wire protocol version mismatch' });
  });

  it('asks for hello before anything but ping', async () => {
    const client = await WireClient.connect(running.url);
    client.send({ type: 'ping' });
    await client.next('pong');
    client.send({ type: 'session.open', target: 'sandbox' });
    expect((await client.next('error')).code).toBe('hello_required');
    client.close();
  });
});

describe('a whole conversation through the bridge', () => {
  it('shows exactly the bytes a direct TCP client sees, and events a model explains', async () => {
    const direct = await DirectClient.connect(sandbox.port);
    let replies = 0;
    for (const [text, count] of CONVERSATION) {
      if (text) direct.write(text);
      replies += count;
      await direct.waitForReplies(replies);
    }
    await direct.closed();

    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    for (const [text, count] of CONVERSATION.slice(1)) await client.exchange(text, count);
    const closed = await client.next('session.closed');

    const events = client.events();
    const serverRaw = events.map((e) => (e.type === 'server.reply' ? e.raw : '')).join('');
    expect(normalize(serverRaw)).toBe(normalize(direct.received));
    expect(serverRaw).toContain('\r\n');
    const clientRaw = events.map((e) => (e.type === 'client.line' ? e.raw : '')).join('');
    expect(clientRaw).toBe(CONVERSATION.map(([text]) => text).join(''));
    expect(events[0]).toEqual({ type: 'socket.opened', server: `127.0.0.1:${sandbox.port}` });
    expect(events.at(-1)).toEqual({ type: 'socket.closed', reason: closed.reason });
    expect(events.filter((e) => e.type === 'client.line').map((e) => e.type === 'client.line' && e.text)).toContain(
      '..a line that starts with a dot',
    );

    expect(closed).toMatchObject({ sessionId, by: 'server' });
    expect(closed.reason).toMatch(/^the SMTP server closed the connection after "221 /);

    const message = sandbox.messages.at(-1)!;
    expect(message.rcptTo).toEqual(['bob@example.org', 'carol@example.net']);
    expect(message.authenticatedUser).toBe('student');
    expect(message.raw.toString()).toBe('Subject: dots\r\n\r\nfirst line\r\n.a line that starts with a dot\r\n');

    // The wire carries events; the browser's session model explains them.
    const model = modelOf(events);
    const entries = model.transcript;
    const ehlo = entries.find((entry) => entry.text === 'EHLO learner.test');
    expect(ehlo).toMatchObject({ from: 'client', role: 'command' });
    expect(ehlo!.explanation.length).toBeGreaterThan(0);
    expect(entries.some((entry) => entry.role === 'message-data' && entry.text === '..a line that starts with a dot')).toBe(true);
    const summary = summarizeSession(model.getSnapshot());
    expect(summary.messages[0]).toMatchObject({ sender: 'ada@lab.test', recipients: ['bob@example.org', 'carol@example.net'] });
    expect(summary.auth).toEqual({ mechanism: 'PLAIN', user: 'student' });
    expect(summary.state).toBe('closed');
    expect(client.messages.some((m) => (m.type as string) === 'session.annotation')).toBe(false);
    expect(client.invalid).toEqual([]);
    client.close();
  });

  it('answers pipelined commands in order', async () => {
    const client = await WireClient.greeted(running.url);
    await client.open();
    await client.exchange('EHLO pipeliner.test\r\n');
    const replies = await client.exchange('MAIL FROM:<a@lab.test>\r\nRCPT TO:<b@lab.test>\r\nRCPT TO:<no-brackets\r\nNOOP\r\n', 4);
    expect(replies.map((r) => r.reply.code)).toEqual([250, 250, 501, 250]);
    const lines = client.events().flatMap((e) => (e.type === 'client.line' ? [e.text] : []));
    expect(lines.slice(-4)).toEqual(['MAIL FROM:<a@lab.test>', 'RCPT TO:<b@lab.test>', 'RCPT TO:<no-brackets', 'NOOP']);
    const bridged = running.bridge.sessions().find((s) => s.state.startsWith('identified.transaction'));
    expect(bridged).toMatchObject({ namespace: 'default', target: 'sandbox', label: 'Mail transaction: recipients accepted' });
    client.send({ type: 'session.close' });
    expect(await client.next('session.closed')).toMatchObject({ by: 'client', reason: 'you closed the session' });
    client.close();
  });

  it('upgrades to TLS after 220 to STARTTLS and goes on encrypted', async () => {
    const client = await WireClient.greeted(running.url);
    const sessionId = await client.open();
    await client.exchange('EHLO secure.test\r\n');
    const [ready] = await client.exchange('STARTTLS\r\n');
    expect(ready!.reply.code).toBe(220);
    const established = await client.nextEvent('tls.established');
    expect(established.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(established.tls.cipher).toMatch(/^TLS_|_/);
    expect(established.tls.simulated).toBe(false);
    const [ehlo] = await client.exchange('EHLO secure.test\r\n');
    expect(ehlo!.reply.code).toBe(250);
    expect(ehlo!.reply.lines.join('\n')).not.toContain('STARTTLS');
    await client.exchange('MAIL FROM:<tls@lab.test>\r\nRCPT TO:<x@lab.test>\r\nDATA\r\n', 3);
    const [accepted] = await client.exchange('Subject: secret\r\n\r\nover TLS\r\n.\r\n');
    expect(accepted!.reply.code).toBe(250);
    const message = sandbox.messages.find((m) => m.mailFrom === 'tls@lab.test')!;
    expect(message.secure).toBe(true);
    expect(summarizeSession(modelOf(client.events()).getSnapshot()).tls?.protocol).toBe(established.tls.protocol);
    expect(running.bridge.summaryOf(sessionId)?.tls?.cipher).toBe(established.tls.cipher);
    client.close();
    await client.closed;
  });

  it('holds text sent during the TLS handshake and writes it encrypted afterwards', async () => {
    const client = await WireClient.greeted(running.url);
    await client.open();
    await client.exchange('EHLO quick.test\r\n');
    await client.exchange('STARTTLS\r\n');
    // Sent the moment the 220 arrives, most likely while the bridge is still handshaking.
    const [ehlo] = await client.exchange('EHLO quick.test\r\n');
    expect(ehlo!.reply.code).toBe(250);
    const kinds = client.events().map((e) => (e.type === 'client.line' ? e.text : e.type));
    expect(kinds.slice(-4)).toEqual(['server.reply', 'tls.established', 'EHLO quick.test', 'server.reply']);
    client.close();
    await client.closed;
  });
});

/** A session model fed with the wire events, as the browser feeds its own. */
function modelOf(events: readonly WireSessionEvent[]): SessionActor {
  const model = createSessionActor();
  for (const event of events.map(fromWireEvent)) if (event.type !== 'server.unreadable') model.send(event);
  return model;
}
