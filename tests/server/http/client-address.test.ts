/**
 * `--trusted-proxy`: who the per-address limits count a request against. From a trusted proxy
 * the right-most X-Forwarded-For entry (the one the proxy appended) is the client; from any
 * other peer the header is ignored, so a guesser cannot claim a fresh address per guess. Real
 * classroom servers, a real bridge and, last, the real HAProxy from deploy/haproxy.cfg.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import { WRONG_CODES_PER_MINUTE } from '../../../server/classroom/attempt-limits.ts';
import { clientAddressResolver } from '../../../server/http/client-address.ts';
import { BALANCER_NAME, haproxyInstalled, startHaproxy, type RunningHaproxy } from '../../support/haproxy.ts';
import { testConfig } from '../app/app-config.ts';
import { startBridge, startSandbox, WireClient, type RunningBridge, type RunningSandbox } from '../bridge/bridge-harness.ts';
import { CLASS_DOMAIN, instructorOf } from '../classroom/classroom-app.ts';

const WRONG_CODE = 'AAAAAA';

const apps: RunningApp[] = [];
afterAll(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close('test finished')));
});

async function classroomWith(flags: Record<string, string[]>): Promise<{ app: RunningApp; joinCode: string }> {
  const app = await startApp(testConfig({ classroom: true, 'class-domain': CLASS_DOMAIN, ...flags }));
  apps.push(app);
  const instructor = await instructorOf(app);
  const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
  return { app, joinCode };
}

/** A join attempt straight to the app (from 127.0.0.1), with an X-Forwarded-For header or none. */
async function joinStatus(app: RunningApp, code: string, forwardedFor?: string): Promise<number> {
  const response = await fetch(new URL('/api/class/join', app.urls.http), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) },
    body: JSON.stringify({ code, displayName: 'Visitor' }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Statuses of `count` wrong codes in a row, each with the header `forwardedFor(i)` gives. */
async function guesses(app: RunningApp, count: number, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await joinStatus(app, WRONG_CODE, forwardedFor(i)));
  return statuses;
}

const refusedThenLimited = [...Array<number>(WRONG_CODES_PER_MINUTE).fill(403), 429];

describe('the classroom limits, from a peer that is not a trusted proxy', () => {
  it('ignores X-Forwarded-For: a guesser forging a new address for every guess is still limited', async () => {
    const { app } = await classroomWith({});
    expect(await guesses(app, WRONG_CODES_PER_MINUTE + 1, (i) => `10.0.0.${i + 1}`)).toEqual(refusedThenLimited);
    expect(await joinStatus(app, WRONG_CODE, '10.0.0.200')).toBe(429);
  });

  it('ignores it when other proxies are trusted but not this peer', async () => {
    const { app } = await classroomWith({ 'trusted-proxy': ['10.1.1.1', '::2'] });
    expect(await guesses(app, WRONG_CODES_PER_MINUTE + 1, (i) => `10.0.0.${i + 1}`)).toEqual(refusedThenLimited);
  });
});

describe('the classroom limits behind a trusted proxy (--trusted-proxy 127.0.0.1)', () => {
  it('counts per forwarded client: each has its own budget, and one guesser is still limited', async () => {
    const { app, joinCode } = await classroomWith({ 'trusted-proxy': ['127.0.0.1'] });
    expect(await guesses(app, WRONG_CODES_PER_MINUTE + 1, () => '10.0.0.1')).toEqual(refusedThenLimited);
    // Entries before the right-most are whatever the client sent: they do not buy a new budget.
    expect(await joinStatus(app, WRONG_CODE, '10.0.0.99, 10.0.0.1')).toBe(429);
    // Another forwarded client has a budget of its own, and a right code still joins.
    expect(await guesses(app, 2, () => '10.0.0.2')).toEqual([403, 403]);
    expect(await joinStatus(app, joinCode, '10.0.0.2')).toBe(201);
    expect(await joinStatus(app, WRONG_CODE, '10.0.0.1, 10.0.0.3')).toBe(403);
  });

  it("counts a request without a usable entry against the proxy's own address", async () => {
    const { app } = await classroomWith({ 'trusted-proxy': ['127.0.0.1'] });
    expect(await guesses(app, WRONG_CODES_PER_MINUTE + 1, (i) => (i % 2 === 0 ? 'not-an-address' : ''))).toEqual(refusedThenLimited);
    expect(await joinStatus(app, WRONG_CODE)).toBe(429);
  });
});

describe("the bridge's session limit", () => {
  let sandbox: RunningSandbox;
  const bridges: RunningBridge[] = [];
  const clients: WireClient[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    const done = bridges.splice(0);
    await Promise.all(done.map((running) => running.close()));
    expect(done.flatMap((running) => running.errors)).toEqual([]);
  });
  afterAll(() => sandbox.sandbox.close());

  const bridgeTrusting = async (trusted: string[]) => {
    const running = await startBridge(sandbox.port, { limits: { maxSessionsPerAddress: 1 }, clientAddressOf: clientAddressResolver(trusted) });
    bridges.push(running);
    return running;
  };
  const connectAs = async (running: RunningBridge, forwardedFor: string) => {
    const client = await WireClient.greeted(running.url, { headers: { 'x-forwarded-for': forwardedFor } });
    clients.push(client);
    return client;
  };
  const refusal = async (client: WireClient) => {
    client.send({ type: 'session.open', target: 'sandbox' });
    return (await client.next('error')).code;
  };

  it('counts per forwarded client behind a trusted proxy', async () => {
    const running = await bridgeTrusting(['127.0.0.1']);
    const first = await connectAs(running, '10.0.0.1');
    await first.open();
    expect(await refusal(await connectAs(running, '10.0.0.99, 10.0.0.1'))).toBe('too_many_sessions');
    await (await connectAs(running, '10.0.0.2')).open();
    expect(running.bridge.sessions().map((session) => session.clientAddress).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('ignores forged X-Forwarded-For from a peer that is not trusted', async () => {
    const running = await bridgeTrusting([]);
    await (await connectAs(running, '10.0.0.1')).open();
    expect(await refusal(await connectAs(running, '10.0.0.2'))).toBe('too_many_sessions');
    expect(running.bridge.sessions().map((session) => session.clientAddress)).toEqual(['127.0.0.1']);
  });
});

describe('on a dual-stack listener (--http-host ::)', () => {
  it('matches an IPv4 proxy seen as ::ffff:127.0.0.1, and no other local address', async () => {
    const clientAddressOf = clientAddressResolver(['127.0.0.1']);
    const server = http.createServer((req, res) => res.end(clientAddressOf(req)));
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const addressSeen = async (host: string) =>
        (await fetch(`http://${host}:${port}/`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).text();
      expect(await addressSeen('127.0.0.1')).toBe('203.0.113.7');
      expect(await addressSeen('[::1]')).toBe('::1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** A join attempt through the balancer from a chosen loopback address (HAProxy appends it to X-Forwarded-For). */
function joinThrough(balancer: RunningHaproxy, localAddress: string, code: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ code, displayName: 'Visitor' });
    const request = http.request(
      new URL('api/class/join', balancer.httpBase),
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe.skipIf(!haproxyInstalled)('behind the real HAProxy (deploy/haproxy.cfg)', () => {
  let balancer: RunningHaproxy | undefined;
  afterAll(() => balancer?.stop());

  it("limits each student's address on its own, whatever X-Forwarded-For the student sends", async () => {
    const { app, joinCode } = await classroomWith({ 'trusted-proxy': ['127.0.0.1'], 'public-host': [BALANCER_NAME] });
    const backend = { httpPort: app.ports.http, smtpPort: app.ports.smtp };
    balancer = await startHaproxy({ a: backend, b: backend });
    const statuses: number[] = [];
    for (let i = 0; i <= WRONG_CODES_PER_MINUTE; i++) statuses.push(await joinThrough(balancer, '127.0.0.2', WRONG_CODE, `10.0.0.${i + 1}`));
    expect(statuses).toEqual(refusedThenLimited);
    expect(await joinThrough(balancer, '127.0.0.3', WRONG_CODE)).toBe(403);
    expect(await joinThrough(balancer, '127.0.0.3', joinCode)).toBe(201);
    expect(await joinThrough(balancer, '127.0.0.2', WRONG_CODE, '127.0.0.3')).toBe(429);
  });
});
