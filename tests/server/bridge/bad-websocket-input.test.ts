import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, startSandbox, WireClient, type RunningBridge, type RunningSandbox } from './bridge-harness.ts';

let sandbox: RunningSandbox;
let running: RunningBridge;

beforeAll(async () => {
  sandbox = await startSandbox();
  running = await startBridge(sandbox.port, {
    limits: { maxPayloadBytes: 2_000_000, maxSendBytes: 1_500_000, commandsPerSecond: 5, commandBurst: 10 },
  });
});
afterAll(async () => {
  await running.close();
  await sandbox.sandbox.close();
});

/** A session on the sandbox that has said EHLO, to prove the bridge still serves others. */
async function bystander(): Promise<WireClient> {
  const client = await WireClient.greeted(running.url);
  await client.open();
  await client.exchange('EHLO bystander.test\r\n');
  return client;
}

async function stillWorks(client: WireClient): Promise<void> {
  const [reply] = await client.exchange('NOOP\r\n');
  expect(reply!.reply.code).toBe(250);
}

describe('invalid messages get an error and the connection stays usable', () => {
  const cases: readonly (readonly [string, string, string, RegExp])[] = [
    ['malformed JSON', '{"type": "ping"', 'invalid_json', /^The message is not valid JSON/],
    ['a JSON array', '[1, 2]', 'invalid_message', /must be a JSON object with a "type" field, not an array/],
    ['no type', '{"text": "EHLO x"}', 'invalid_message', /"type" field is missing.*expected one of: hello, session\.open/],
    ['an unknown type', '{"type": "session.opne"}', 'invalid_message', /^Unknown message type "session\.opne"/],
    ['a wrong field type', '{"type": "session.send", "text": 42}', 'invalid_message', /"session\.send" message: field "text" expected string, received number/],
    ['a misspelled field', '{"type": "session.open", "targt": "sandbox"}', 'invalid_message', /targt/],
  ];

  it.each(cases)('%s', async (_name, frame, code, message) => {
    const client = await WireClient.greeted(running.url);
    client.send(frame);
    const error = await client.next('error');
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    client.send({ type: 'ping' });
    await client.next('pong');
    client.close();
  });

  it('refuses binary frames', async () => {
    const client = await WireClient.greeted(running.url);
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect((await client.next('error')).code).toBe('binary_not_supported');
    client.send({ type: 'ping' });
    await client.next('pong');
    client.close();
  });

  it('refuses an unknown target, a second session and sending without a session', async () => {
    const client = await WireClient.greeted(running.url);
    client.send({ type: 'session.send', text: 'EHLO x\r\n' });
    expect((await client.next('error')).code).toBe('no_session');
    client.send({ type: 'session.open', target: 'smtp.gmail.com:25' });
    const unknown = await client.next('error');
    expect(unknown).toMatchObject({ code: 'unknown_target', message: 'There is no target "smtp.gmail.com:25"; pick one of "sandbox".' });
    // A huge target id is refused as a bad message, not echoed back in full.
    client.send({ type: 'session.open', target: 'x'.repeat(100_000) });
    const huge = await client.next('error');
    expect(huge.code).not.toBe('unknown_target');
    expect(JSON.stringify(huge).length).toBeLessThan(1000);
    await client.open();
    client.send({ type: 'session.open', target: 'sandbox' });
    expect((await client.next('error')).code).toBe('session_already_open');
    await stillWorks(client);
    client.close();
  });
});

describe('hostile input leaves the process up and other sessions unaffected', () => {
  it('closes a connection whose frame is larger than maxPayload with 1009', async () => {
    const other = await bystander();
    const client = await WireClient.greeted(running.url);
    client.send({ type: 'session.send', text: 'x'.repeat(2_100_000) });
    expect((await client.closed).code).toBe(1009);
    await stillWorks(other);
    other.close();
  });

  it('refuses a text above maxSendBytes without sending it', async () => {
    const client = await WireClient.greeted(running.url);
    await client.open();
    client.send({ type: 'session.send', text: 'y'.repeat(1_600_000) });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'text_too_long', message: 'This text is 1600000 bytes; one session.send may carry at most 1500000. It was not sent.' });
    await stillWorks(client);
    client.close();
  });

  it('passes garbage bytes on, and reports the 421 that ends a 1 MB line', async () => {
    const other = await bystander();
    const client = await WireClient.greeted(running.url);
    await client.open();
    const [garbage] = await client.exchange('\u0000\u0001\u00ff\u{1F4A5}\u001b[31m\r\n');
    expect(garbage!.reply.code).toBe(500);
    client.send({ type: 'session.send', text: 'A'.repeat(1_000_000) + '\r\n' });
    const closed = await client.next('session.closed');
    expect(closed.by).toBe('server');
    expect(closed.reason).toMatch(/^the SMTP server closed the connection after "421 .*line too long/i);
    const lastReply = client.events().flatMap((e) => (e.type === 'server.reply' ? [e.reply] : [])).at(-1);
    expect(lastReply?.code).toBe(421);
    await stillWorks(other);
    other.close();
    client.close();
  });

  it('drops a flood beyond the rate limit instead of forwarding it', async () => {
    const other = await bystander();
    const client = await WireClient.greeted(running.url);
    await client.open();
    const before = running.bridge.stats().rateLimitedTotal;
    const sent = 60;
    for (let i = 0; i < sent; i++) client.send({ type: 'session.send', text: 'NOOP\r\n' });
    client.send({ type: 'ping' });
    await client.next('pong');
    const limited = client.messages.filter((m) => m.type === 'error' && m.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(running.bridge.stats().rateLimitedTotal - before).toBe(limited);
    const forwarded = client.events().filter((e) => e.type === 'client.line').length;
    expect(forwarded).toBe(sent - limited);
    // Every forwarded NOOP gets its reply; nothing else reached the server.
    for (let i = 0; i < forwarded; i++) await client.nextEvent('server.reply');
    await stillWorks(other);
    other.close();
    client.close();
  });
});
