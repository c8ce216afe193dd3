/**
 * The classroom in real Chromium against the real `smtp-lab serve --classroom`: an instructor
 * and three students, each in their own browser context (their own cookies). The instructor
 * sets up and signs in; the students join and finish lesson 1 by typing; the dashboard shows
 * it live; Ana mails Bo's class address and Bo's mailbox shows it; Ana's browser is refused
 * Bo's message; notices, open lessons and a class-wide behaviour reach the students; the
 * server is killed and started again on the same data and port, and every page reconnects by
 * itself with its progress and mail; a removed student is told so.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir, startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { consoleInput, ensureBuilt, launchChromium, setInstructorPassword, typeLine, waitForGreeting, waitForServerLine } from './harness.ts';

const PASSWORD = 'correct horse battery staple';
const VIEWPORT = { width: 1366, height: 768 };

let server: ServeProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

interface ClassServer {
  readonly process: ServeProcess;
  readonly instructorUrl: string;
  /** Printed until the instructor has set a password. */
  readonly setupSecret: string | null;
  readonly httpPort: number;
}

/** Starts the classroom server (again, with `port` and `dataDir`) and reads its banner. */
async function startClassServer(dataDir: string, port = 0): Promise<ClassServer> {
  const process = await startServeProcess({ dataDir, args: ['--classroom', '--http-port', String(port)] });
  await expect.poll(() => /instructor: +http/.test(process.stdout()), { timeout: 10_000 }).toBe(true);
  const out = process.stdout();
  const instructorUrl = /instructor: +(http\S+)/.exec(out)?.[1];
  if (instructorUrl === undefined) throw new Error(`no instructor URL in:\n${out}`);
  const setupSecret = /setup secret:\s*\n\s*(\S+)/.exec(out)?.[1] ?? null;
  return { process, instructorUrl, setupSecret, httpPort: Number(new URL(process.httpBase).port) };
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

/** A roster row of the dashboard. */
function rosterRow(dashboard: Page, name: string): Locator {
  return dashboard.getByRole('table', { name: 'Roster' }).locator('tr[data-student-id]').filter({ has: dashboard.getByRole('rowheader', { name: new RegExp(`^${name} `) }) });
}

async function joinAs(code: string, name: string, base: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}join/${code}`);
  await page.getByRole('textbox', { name: /Your name/ }).fill(name);
  await page.getByRole('button', { name: 'Join the class' }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 15_000 }).toContain(`Your class address: ${name.toLowerCase()}@`);
  return page;
}

/** Lesson 1 in live mode: NOOP, then QUIT, and the lesson says it is complete. */
async function finishLessonOne(page: Page): Promise<void> {
  const input = await consoleInput(page);
  await expect.poll(() => page.getByRole('radio', { name: 'Live' }).isChecked()).toBe(true);
  await waitForGreeting(page);
  await typeLine(page, input, 'NOOP');
  await waitForServerLine(page, '250');
  await typeLine(page, input, 'QUIT');
  await waitForServerLine(page, '221');
  await expect.poll(() => page.getByRole('group', { name: 'Lesson complete' }).isVisible(), { timeout: 10_000 }).toBe(true);
}

function addressOf(page: Page): Promise<string> {
  return page.getByRole('region', { name: 'Your class' }).locator('code').innerText();
}

function mailboxRows(page: Page): Locator {
  return page.getByRole('list', { name: 'Messages' }).getByRole('button');
}

beforeAll(async () => {
  await ensureBuilt();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('the classroom in Chromium', () => {
  it('runs a class: setup, joins, lesson 1 seen live, class mail, privacy, and a restart that loses nothing', async () => {
    const dataDir = freshDataDir();
    const first = await startClassServer(dataDir);
    server = first.process;
    const base = first.process.httpBase;
    expect(first.instructorUrl).toBe(`${base}instructor`);
    expect(first.setupSecret).not.toBeNull();

    // The instructor sets a password with the one-time secret and lands on the dashboard.
    const dashboard = await newPage();
    await dashboard.goto(first.instructorUrl);
    const code = await setInstructorPassword(dashboard, first.setupSecret ?? '', PASSWORD);
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    await expect.poll(() => dashboard.getByRole('status', { name: 'Dashboard connection' }).textContent()).toContain('Live');

    // Three students join in their own browsers; the roster shows them online.
    const [ana, bo, cy] = await Promise.all([joinAs(code, 'Ana', base), joinAs(code, 'Bo', base), joinAs(code, 'Cy', base)]);
    for (const name of ['Ana', 'Bo', 'Cy']) {
      await expect.poll(() => rosterRow(dashboard, name).textContent(), { timeout: 10_000 }).toContain('Online');
    }

    // Each finishes lesson 1 by typing; the dashboard shows it as it happens.
    for (const [page, name] of [[ana, 'Ana'], [bo, 'Bo'], [cy, 'Cy']] as const) {
      await finishLessonOne(page);
      await expect.poll(() => rosterRow(dashboard, name).textContent(), { timeout: 10_000 }).toContain('1 / 33');
    }
    await dashboard.getByRole('tab', { name: 'Progress grid' }).click();
    const grid = dashboard.getByRole('table', { name: 'Progress grid' });
    await expect.poll(() => grid.locator('td[data-kind="done"]').count()).toBe(3);
    await dashboard.getByRole('tab', { name: /Roster/ }).click();

    // The instructor watches Ana while she mails Bo's class address in a new live session.
    const boAddress = await addressOf(bo);
    await dashboard.getByRole('button', { name: "Watch Ana's console" }).click();
    await ana.getByRole('banner').getByRole('button', { name: 'New session' }).click();
    await waitForGreeting(ana);
    const anaInput = await consoleInput(ana);
    const steps: [string, string | null][] = [
      ['EHLO ana.example', '250-'],
      [`MAIL FROM:<${await addressOf(ana)}>`, '250'],
      [`RCPT TO:<${boAddress}>`, '250'],
      ['DATA', '354'],
      ['Subject: Hello from Ana', null],
      ['', null],
      ['Hi Bo, this came through the class sandbox.', null],
      ['.', '250'],
    ];
    const seen = new Map<string, number>();
    for (const [line, reply] of steps) {
      await typeLine(ana, anaInput, line);
      if (reply === null) continue;
      seen.set(reply, (seen.get(reply) ?? 0) + 1);
      await waitForServerLine(ana, reply, seen.get(reply));
    }
    const watched = dashboard.getByRole('region', { name: "Ana's console" }).getByRole('log', { name: 'Transcript' });
    await expect.poll(() => watched.textContent(), { timeout: 10_000 }).toContain(`RCPT TO:<${boAddress}>`);
    await expect.poll(() => rosterRow(dashboard, 'Ana').locator('td').nth(3).textContent()).toMatch(/Identified|transaction|ready/i);

    // Bo's mailbox shows the message.
    await bo.getByRole('tab', { name: /Mailbox/ }).click();
    await expect.poll(() => mailboxRows(bo).allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringContaining('Hello from Ana'));
    // Sent and received told apart: Bo's copy was delivered to him, Ana's is the one she sent.
    expect(await mailboxRows(bo).filter({ hasText: 'Hello from Ana' }).textContent()).toContain('Received');
    await ana.getByRole('tab', { name: /Mailbox/ }).click();
    await expect.poll(() => mailboxRows(ana).filter({ hasText: 'Hello from Ana' }).textContent(), { timeout: 15_000 }).toContain('Sent by you');

    // Ana's browser may not read Bo's mail: the API refuses her, Bo gets it.
    const boList = (await (await bo.context().request.get(`${base}api/messages`)).json()) as { messages: { id: number; subject: string | null }[] };
    const message = boList.messages.find((candidate) => candidate.subject === 'Hello from Ana');
    expect(message).toBeDefined();
    const asAna = await ana.context().request.get(`${base}api/messages/${message?.id}`);
    expect([403, 404]).toContain(asAna.status());
    expect([403, 404]).toContain((await ana.context().request.get(`${base}api/messages/${message?.id}/raw`)).status());
    expect((await bo.context().request.get(`${base}api/messages/${message?.id}/raw`)).status()).toBe(200);

    // A message to the class reaches every student as a toast.
    await dashboard.getByRole('tab', { name: 'Message' }).click();
    await dashboard.getByRole('textbox', { name: 'Message' }).fill('Well done: lesson 1 is finished.');
    await dashboard.getByRole('button', { name: 'Send' }).click();
    for (const page of [ana, bo, cy]) {
      await expect.poll(() => page.getByRole('region', { name: 'New from your instructor' }).textContent(), { timeout: 10_000 }).toContain('Well done: lesson 1 is finished.');
    }

    // Only lessons 1 and 2 open: the students' course lists lock the others at once.
    await dashboard.getByRole('tab', { name: 'Lessons' }).click();
    await dashboard.getByRole('button', { name: 'Select none' }).click();
    await dashboard.getByRole('checkbox', { name: /Client and server/ }).check();
    await dashboard.getByRole('checkbox', { name: /The greeting/ }).check();
    await dashboard.getByRole('button', { name: 'Open the selected lessons' }).click();
    await cy.getByRole('button', { name: /All lessons/ }).click();
    const cyLessons = cy.getByRole('list', { name: 'Lessons' }).getByRole('button');
    await expect.poll(() => cyLessons.nth(2).isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await cyLessons.nth(1).isDisabled()).toBe(false);
    expect(await cyLessons.nth(2).textContent()).toContain('not opened by your instructor yet');

    // A class-wide behaviour takes effect in the students' next live session.
    await dashboard.getByRole('tab', { name: 'Server' }).click();
    await dashboard.getByRole('checkbox', { name: 'Require AUTH before MAIL FROM' }).check();
    await dashboard.getByRole('button', { name: 'Apply to the class' }).click();
    await expect.poll(() => dashboard.getByRole('status', { name: 'Behaviours in force' }).textContent()).toContain('AUTH required');
    await ana.getByRole('banner').getByRole('button', { name: 'New session' }).click();
    await waitForGreeting(ana);
    await typeLine(ana, anaInput, 'EHLO ana.example');
    await waitForServerLine(ana, '250-');
    await typeLine(ana, anaInput, `MAIL FROM:<${await addressOf(ana)}>`);
    await waitForServerLine(ana, '530');
    await dashboard.getByRole('button', { name: 'Turn all off' }).click();
    await expect.poll(() => dashboard.getByRole('status', { name: 'Behaviours in force' }).textContent()).toContain('none');

    // The server dies in the middle of the class and comes back on the same data and port.
    server.child.kill('SIGKILL');
    await server.exited();
    for (const page of [ana, bo]) {
      await expect.poll(() => page.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 10_000 }).toContain('Reconnecting');
    }
    const second = await startClassServer(dataDir, first.httpPort);
    server = second.process;
    expect(second.setupSecret).toBeNull();
    expect(second.process.httpBase).toBe(base);

    // Every page reconnects by itself and still shows its progress and mail, now read from the restarted server.
    for (const page of [ana, bo, cy]) {
      await expect.poll(() => page.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 20_000 }).toContain('Connected to the class');
      await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: 20_000 }).toContain('Connected');
      await waitForGreeting(page);
      expect(await page.getByRole('button', { name: /Course/ }).textContent()).toContain('1/33');
    }
    await expect.poll(() => mailboxRows(bo).allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringContaining('Hello from Ana'));
    await expect.poll(() => dashboard.getByRole('status', { name: 'Dashboard connection' }).textContent(), { timeout: 20_000 }).toContain('Live');
    for (const name of ['Ana', 'Bo', 'Cy']) {
      await expect.poll(() => rosterRow(dashboard, name).textContent(), { timeout: 10_000 }).toMatch(/Online.*1 \/ 33/);
    }

    // A reload is the same student, with the progress kept by the server.
    await bo.reload();
    await expect.poll(() => bo.getByRole('region', { name: 'Your class' }).textContent(), { timeout: 15_000 }).toContain(`Your class address: ${boAddress}`);
    await expect.poll(() => bo.getByRole('button', { name: /Course/ }).textContent(), { timeout: 10_000 }).toContain('1/33');

    // The instructor removes Cy: Cy's page says so, and Cy's browser is no longer a student.
    await dashboard.getByRole('tab', { name: /Roster/ }).click();
    await dashboard.getByRole('button', { name: 'Remove Cy' }).click();
    await dashboard.getByRole('alertdialog', { name: 'Remove Cy from the class?' }).getByRole('button', { name: 'Remove Cy' }).click();
    await expect.poll(() => cy.getByRole('alertdialog', { name: 'You are no longer in this class' }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect((await cy.context().request.get(`${base}api/me`)).status()).toBe(401);
    await expect.poll(() => rosterRow(dashboard, 'Cy').count()).toBe(0);

    // Signing out and in again with the password.
    await dashboard.getByRole('button', { name: 'Sign out' }).click();
    await dashboard.getByLabel('Password').fill(PASSWORD);
    await dashboard.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => rosterRow(dashboard, 'Ana').count(), { timeout: 10_000 }).toBe(1);

    expect(pageErrors).toEqual([]);
  }, 240_000);
});
