/**
 * A seeded fuzz of what the live process reads from strangers: SMTP bytes on the SMTP port
 * and WebSocket frames on /ws (tests/app/fuzz-inputs.ts). Deterministic and bounded: a fixed
 * seed, a fixed number of cases, a deadline on every connection. After each batch the
 * process is up, a learner who was connected all along still gets answers, a fresh learner
 * still sends a message to its 250 and finds it in the API, and memory has not run away.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../protocol/wire/contract.ts';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import { testConfig } from './app-config.ts';
import { smtpFuzzCase, wsFuzzCase, type SmtpFuzzCase, type WsFuzzCase } from './fuzz-inputs.ts';
import { LearnerClient } from './learner-client.ts';
import { waitForMessage } from './mailbox-api.ts';
import { RawSmtpClient } from './raw-smtp.ts';
import { SeededRandom } from './seeded-random.ts';

const SEED = 0x5eed_0009;
const BATCHES = 3;
const SMTP_CASES_PER_BATCH = 40;
const WS_CASES_PER_BATCH = 25;
const CONCURRENCY = 6;
/** How long a case keeps listening after its last write before it hangs up. */
const CASE_QUIET_MS = 250;
/** No case holds a connection longer than this, whatever the server does. */
const CASE_DEADLINE_MS = 3000;
const MiB = 1024 * 1024;
/** Generous: the inputs themselves (up to a few MB per case) live in this process too. */
const MAX_HEAP_GROWTH = 256 * MiB;
const MAX_RSS_GROWTH = 512 * MiB;
/** Program errors that must never reach the log, whatever a client sends. */
const BUG_IN_LOG = /TypeError|ReferenceError|RangeError|is not a function|Cannot read properties|Maximum call stack/;

function runSmtpCase(port: number, input: SmtpFuzzCase): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    const deadline = setTimeout(() => socket.destroy(), CASE_DEADLINE_MS);
    socket.once('close', () => {
      clearTimeout(deadline);
      resolve();
    });
    socket.once('connect', async () => {
      for (const chunk of input.chunks) {
        if (socket.destroyed) return;
        await new Promise<void>((written) => socket.write(chunk, () => written()));
      }
      if (input.halfClose) socket.end();
      setTimeout(() => socket.destroy(), CASE_QUIET_MS);
    });
  });
}

function runWsCase(url: string, input: WsFuzzCase): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const seen = new Set<string>();
    let wake: () => void = () => undefined;
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      seen.add(message.type);
      if (message.type === 'session.event') seen.add(message.event.type);
      wake();
    });
    const deadline = setTimeout(() => ws.terminate(), CASE_DEADLINE_MS);
    ws.once('close', () => {
      clearTimeout(deadline);
      wake();
      resolve();
    });
    ws.once('open', async () => {
      for (const step of input.frames) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if ('waitFor' in step) {
          while (!seen.has(step.waitFor) && ws.readyState === WebSocket.OPEN) await new Promise<void>((woken) => (wake = woken));
          continue;
        }
        await new Promise<void>((sent) => ws.send(step.data, { binary: step.binary }, () => sent()));
      }
      setTimeout(() => (input.abrupt ? ws.terminate() : ws.close()), CASE_QUIET_MS);
    });
  });
}

/** Runs `work` over `items`, `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** A fresh learner's whole message, from EHLO to its 250, then the message in the API. */
async function freshLearnerIsServed(app: RunningApp, subject: string): Promise<void> {
  const learner = await LearnerClient.open(app.urls.ws);
  try {
    expect((await learner.command('EHLO check.example')).code).toBe(250);
    expect((await learner.command('MAIL FROM:<check@example.com>')).code).toBe(250);
    expect((await learner.command('RCPT TO:<friend@example.org>')).code).toBe(250);
    expect((await learner.command('DATA')).code).toBe(354);
    expect((await learner.command(`Subject: ${subject}\r\n\r\nstill served\r\n.`)).code).toBe(250);
  } finally {
    learner.close();
  }
  await waitForMessage(app.urls.http, subject);
}

describe(`seeded fuzz of the SMTP port and /ws (seed ${SEED.toString(16)})`, () => {
  let app: RunningApp;
  const log: string[] = [];

  beforeAll(async () => {
    // Many short sessions from one address, back to back: the per-address limit has its own tests.
    app = await startApp(testConfig({ 'max-sessions-per-address': '200' }), { log: (line) => log.push(line) });
  });
  afterAll(() => app?.close('test finished'));

  it('stays up, keeps serving learners and stays within its memory', { timeout: 120_000 }, async () => {
    const random = new SeededRandom(SEED);
    await freshLearnerIsServed(app, 'before the fuzz');
    const bystander = await LearnerClient.open(app.urls.ws);
    expect((await bystander.command('EHLO bystander.example')).code).toBe(250);
    const before = process.memoryUsage();

    for (let batch = 1; batch <= BATCHES; batch++) {
      const smtpCases = Array.from({ length: SMTP_CASES_PER_BATCH }, () => smtpFuzzCase(random));
      const wsCases = Array.from({ length: WS_CASES_PER_BATCH }, () => wsFuzzCase(random));
      await Promise.all([
        inPool(smtpCases, CONCURRENCY, (input) => runSmtpCase(app.ports.smtp, input)),
        inPool(wsCases, CONCURRENCY, (input) => runWsCase(app.urls.ws, input)),
      ]);

      const health = await fetch(`${app.urls.http}api/health`);
      expect(health.status).toBe(200);
      expect((await bystander.command('NOOP')).code).toBe(250);
      const direct = await RawSmtpClient.connect(app.ports.smtp);
      expect((await direct.reply()).code).toBe(220);
      expect((await direct.command('EHLO direct.example')).code).toBe(250);
      direct.destroy();
      await freshLearnerIsServed(app, `after fuzz batch ${batch}`);

      const now = process.memoryUsage();
      expect({ batch, heapGrowthOk: now.heapUsed - before.heapUsed < MAX_HEAP_GROWTH, rssGrowthOk: now.rss - before.rss < MAX_RSS_GROWTH }).toEqual({
        batch,
        heapGrowthOk: true,
        rssGrowthOk: true,
      });
    }
    bystander.close();
    expect(log.filter((line) => BUG_IN_LOG.test(line))).toEqual([]);
  });
});
