/**
 * GET /api/messages/:id/journey over real HTTP, for mail that really moved: the relay worker
 * takes an outbound row from the queue in real SQLite, signs it for example.com and speaks
 * SMTP over real TCP to the lab network's mx.example.net, which authenticates it with the lab
 * resolver and delivers it. No real DNS or UDP once everything listens.
 */
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { journeySchema, type Journey } from '../../../protocol/world/journey.ts';
import { signOutbound } from '../../../server/world/mail-auth/sign-outbound.ts';
import type { RelayWorker } from '../../../server/world/outbound/relay-worker.ts';
import { keysPerFile, message, worldZone } from '../world/mail-auth/auth-fixtures.ts';
import { installNoNetworkGuard, type NoNetworkGuard } from '../world/no-network-guard.ts';
import { captureForRelay, LAB_START, startJourneyRelay, startJourneyWorld, type JourneyWorld } from './journey-world.ts';

const RAW = message('Alice <alice@example.com>');

const signing = keysPerFile();

let world: JourneyWorld | null = null;
let worker: RelayWorker | null = null;
let guard: NoNetworkGuard | null = null;

afterEach(async () => {
  const calls = guard?.calls();
  guard?.restore();
  guard = null;
  await worker?.stop();
  worker = null;
  await world?.server.close();
  await world?.lab.close();
  world?.db.close();
  world = null;
  expect(calls).toEqual([]);
});

async function start(): Promise<JourneyWorld> {
  world = await startJourneyWorld(worldZone(signing.keys));
  guard = installNoNetworkGuard();
  return world;
}

/** What the sandbox captured from the learner's client, and the outbound row it made for bob@example.net. */
function submit(started: JourneyWorld): Promise<number> {
  return captureForRelay(started, Buffer.from(RAW), 'bob@example.net');
}

function relay(started: JourneyWorld): void {
  worker = startJourneyRelay(started, worldZone(signing.keys), async (raw, domain) => (await signOutbound(raw, domain, signing.keys)).raw);
}

/** Waits (bounded: 200 checks, 10 s) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function journeyOf({ server }: JourneyWorld, id: number | string, namespace = 'default'): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.base}/api/messages/${id}/journey`, { headers: { 'x-namespace': namespace } });
  return { status: response.status, body: await response.json() };
}

const route = (journey: Journey) => journey.hops.map((hop) => `${hop.kind} ${hop.from.host} [${hop.from.ip}] → ${hop.to.host} [${hop.to.ip}] ${hop.outcome}`);

describe('GET /api/messages/:id/journey', () => {
  it('shows a relayed message hop by hop: client → sandbox → mx.example.net → mailbox, with the receiver verdicts and lookups', async () => {
    const started = await start();
    const capturedId = await submit(started);
    relay(started);
    await until(async () => (await started.queue.get(1))?.state === 'delivered', 'delivery');
    const [copy] = (await started.store.list('default', { mailbox: 'bob@example.net' })).messages;

    const { status, body } = await journeyOf(started, copy!.id);
    expect(status).toBe(200);
    const journey = journeySchema.parse(body);
    expect(route(journey)).toEqual([
      'submission laptop [127.0.0.1] → mail.example.com [192.0.2.10] accepted',
      'relay mail.example.com [192.0.2.10] → mx.example.net [198.51.100.20] delivered',
      'delivery mx.example.net [198.51.100.20] → bob@example.net [null] delivered',
    ]);
    const [, relayed, delivered] = journey.hops;
    expect(relayed?.personality).toBe('postfix');
    expect(relayed?.lookups.map((lookup) => `${lookup.type} ${lookup.name}`)).toContain('MX example.net');
    expect(relayed?.transcript.map((line) => line.text)).toContain('DATA');
    expect(delivered?.lookups.map((lookup) => `${lookup.type} ${lookup.name}`)).toEqual(
      expect.arrayContaining(['TXT example.com', 'TXT lab._domainkey.example.com', 'TXT _dmarc.example.com']),
    );
    expect(delivered?.labTime).toBe(LAB_START);
    expect(journey.authentication?.spf).toMatchObject({ result: 'pass', mechanism: 'ip4:192.0.2.10', lookups: { count: expect.any(Number), limit: 10 } });
    expect(journey.authentication?.dkim.signatures).toEqual([expect.objectContaining({ domain: 'example.com', rfcResult: 'pass', bodyHash: expect.objectContaining({ matches: true }) })]);
    expect(journey.authentication?.dmarc).toMatchObject({ result: 'pass', fromDomain: 'example.com', policy: 'reject', alignment: { spfAligned: 'example.com', dkimAligned: 'example.com' } });
    expect(journey.disposition).toBe('DMARC passed: delivered.');
    expect(journey.outbound).toEqual([{ id: 1, recipient: 'bob@example.net', state: 'delivered', lastReply: expect.stringMatching(/^250 /), dsn: 'none' }]);

    // The sender's own copy shows the way out, without a receiver's verdicts.
    const sent = journeySchema.parse((await journeyOf(started, capturedId)).body);
    expect(route(sent)).toEqual(route(journey).slice(0, 2));
    expect(sent).toMatchObject({ mailbox: null, authentication: null });
  });

  it('shows a message a client took to a lab MX itself as client → MX → mailbox, and a captured-only one as its single hop', async () => {
    const started = await start();
    const socket = await started.lab.connect({ fromIp: '192.0.2.10', toHost: 'mx.example.net', namespace: 'default' });
    const transport = nodemailer.createTransport({ connection: socket, name: 'mail.example.com', ignoreTLS: true, socketTimeout: 10_000 } as never);
    try {
      await transport.sendMail({ envelope: { from: 'alice@example.com', to: ['carol@example.net'] }, raw: (await signOutbound(RAW, 'example.com', signing.keys)).raw });
    } finally {
      transport.close();
      socket.destroy();
    }
    const [copy] = (await started.store.list('default', { mailbox: 'carol@example.net' })).messages;
    const direct = journeySchema.parse((await journeyOf(started, copy!.id)).body);
    expect(route(direct)).toEqual([
      'relay mail.example.com [192.0.2.10] → mx.example.net [198.51.100.20] delivered',
      'delivery mx.example.net [198.51.100.20] → carol@example.net [null] delivered',
    ]);
    expect(direct.authentication?.dmarc.result).toBe('pass');
    expect(direct.outbound).toEqual([]);

    const capturedId = await submit(started);
    const captured = journeySchema.parse((await journeyOf(started, capturedId)).body);
    expect(route(captured)).toEqual(['submission laptop [127.0.0.1] → mail.example.com [192.0.2.10] accepted']);
    // With no outbound row (the sandbox relayed nothing) the capture is all there is.
    started.db.prepare('DELETE FROM outbound_queue').run();
    const alone = journeySchema.parse((await journeyOf(started, capturedId)).body);
    expect(alone.hops.map((hop) => hop.outcome)).toEqual(['captured']);
  });

  it("answers 404 for another student's message or an unknown id, and 400 for a bad id", async () => {
    const started = await start();
    const capturedId = await submit(started);
    expect((await journeyOf(started, capturedId, 'someone-else')).status).toBe(404);
    expect((await journeyOf(started, capturedId + 1000)).status).toBe(404);
    expect((await journeyOf(started, 'abc')).status).toBe(400);
  });
});
