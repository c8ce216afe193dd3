/**
 * `smtp-lab serve --database` when PostgreSQL cannot be reached: at start it stops with exit
 * status 2 and a message naming the database without its password; while running (every
 * connection terminated and new ones refused) SMTP answers 4xx and the API 5xx, the process
 * stays up, and once the database takes connections again it serves as before, the class
 * events included (a learner's tab open throughout hears a notice sent after).
 */
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { adminQuery, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { Actor, PASSWORD } from '../classroom/classroom-app.ts';
import { RawSmtpClient } from './raw-smtp.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from './serve-process.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/smtp-lab.js', import.meta.url));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback port nothing listens on (free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Refuses new connections to `name` and ends the ones it has (the serve process's pools among them). */
async function cutOff(name: string): Promise<void> {
  await adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
  await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
}

/**
 * One message on a new connection; the first reply that is not a success ends it. Resolves with
 * that reply (or the 250 to the end of data).
 */
async function tryDelivery(port: number, subject: string): Promise<string> {
  const client = await RawSmtpClient.connect(port);
  try {
    const greeting = await client.reply();
    if (greeting.code !== 220) return greeting.text;
    for (const line of ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', `Subject: ${subject}\r\n\r\nbody\r\n.`]) {
      const reply = await client.command(line);
      if (reply.code >= 400) return reply.text;
      if (line.startsWith('Subject:')) return reply.text;
    }
    throw new Error('unreachable: the loop returns at the end of data');
  } catch (error) {
    return `closed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    client.destroy();
  }
}

async function apiStatus(serve: ServeProcess, path: string): Promise<number> {
  const response = await fetch(new URL(path, serve.httpBase));
  await response.arrayBuffer();
  return response.status;
}

describe.skipIf(postgresAdminUrl() === null)('serve --database when PostgreSQL is out of reach', { timeout: 90_000 }, () => {
  it('stops at start with exit status 2, naming the database without its password', async () => {
    const url = `postgres://lab:hunter2-secret@127.0.0.1:${await closedPort()}/lab`;
    const result = spawnSync(process.execPath, [BIN, 'serve', '--http-port', '0', '--smtp-port', '0', '--data-dir', freshDataDir(), '--database', url], {
      cwd: ROOT,
      env: { ...process.env, SMTP_LAB_DATA: '', SMTP_LAB_DATABASE: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cannot use the database: PostgreSQL at ${url.replace('hunter2-secret', '***')}`);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('answers 4xx to SMTP and 5xx from the API while the database is cut off, stays up, and serves again once it is back', async () => {
    const database = await freshDatabase('postgres');
    cleanups.push(() => database.drop());
    const name = new URL(database.url!).pathname.slice(1);
    cleanups.push(() => adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`));
    const serve = await startServeProcess({ args: ['--classroom', '--database', database.url!] });
    cleanups.push(() => serve.stop());
    const instructor = new Actor(serve.httpBase);
    const secret = /setup secret:\s*\n\s*(\S+)/.exec(serve.stdout())?.[1];
    expect((await instructor.post('/api/instructor/setup', { secret, password: PASSWORD })).status).toBe(201);
    const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
    const student = new Actor(serve.httpBase);
    const joined = await student.post('/api/class/join', { code: joinCode, displayName: 'Ana' });
    expect(joined.status).toBe(201);
    const { student: ana } = (await joined.json()) as { student: { id: string } };
    // Her tab stays open throughout: the WebSocket does not depend on the database.
    const tab = await student.openSocket();
    cleanups.push(async () => tab.close());
    await tab.waitFor((message) => message.type === 'welcome');
    expect(await tryDelivery(serve.smtpPort, 'before')).toMatch(/^250 /);

    await cutOff(name);
    const answers = [await tryDelivery(serve.smtpPort, 'while cut off 1'), await tryDelivery(serve.smtpPort, 'while cut off 2')];
    for (const answer of answers) expect(answer).toMatch(/^4(21|51) /);
    expect((await instructor.get('/api/messages')).status).toBeGreaterThanOrEqual(500);
    expect((await student.put('/api/progress/client-and-server', { completed: true })).status).toBeGreaterThanOrEqual(500);
    expect(serve.child.exitCode).toBeNull();
    expect(await apiStatus(serve, 'api/health')).toBe(200);

    await adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    await expect.poll(() => tryDelivery(serve.smtpPort, 'after'), { timeout: 30_000, interval: 500 }).toMatch(/^250 /);
    // Exactly the two acknowledged messages (their subjects are known once the capture worker has parsed them).
    const subjects = async () => (await instructor.json<{ messages: { subject: string | null }[] }>('/api/messages')).messages.map((message) => message.subject).sort();
    await expect.poll(subjects, { timeout: 10_000 }).toEqual(['after', 'before']);
    // The class events listen again: a notice sent now reaches her open tab live.
    const from = tab.received.length;
    await expect
      .poll(async () => (await instructor.post('/api/classroom/notices', { studentId: ana.id, kind: 'message', lessonId: null, text: 'Back' })).status, { timeout: 15_000, interval: 500 })
      .toBe(201);
    expect(await tab.waitFor((message) => message.type === 'class.notice', from, 15_000)).toMatchObject({ notice: { text: 'Back' } });
    expect(serve.child.exitCode).toBeNull();
  });
});
