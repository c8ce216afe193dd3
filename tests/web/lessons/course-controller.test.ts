import { afterEach, describe, expect, it, vi } from 'vitest';
import { statePath } from '../../../protocol/session/index.ts';
import { CourseController } from '../../../web/src/lessons/course-controller.svelte.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import { emptyProgress, type CourseProgress } from '../../../web/src/lessons/progress.ts';
import type { CourseProgressStore } from '../../../web/src/lessons/progress-store.ts';
import type { ConnectionOpener } from '../../../web/src/session/connection.ts';
import { LabSession } from '../../../web/src/session/lab-session.svelte.ts';
import { openSimulatedConnection } from '../../../web/src/session/simulated-connection.ts';

/** Keeps the progress in memory and remembers every save. */
class MemoryStore implements CourseProgressStore {
  saved: CourseProgress[] = [];
  constructor(private progress: CourseProgress = emptyProgress()) {}
  load(): Promise<CourseProgress> {
    return Promise.resolve(this.progress);
  }
  save(progress: CourseProgress): Promise<void> {
    this.progress = progress;
    this.saved.push(progress);
    return Promise.resolve();
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup(progress?: CourseProgress): { session: LabSession; course: CourseController; store: MemoryStore } {
  const session = new LabSession();
  const store = new MemoryStore(progress);
  const course = new CourseController(loadCourse(), session, store, { solutionDelayMs: 0, now: () => new Date('2025-03-01T10:00:00.000Z') });
  cleanups.push(() => {
    course.dispose();
    session.dispose();
  });
  return { session, course, store };
}

const state = (session: LabSession): string => statePath(session.snapshot.value);

/** Sends a line once the previous command has its reply, and checks the lesson, as the app's effect does. */
async function type(session: LabSession, course: CourseController, line: string): Promise<void> {
  await vi.waitFor(() => expect(session.snapshot.context.pending).toHaveLength(0), { interval: 5 });
  session.sendText(line);
  await vi.waitFor(() => expect(session.snapshot.context.pending).toHaveLength(0), { interval: 5 });
  // The session redraws its view on a timer after the reply: let it run.
  await new Promise((resolve) => setTimeout(resolve, 0));
  course.observe(session.liveView);
}

async function greeted(session: LabSession): Promise<void> {
  await vi.waitFor(() => expect(state(session)).toBe('greeted'), { interval: 5 });
}

describe('CourseController with a real simulated conversation', () => {
  it('opens the first lesson, checks every reply, and records the completion', async () => {
    const { session, course, store } = setup();
    await course.start({ openCurrent: true });
    expect(course.lesson?.id).toBe('client-and-server');
    await greeted(session);
    course.observe(session.liveView);
    expect(course.passed).toBe(false);
    expect(course.result?.nextStep).toBe('Not yet: the server has not answered NOOP with 250 yet.');
    await type(session, course, 'NOOP');
    expect(course.passed).toBe(false);
    expect(course.result?.nextStep).toMatch(/^Not yet: the server has not answered QUIT with 221/);
    await type(session, course, 'QUIT');
    await vi.waitFor(() => {
      course.observe(session.liveView);
      expect(course.passed).toBe(true);
    });
    expect(course.statusOf('client-and-server')).toBe('done');
    expect(store.saved.at(-1)?.lessons['client-and-server']?.completedAt).toBe('2025-03-01T10:00:00.000Z');
    course.openNext();
    expect(course.lesson?.id).toBe('the-greeting');
    expect(course.passed).toBe(false);
    expect(store.saved.at(-1)?.current).toBe('the-greeting');
    expect(course.statusOf('the-greeting')).toBe('in-progress');
  });

  it('counts the hints used, one at a time, and keeps them across a restart', async () => {
    const { course, store } = setup();
    await course.start({ openCurrent: true });
    course.revealHint();
    course.revealHint();
    expect(course.hintsShown).toBe(2);
    const hints = course.lesson?.hints.length ?? 0;
    for (let index = 0; index < hints + 2; index += 1) course.revealHint();
    expect(course.hintsShown).toBe(hints);
    const again = setup(store.saved.at(-1));
    await again.course.start({ openCurrent: true });
    expect(again.course.hintsShown).toBe(hints);
  });

  it("runs the lesson's server and passes earlier connections: 421, reconnect, deliver", async () => {
    const { session, course } = setup();
    await course.start({ openCurrent: false });
    course.open('closing-with-421');
    await greeted(session);
    for (let index = 0; index < 6; index += 1) await type(session, course, 'NOOP');
    await vi.waitFor(() => expect(state(session)).toBe('closed'), { interval: 5 });
    expect(session.liveView.transcript.some((entry) => entry.reply?.code === 421)).toBe(true);
    course.observe(session.liveView);
    expect(course.passed).toBe(false);
    session.newSession();
    await greeted(session);
    for (const line of ['EHLO laptop.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>', 'DATA']) await type(session, course, line);
    expect(course.passed).toBe(false);
    await type(session, course, 'Subject: Again\r\n\r\nSecond try.\r\n.');
    await vi.waitFor(() => {
      course.observe(session.liveView);
      expect(course.passed).toBe(true);
    });
  });

  it('keeps greylisting memory for the lesson, so a reconnect counts as a retry', async () => {
    const { session, course } = setup();
    await course.start({ openCurrent: false });
    course.open('greylisting-and-retries');
    await greeted(session);
    for (const line of ['EHLO laptop.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>']) await type(session, course, line);
    expect(session.liveView.transcript.at(-1)?.reply?.code).toBe(451);
    session.newSession();
    await greeted(session);
    for (const line of ['EHLO laptop.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>']) await type(session, course, line);
    expect(session.liveView.transcript.at(-1)?.reply?.code).toBe(250);
  });

  it("keeps a lesson with its own server setup in simulated mode, and says why", async () => {
    const { session, course } = setup();
    await course.start({ openCurrent: false });
    course.open('size-and-552');
    expect(course.requestMode('live')).toBe(false);
    expect(session.mode).toBe('simulated');
    expect(course.notice).toBe(
      "This lesson's server setup runs in Simulated mode: the live sandbox cannot change its settings for one learner. You stay in Simulated mode for this lesson.",
    );
    await greeted(session);
    await type(session, course, 'EHLO laptop.example');
    expect(session.liveView.transcript.at(-1)?.reply?.lines.join('\n')).toContain('SIZE 1000');
    course.open('client-and-server');
    expect(course.requestMode('simulated')).toBe(true);
    expect(course.notice).toBeNull();
  });

  it('plays a multi-connection solution into the console and meets the goal', async () => {
    const { session, course, store } = setup();
    await course.start({ openCurrent: false });
    course.open('closing-with-421');
    await greeted(session);
    const ended: number[][] = [];
    session.onConversationEnd((view) => ended.push(view.transcript.flatMap((entry) => (entry.reply === null ? [] : [entry.reply.code]))));
    const play = course.playSolution();
    expect(course.playing).toBe(true);
    await vi.waitFor(
      () => {
        course.observe(session.liveView);
        expect(course.passed).toBe(true);
      },
      { timeout: 10_000, interval: 5 },
    );
    await play;
    expect(course.playing).toBe(false);
    // The solution's first connection ran into the 421; its second one delivered the message.
    expect(ended.at(-1)).toEqual([220, 250, 250, 250, 250, 250, 421]);
    const clientLines = session.liveView.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.text);
    expect(clientLines.slice(0, 4)).toEqual(['EHLO laptop.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>', 'DATA']);
    expect(store.saved.some((progress) => progress.lessons['closing-with-421']?.solutionShown === true)).toBe(true);
  });

  it('leaves the connection open after the solution, and counts the completion as with the solution until the learner does it', async () => {
    const { session, course, store } = setup();
    await course.start({ openCurrent: false });
    course.open('the-greeting');
    await greeted(session);
    const play = course.playSolution();
    await vi.waitFor(
      () => {
        course.observe(session.liveView);
        expect(course.passed).toBe(true);
      },
      { timeout: 10_000, interval: 5 },
    );
    expect(await play).toBeUndefined();
    // The script's QUIT was not sent: the goal was met without it, and the learner can go on.
    const clientLines = session.liveView.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.text);
    expect(clientLines).toEqual(['MAIL FROM:<you@example.com>', 'EHLO laptop.example']);
    expect(state(session)).not.toBe('closed');
    await type(session, course, 'NOOP');
    expect(session.liveView.transcript.at(-1)?.reply?.code).toBe(250);
    expect(course.statusOf('the-greeting')).toBe('done-with-solution');
    expect(course.completedWithSolution).toBe(true);
    expect(store.saved.at(-1)?.lessons['the-greeting']).toMatchObject({ completedAt: '2025-03-01T10:00:00.000Z', solutionShown: true, completedWithSolution: true });
    expect(course.doneCount).toBe(1);

    // A later attempt of the learner's own makes it theirs.
    course.restart();
    await greeted(session);
    await type(session, course, 'MAIL FROM:<you@example.com>');
    await type(session, course, 'EHLO laptop.example');
    expect(course.passed).toBe(true);
    expect(course.statusOf('the-greeting')).toBe('done');
    expect(course.completedWithSolution).toBe(false);
  });

  it("still sends the final QUIT when the lesson's goal is the QUIT", async () => {
    const { session, course } = setup();
    await course.start({ openCurrent: false });
    course.open('client-and-server');
    await course.playSolution();
    await vi.waitFor(() => expect(state(session)).toBe('closed'), { interval: 5 });
    course.observe(session.liveView);
    expect(course.passed).toBe(true);
    expect(session.liveView.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.text)).toEqual(['NOOP', 'QUIT']);
  });

  it('lands a returning learner on the next unfinished lesson, or on the lesson the URL names', async () => {
    const done = { startedAt: '2025-03-01T09:00:00.000Z', completedAt: '2025-03-01T09:05:00.000Z', hintsUsed: 0, solutionShown: false, completedWithSolution: false };
    const progress: CourseProgress = { ...emptyProgress(), current: 'the-greeting', lessons: { 'client-and-server': done, 'the-greeting': done } };
    const back = setup(progress);
    await back.course.start({ openCurrent: true });
    expect(back.course.lesson?.id).toBe('ehlo-and-helo');
    // Still on an unfinished lesson: that one.
    const unfinished = setup({ ...progress, current: 'the-greeting', lessons: { 'the-greeting': { ...done, completedAt: null } } });
    await unfinished.course.start({ openCurrent: true });
    expect(unfinished.course.lesson?.id).toBe('the-greeting');
    // A skipped lesson before the last one is found after the end of the course.
    const lastId = loadCourse().lessons.at(-1)!.id;
    const last = setup({ ...progress, current: lastId, lessons: { [lastId]: done } });
    await last.course.start({ openCurrent: true });
    expect(last.course.lesson?.id).toBe('client-and-server');
    const named = setup(progress);
    await named.course.start({ openCurrent: true, requested: 'the-greeting' });
    expect(named.course.lesson?.id).toBe('the-greeting');
    const unknown = setup(progress);
    await unknown.course.start({ openCurrent: true, requested: 'no-such-lesson' });
    expect(unknown.course.lesson?.id).toBe('ehlo-and-helo');
  });

  it('stops the solution when asked', async () => {
    const { session, course } = setup();
    await course.start({ openCurrent: false });
    course.open('client-and-server');
    const play = course.playSolution();
    course.stopSolution();
    await play;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(session.liveView.transcript.filter((entry) => entry.from === 'client')).toHaveLength(0);
    expect(course.playing).toBe(false);
  });

  it('imports a progress file, and refuses a bad one without changing anything', async () => {
    const { course } = setup();
    await course.start({ openCurrent: true });
    const exported = course.exportProgress();
    expect(await course.importProgress('not json')).toEqual({ ok: false, error: 'This file is not an SMTP Lab progress file.' });
    expect(course.statusOf('the-greeting')).toBe('not-started');
    const done = JSON.parse(exported) as CourseProgress;
    const entry = { startedAt: '2025-01-01T00:00:00.000Z', completedAt: '2025-01-01T00:10:00.000Z', hintsUsed: 1, solutionShown: true, completedWithSolution: true };
    const imported: CourseProgress = { ...done, lessons: { ...done.lessons, 'the-greeting': entry, 'a-lesson-of-another-course': entry } };
    expect(await course.importProgress(JSON.stringify(imported))).toMatchObject({ ok: true, notes: ["Lesson 'a-lesson-of-another-course' is unknown and was skipped."] });
    expect(course.statusOf('the-greeting')).toBe('done-with-solution');
    expect(course.progress.lessons['a-lesson-of-another-course']).toBeUndefined();
    expect(course.lesson?.id).toBe('client-and-server');
  });
});

describe('CourseController with lessons on a lab host', () => {
  it('opens a lab lesson live on its host, once, and the next lesson back on the sandbox', async () => {
    const opened: (string | null)[] = [];
    const openLive = (target: string | null): Promise<ConnectionOpener> =>
      Promise.resolve((hooks) => {
        opened.push(target);
        // What the bridge's welcome offers: the sandbox first, then the lab hosts.
        hooks.targets([
          { id: 'sandbox', label: 'SMTP Lab sandbox' },
          { id: 'mx.example.net', label: 'Lab: mx.example.net, MX of example.net (Postfix 3.7)', labFrom: '203.0.113.99' },
        ]);
        hooks.status({ status: 'open', message: 'fake live' });
        return { send: () => true, deleteMessage: () => undefined, deleteAllMessages: () => undefined, dispose: () => undefined };
      });
    const session = new LabSession({ openLive });
    const course = new CourseController(loadCourse(), session, new MemoryStore(), { solutionDelayMs: 0 });
    cleanups.push(() => {
      course.dispose();
      session.dispose();
    });
    await course.start({ openCurrent: false });
    course.open('spf-from-the-receiving-side');
    expect(session.mode).toBe('live');
    expect(session.target).toBe('mx.example.net');
    await vi.waitFor(() => expect(opened).toEqual(['mx.example.net']));

    course.open('client-and-server');
    expect(session.target).toBe('sandbox');
    await vi.waitFor(() => expect(opened).toEqual(['mx.example.net', 'sandbox']));
  });
});

describe('CourseController playing a lab lesson\'s solution', () => {
  it('makes the lesson\'s DNS step through the DNS API between its connections, and reconnects', async () => {
    const opened: (string | null)[] = [];
    let session: LabSession | null = null;
    // The lab host is played by the in-browser simulator here: this test is about what happens between connections.
    const openLive = (target: string | null): Promise<ConnectionOpener> =>
      Promise.resolve((hooks) => {
        opened.push(target);
        return openSimulatedConnection(hooks, {}, () => session!.snapshot);
      });
    const zone = [
      { name: 'example.com', type: 'TXT' as const, ttl: 300, value: 'v=spf1 ip4:192.0.2.10 -all' },
      { name: 'example.net', type: 'MX' as const, ttl: 300, value: '10 mx.example.net.' },
    ];
    const saved: unknown[][] = [];
    const world = {
      zone: () => Promise.resolve({ ok: true as const, records: zone }),
      save: (records: readonly unknown[]) => {
        saved.push([...records]);
        return Promise.resolve({ ok: true as const, records: zone });
      },
    };
    session = new LabSession({ openLive });
    const course = new CourseController(loadCourse(), session, new MemoryStore(), { solutionDelayMs: 0, labPauseMs: 0, world });
    cleanups.push(() => {
      course.dispose();
      session?.dispose();
    });
    await course.start({ openCurrent: false });
    course.open('spf-from-the-receiving-side');
    await course.playSolution();
    expect(saved).toEqual([
      [
        { name: 'example.net', type: 'MX', ttl: 300, value: '10 mx.example.net.' },
        { name: 'example.com', type: 'TXT', ttl: 300, value: 'v=spf1 ip4:192.0.2.10 ip4:203.0.113.99 -all' },
      ],
    ]);
    // The solution's two connections, both to the lesson's host (an open superseded before it connected is not counted).
    expect(opened).toEqual(['mx.example.net', 'mx.example.net']);
  });
});
