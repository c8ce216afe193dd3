/**
 * Two real `smtp-lab serve --classroom` processes on one PostgreSQL database behind a real
 * HAProxy running the shipped deploy/haproxy.cfg: HTTP goes to either process, a student's WebSockets follow the pin cookie
 * to one process, real mail clients reach a sandbox through the SMTP frontend, and when a
 * process is killed the balancer sends everything to the survivor.
 */
import { spawnSync } from 'node:child_process';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_ATTEMPTS_PER_MINUTE, WRONG_CODES_PER_MINUTE } from '../../../server/classroom/attempt-limits.ts';
import { Actor, actorOn, mailBobAsStudent, type LiveSocket } from '../classroom/classroom-app.ts';
import type { ApiMessagePage, ListedMessage } from '../app/mailbox-api.ts';
import { RawSmtpClient } from '../app/raw-smtp.ts';
import { HAPROXY, HAPROXY_CONFIG, haproxyInstalled, type RunningHaproxy } from '../../support/haproxy.ts';
import { PIN, startBalancedClass, type BalancedClass, type ClassProcess, type ProcessName } from './balanced-class.ts';

/** How long HAProxy may take to notice a killed process (its checks need about 1.5 s). */
const FAILOVER_BOUND_MS = 10_000;

/** The SMTP frontend's per-address cap in deploy/haproxy.cfg (as --max-sessions-per-address). */
const SMTP_CONNECTIONS_PER_ADDRESS = 20;

type RosterRow = { student: { id: string }; online: boolean; connections: number; completed: string[]; sessions: unknown[] };

/** Matches a pushed roster row (`class.student`) for `studentId` that passes `check`. */
const rowOf = (studentId: string, check: (entry: RosterRow) => boolean) => (message: { type: string; [key: string]: unknown }) =>
  message.type === 'class.student' && (message.entry as RosterRow).student.id === studentId && check(message.entry as RosterRow);

function cookieHeader(actor: Actor, pin?: ProcessName): string {
  const pairs = [...actor.cookies].map(([name, value]) => `${name}=${value}`);
  return [...pairs, ...(pin ? [`${PIN}=${pin}`] : [])].join('; ');
}

/** The pin a response sets, if any. */
function pinSetBy(setCookies: readonly string[]): string | null {
  const header = setCookies.find((value) => value.startsWith(`${PIN}=`));
  return header ? (header.split(';')[0] ?? '').slice(PIN.length + 1) : null;
}

interface BridgeThroughBalancer {
  readonly servedBy: string | undefined;
  readonly pinSet: string | null;
  /** The sandbox's greeting, read through the bridge. */
  readonly greeting: string;
}

/**
 * Opens the console's WebSocket through the balancer as a page would (the balancer's Origin,
 * the student's cookies and the pin), opens a sandbox session on it and reads the greeting.
 */
function bridgeThrough(balancer: RunningHaproxy, cookie: string): Promise<BridgeThroughBalancer> {
  return new Promise((resolve, reject) => {
    const origin = new URL(balancer.httpBase).origin;
    const ws = new WebSocket(balancer.wsUrl, { headers: { cookie, origin } });
    let servedBy: string | undefined;
    let pinSet: string | null = null;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no greeting through the bridge within 10 s'));
    }, 10_000);
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      ws.close();
      outcome();
    };
    ws.once('upgrade', (response) => {
      servedBy = String(response.headers['x-served-by']);
      pinSet = pinSetBy([response.headers['set-cookie'] ?? []].flat());
    });
    ws.once('unexpected-response', (_request, response) =>
      finish(() => reject(new Error(`upgrade refused: ${response.statusCode} by ${String(response.headers['x-served-by'])}`))),
    );
    ws.once('error', (error) => finish(() => reject(error)));
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', version: 1 }));
      ws.send(JSON.stringify({ type: 'session.open', target: 'sandbox' }));
    });
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; event?: { type: string; raw?: string } };
      if (message.type === 'session.event' && message.event?.type === 'server.reply') {
        const greeting = message.event.raw ?? '';
        finish(() => resolve({ servedBy, pinSet, greeting }));
      }
    });
  });
}

/** Which process answered a plain HTTP request through the balancer, and the pin it set. */
async function httpThrough(balancer: RunningHaproxy, cookie = ''): Promise<{ servedBy: string | null; pinSet: string | null; status: number }> {
  const response = await fetch(new URL('api/health', balancer.httpBase), { headers: cookie ? { cookie } : {} });
  await response.arrayBuffer();
  return { servedBy: response.headers.get('x-served-by'), pinSet: pinSetBy(response.headers.getSetCookie()), status: response.status };
}

/** Which processes list a message with `subject` in the instructor's mailbox (it is parsed shortly after its 250). */
async function holdersOf(subject: string, processes: Readonly<Record<ProcessName, ClassProcess>>): Promise<ProcessName[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const holders: ProcessName[] = [];
    for (const name of ['a', 'b'] as const) {
      const page = await processes[name].instructor.json<ApiMessagePage>('/api/messages');
      if (page.messages.some((message) => message.subject === subject)) holders.push(name);
    }
    if (holders.length > 0 || Date.now() > deadline) return holders;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The replies to `commands` on a new connection to `port`, greeting first. */
async function envelopeReplies(port: number, commands: readonly string[]): Promise<string[]> {
  const client = await RawSmtpClient.connect(port);
  try {
    const replies = [(await client.reply()).text];
    for (const command of commands) replies.push((await client.command(command)).text);
    return replies;
  } finally {
    client.destroy();
  }
}

async function greetingThrough(port: number): Promise<string> {
  const client = await RawSmtpClient.connect(port);
  try {
    return (await client.reply()).text;
  } finally {
    client.destroy();
  }
}

const haproxyRequired = process.env.SMTP_LAB_REQUIRE_HAPROXY === '1';
if (!haproxyInstalled && !haproxyRequired) console.warn('HAProxy is not installed (apt-get install haproxy): the balancer tests are skipped.');
// In CI (.ci/run sets SMTP_LAB_REQUIRE_HAPROXY=1) a missing HAProxy fails instead of skipping.
it.runIf(haproxyRequired)('HAProxy is installed (SMTP_LAB_REQUIRE_HAPROXY=1)', () => {
  expect(haproxyInstalled).toBe(true);
});

describe.skipIf(!haproxyInstalled)('two serve processes behind HAProxy', { timeout: 60_000 }, () => {
  let lab: BalancedClass;
  let processes: BalancedClass['processes'];
  let balancer: RunningHaproxy;

  beforeAll(async () => {
    lab = await startBalancedClass();
    ({ processes, balancer } = lab);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('ships a configuration HAProxy accepts as it is, with its documented defaults', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMTP_LAB_LB_')));
    const check = spawnSync(HAPROXY, ['-c', '-f', HAPROXY_CONFIG], { env, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('Configuration file is valid');
    expect(check.stderr).not.toMatch(/WARNING|ALERT/);
    expect(check.status).toBe(0);
  });

  it('sends plain HTTP to both processes, pins a new browser to the one that answered, and ignores the pin itself', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await httpThrough(balancer));
    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect(new Set(answers.map(({ servedBy }) => servedBy))).toEqual(new Set(['a', 'b']));
    for (const { servedBy, pinSet } of answers) expect(pinSet).toBe(servedBy);

    const pinned = [];
    for (let i = 0; i < 4; i++) pinned.push(await httpThrough(balancer, `${PIN}=a`));
    expect(new Set(pinned.map(({ servedBy }) => servedBy))).toEqual(new Set(['a', 'b']));
    expect(pinned.map(({ pinSet }) => pinSet)).toEqual([null, null, null, null]);
  });

  it("keeps every WebSocket that carries the pin on the pinned process, with a live sandbox session", async () => {
    for (const name of ['a', 'b'] as const) {
      const cookie = cookieHeader(processes[name].student, name);
      for (let i = 0; i < 4; i++) {
        const bridge = await bridgeThrough(balancer, cookie);
        expect(bridge.servedBy).toBe(name);
        expect(bridge.pinSet).toBeNull();
        expect(bridge.greeting).toMatch(/^220 sandbox\.smtp-lab\.test /);
      }
    }
  });

  it('takes SMTP through its TCP frontend: the sandbox greets, and a real client delivers', async () => {
    expect(await greetingThrough(balancer.smtpPort)).toMatch(/^220 sandbox\.smtp-lab\.test /);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: balancer.smtpPort, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    const subject = `through the balancer ${Date.now()}`;
    const info = await transport.sendMail({ from: 'ana@example.com', to: 'friend@outside.example', subject, text: 'hello' });
    expect(info.response).toMatch(/^250 /);
    // Mail from an ordinary client is the instructor's, in the one shared store: both processes list it.
    expect(await holdersOf(subject, processes)).toEqual(['a', 'b']);
  });

  it('refuses a 21st concurrent SMTP connection from one address at the balancer, whichever process would take it', async () => {
    const open: RawSmtpClient[] = [];
    try {
      const clients = Array.from({ length: SMTP_CONNECTIONS_PER_ADDRESS }, () =>
        RawSmtpClient.connect(balancer.smtpPort).then((client) => (open.push(client), client)),
      );
      const greetings = await Promise.all(clients.map(async (client) => (await (await client).reply()).code));
      expect(greetings).toEqual(Array(SMTP_CONNECTIONS_PER_ADDRESS).fill(220));
      // HAProxy resets it as soon as it accepts it: before or after the client saw it connect.
      await expect(greetingThrough(balancer.smtpPort)).rejects.toThrow(/ECONNRESET|connection closed/);
    } finally {
      for (const client of open) client.destroy();
    }
    // Once they are closed, the address may connect again.
    await expect.poll(() => greetingThrough(balancer.smtpPort).catch(() => ''), { timeout: 5_000 }).toMatch(/^220 /);
  });

  it('shows the dashboard on A, live, a student joining, connecting, progressing and sending class mail on B, and takes a notice from A to them', async () => {
    const dashboard = await processes.a.instructor.openSocket('?as=instructor');
    const sockets: LiveSocket[] = [dashboard];
    try {
      await dashboard.waitFor((message) => message.type === 'welcome');
      const { joinCode, lessons } = await processes.a.instructor.json<{ joinCode: string; lessons: { id: string }[] }>('/api/classroom/overview');

      // Cy joins directly on B.
      const cy = new Actor(processes.b.serve.httpBase);
      const joined = await cy.post('/api/class/join', { code: joinCode, displayName: 'Cy' });
      expect(joined.status).toBe(201);
      const { student } = (await joined.json()) as { student: { id: string; address: string } };
      await dashboard.waitFor(rowOf(student.id, (entry) => !entry.online));

      // Her page's WebSocket through the balancer, pinned to B.
      const page = actorOn(cy, balancer.httpBase);
      page.cookies.set(PIN, 'b');
      const tab = await page.openSocket();
      sockets.push(tab);
      await dashboard.waitFor(rowOf(student.id, (entry) => entry.online && entry.connections === 1));

      const lesson = lessons[0]!.id;
      expect((await page.put(`/api/progress/${lesson}`, { completed: true })).status).toBe(200);
      await dashboard.waitFor(rowOf(student.id, (entry) => entry.completed.includes(lesson)));

      // Class mail from Cy's console on B to Ana, whose tab is open on A: the dashboard on A sees
      // Cy's session on B, and Ana's tab hears of the message, wherever it was captured and parsed.
      const anaTab = await processes.a.student.openSocket();
      sockets.push(anaTab);
      await anaTab.waitFor((message) => message.type === 'welcome');
      await tab.openSession();
      await dashboard.waitFor(rowOf(student.id, (entry) => entry.sessions.length === 1));
      for (const [line, code] of [['EHLO cy.example', 250], [`MAIL FROM:<${student.address}>`, 250], [`RCPT TO:<${processes.a.student.address}>`, 250], ['DATA', 354], ['Subject: from B to A\r\n\r\nHi Ana!\r\n.', 250]] as const) {
        expect((await tab.command(line)).code).toBe(code);
      }
      await expect
        .poll(async () => (await processes.a.student.json<ApiMessagePage>('/api/messages')).messages.map((message) => message.subject), { timeout: 10_000 })
        .toContain('from B to A');
      expect(await anaTab.waitFor((message) => message.type === 'message.captured')).toMatchObject({ summary: { subject: 'from B to A' } });

      expect((await processes.a.instructor.post('/api/classroom/notices', { studentId: student.id, kind: 'hint', lessonId: null, text: 'Sent from A' })).status).toBe(201);
      expect(await tab.waitFor((message) => message.type === 'class.notice')).toMatchObject({ notice: { text: 'Sent from A', studentId: student.id } });
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('greylists a client at one process and takes its retry at the other (the sandbox greylisting behaviour, switched on A, memory in the database)', async () => {
    let pairs = 0;
    const envelope = () => ['EHLO client.example', `MAIL FROM:<greylisted-${++pairs}@example.com>`, 'RCPT TO:<friend@outside.example>'];
    const lastReply = async (name: ProcessName, commands: readonly string[]) => (await envelopeReplies(processes[name].serve.smtpPort, commands)).at(-1) ?? '';
    // The switch, made on A, reaches B's sandbox through the class events: a pair B has never seen is greylisted there.
    expect((await processes.a.instructor.put('/api/classroom/behaviours', { greylist: true })).status).toBe(200);
    try {
      await expect.poll(() => lastReply('b', envelope()), { timeout: 10_000, interval: 100 }).toMatch(/^451 .*Greylisted/);
      const first = envelope();
      expect(await lastReply('a', first)).toMatch(/^451 .*Greylisted/);
      expect(await lastReply('b', first)).toMatch(/^250 /);
      const second = envelope();
      expect(await lastReply('b', second)).toMatch(/^451 .*Greylisted/);
      expect(await lastReply('a', second)).toMatch(/^250 /);
    } finally {
      expect((await processes.a.instructor.put('/api/classroom/behaviours', { greylist: false })).status).toBe(200);
      await expect.poll(() => lastReply('b', envelope()), { timeout: 10_000, interval: 100 }).toMatch(/^250 /);
    }
  });

  it('counts wrong class codes and wrong instructor passwords sent to both processes against one budget each', async () => {
    const codes: string[] = [];
    for (let i = 0; i < WRONG_CODES_PER_MINUTE + 2; i++) {
      const name: ProcessName = i % 2 === 0 ? 'a' : 'b';
      const response = await new Actor(processes[name].serve.httpBase).post('/api/class/join', { code: 'AAAAAA', displayName: 'Guess' });
      codes.push(`${response.status} ${name}`);
    }
    expect(codes).toEqual([...Array.from({ length: WRONG_CODES_PER_MINUTE }, (_, i) => `403 ${i % 2 === 0 ? 'a' : 'b'}`), '429 a', '429 b']);

    // The setup took one attempt from this budget a little earlier, and it refills slowly
    // (one every 6 s): so the limit is met by the 11th attempt at the latest, where separate
    // budgets would allow 20.
    const passwords: string[] = [];
    for (let i = 0; i < INSTRUCTOR_ATTEMPTS_PER_MINUTE + 2; i++) {
      const name: ProcessName = i % 2 === 0 ? 'a' : 'b';
      const response = await new Actor(processes[name].serve.httpBase).post('/api/instructor/login', { password: 'not the password' });
      passwords.push(`${response.status} ${name}`);
    }
    const firstRefusal = passwords.findIndex((answer) => answer.startsWith('429'));
    expect(firstRefusal).toBeGreaterThan(0);
    expect(firstRefusal).toBeLessThanOrEqual(INSTRUCTOR_ATTEMPTS_PER_MINUTE);
    expect(passwords.slice(0, firstRefusal).every((answer) => answer.startsWith('401'))).toBe(true);
    expect(new Set(passwords.slice(firstRefusal))).toEqual(new Set(['429 a', '429 b']));
  });

  it("after SIGKILL of one process sends its students' pages, HTTP and SMTP to the survivor, and loses nothing acknowledged", async () => {
    // Ana joined on a and works there through the balancer (pinned to a): mail with its 250s, progress with its replies.
    const ana = processes.a.student;
    const anaThroughBalancer = actorOn(ana, balancer.httpBase);
    anaThroughBalancer.cookies.set(PIN, 'a');
    const sentBeforeKill: string[] = [];
    for (let i = 0; i < 3; i++) {
      const subject = `before the kill ${i}`;
      await mailBobAsStudent(anaThroughBalancer, 'ana.example', `Subject: ${subject}\r\n\r\nhello`);
      sentBeforeKill.push(subject);
    }
    const { lessons } = await processes.a.instructor.json<{ lessons: { id: string }[] }>('/api/classroom/overview');
    const reported = lessons.slice(0, 2).map((lesson) => lesson.id);
    for (const lessonId of reported) expect((await anaThroughBalancer.put(`/api/progress/${lessonId}`, { completed: true, attempts: 2 })).status).toBe(200);

    processes.a.serve.child.kill('SIGKILL');
    await processes.a.serve.exited();

    // Before the health check can notice (it needs two failures, 0.5 s apart), requests that
    // find the dead process are tried again on the other (redispatch): round robin sends one of
    // two plain requests to it, and Ana's pinned WebSocket goes there first. The survivor knows
    // her (the shared store) and its answer re-pins her page.
    const early = [await httpThrough(balancer), await httpThrough(balancer)];
    expect(early).toMatchObject([{ status: 200, servedBy: 'b' }, { status: 200, servedBy: 'b' }]);
    const bridge = await bridgeThrough(balancer, cookieHeader(ana, 'a'));
    expect(bridge).toMatchObject({ servedBy: 'b', pinSet: 'b' });
    expect(bridge.greeting).toMatch(/^220 sandbox\.smtp-lab\.test /);

    // Her page carries on: a new SMTP session on b, through the balancer.
    await mailBobAsStudent(anaThroughBalancer, 'ana.example', 'Subject: after the kill\r\n\r\nstill here');
    const anaOnB = actorOn(ana, processes.b.serve.httpBase);
    // Her mailbox lists each message as her sandbox took it (and, once the lab world delivered
    // it, bob@example.net's copy, with its `mailbox`): exactly the acknowledged ones.
    const captured = async () =>
      (await anaOnB.json<{ messages: (ListedMessage & { mailbox?: string })[] }>('/api/messages')).messages
        .filter((message) => message.mailbox === undefined && message.mailFrom === 'alice@example.com')
        .map((message) => message.subject)
        .sort();
    await expect.poll(captured, { timeout: 10_000 }).toEqual([...sentBeforeKill, 'after the kill'].sort());
    const { progress } = await anaOnB.json<{ progress: { lessonId: string; completedAt: string | null; attempts: number }[] }>('/api/progress');
    expect(progress.filter((entry) => entry.completedAt !== null && entry.attempts === 2).map((entry) => entry.lessonId).sort()).toEqual([...reported].sort());

    await expect
      .poll(() => /Server app\/a is DOWN/.test(balancer.log()), { timeout: FAILOVER_BOUND_MS, interval: 200 })
      .toBe(true);
    for (let i = 0; i < 4; i++) expect(await httpThrough(balancer)).toMatchObject({ status: 200, servedBy: 'b' });
    expect(await bridgeThrough(balancer, cookieHeader(ana, 'a'))).toMatchObject({ servedBy: 'b', pinSet: 'b' });
    for (let i = 0; i < 3; i++) expect(await greetingThrough(balancer.smtpPort)).toMatch(/^220 sandbox\.smtp-lab\.test /);
  });
});
