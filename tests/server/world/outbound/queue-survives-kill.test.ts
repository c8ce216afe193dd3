/**
 * A 250 from the sandbox means the message is queued on disk: the real `smtp-lab serve` takes
 * mail for example.net while example.net's MX cannot be reached (the learner's zone points it
 * at a host that does not listen), the messages wait in the outbound queue, the process is
 * killed with SIGKILL, and after a restart (and the zone reset) every one of them is delivered.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from '../../app/serve-process.ts';

const run = promisify(execFile);
const SUBJECTS = ['queued one', 'queued two', 'queued three'];

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const serve of running.splice(0)) await serve.stop();
});

async function serve(dataDir: string, args: readonly string[] = []): Promise<ServeProcess> {
  const started = await startServeProcess({ dataDir, args });
  running.push(started);
  return started;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** Polls `read` until it returns a value (bounded in time). */
async function eventually<T>(read: () => Promise<T | null>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface QueueItem {
  readonly to: string;
  readonly state: string;
  readonly lastReply: string | null;
}

describe('the outbound queue across a SIGKILL', () => {
  it('delivers after a restart what the sandbox acknowledged before the kill', async () => {
    const dataDir = freshDataDir();
    // A slow lab clock: the retry after the first failed attempt is 5 real minutes away, so the messages wait.
    const first = await serve(dataDir, ['--lab-clock-speed', '1']);
    const zone = (await json<{ records: DnsRecord[] }>(`${first.httpBase}api/world/dns`)).records;
    const unreachable = [
      ...zone.filter((record) => !(record.name === 'example.net' && record.type === 'MX')),
      { name: 'example.net', type: 'MX', ttl: 300, value: '10 down.example.net.' },
      { name: 'down.example.net', type: 'A', ttl: 300, value: '198.51.100.99' },
    ];
    await json(`${first.httpBase}api/world/dns`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: unreachable }) });

    const workDir = mkdtempSync(join(tmpdir(), 'smtp-lab-kill-'));
    for (const subject of SUBJECTS) {
      const file = join(workDir, `${subject.replace(/\W/g, '-')}.eml`);
      writeFileSync(file, `From: <alice@example.com>\r\nTo: <bob@example.net>\r\nSubject: ${subject}\r\n\r\nStill here after a crash?`);
      const { stdout } = await run('swaks', ['--server', `127.0.0.1:${first.smtpPort}`, '--from', 'alice@example.com', '--to', 'bob@example.net', '--data', `@${file}`]);
      expect(stdout).toMatch(/<- {2}250 /);
    }
    const waiting = await eventually(async () => {
      const { messages } = await json<{ messages: QueueItem[] }>(`${first.httpBase}api/world/queue`);
      const deferred = messages.filter((message) => message.to === 'bob@example.net' && message.state === 'queued' && message.lastReply !== null);
      return deferred.length === SUBJECTS.length ? deferred : null;
    }, 'the three messages to wait in the queue', 15_000);
    expect(waiting.every((message) => /down\.example\.net/.test(message.lastReply ?? ''))).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited();

    const second = await serve(dataDir);
    await json(`${second.httpBase}api/world/reset`, { method: 'POST' });
    const delivered = await eventually(async () => {
      const { messages } = await json<{ messages: { subject: string | null }[] }>(`${second.httpBase}api/messages?mailbox=bob@example.net`);
      const subjects = messages.map((message) => message.subject);
      return SUBJECTS.every((subject) => subjects.includes(subject)) ? subjects : null;
    }, 'the queued messages to reach bob@example.net', 30_000);
    expect(delivered.filter((subject) => subject !== null && SUBJECTS.includes(subject)).sort()).toEqual([...SUBJECTS].sort());
  }, 90_000);
});
