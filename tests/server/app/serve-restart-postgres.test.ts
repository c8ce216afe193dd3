/**
 * `smtp-lab serve --classroom --database postgres://…` killed with SIGKILL and started again on
 * the same database (and data directory): the mail, the transcripts, the classroom (students,
 * progress, notices, the instructor's password), the learner's zone edit and a relay that was
 * still queued are all there, and the queued relay is delivered by the new process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { Actor, mailBobAsStudent, PASSWORD } from '../classroom/classroom-app.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from './serve-process.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(dataDir: string, database: string, extra: readonly string[] = []): Promise<ServeProcess> {
  const started = await startServeProcess({ dataDir, args: ['--classroom', '--database', database, ...extra] });
  cleanups.push(() => started.stop());
  return started;
}

function setupSecretOf(serve: ServeProcess): string {
  const secret = /setup secret:\s*\n\s*(\S+)/.exec(serve.stdout())?.[1];
  if (secret === undefined) throw new Error(`no setup secret in:\n${serve.stdout()}`);
  return secret;
}

/** `actor`'s sign-in on another process. */
function movedTo(actor: Actor, base: string): Actor {
  const moved = new Actor(base);
  for (const [name, value] of actor.cookies) moved.cookies.set(name, value);
  return moved;
}

interface QueueItem {
  readonly to: string;
  readonly state: string;
  readonly lastReply: string | null;
}

describe.skipIf(postgresAdminUrl() === null)('a serve process on PostgreSQL across SIGKILL and a restart', { timeout: 90_000 }, () => {
  it('keeps mail, transcripts, the classroom and the lab world, and delivers the relay still queued', async () => {
    const database = await freshDatabase('postgres');
    cleanups.push(() => database.drop());
    const dataDir = freshDataDir();
    // A slow lab clock: the retry after the first failed attempt is 5 real minutes away, so the relay waits.
    const first = await serve(dataDir, database.url!, ['--lab-clock-speed', '1']);

    const instructor = new Actor(first.httpBase);
    expect((await instructor.post('/api/instructor/setup', { secret: setupSecretOf(first), password: PASSWORD })).status).toBe(201);
    const { joinCode, lessons } = await instructor.json<{ joinCode: string; lessons: { id: string }[] }>('/api/classroom/overview');
    const student = new Actor(first.httpBase);
    expect((await student.post('/api/class/join', { code: joinCode, displayName: 'Ana' })).status).toBe(201);

    // Her zone points example.net's MX at a host that does not listen: her mail to bob@example.net waits in the queue.
    const zone = (await student.json<{ records: DnsRecord[] }>('/api/world/dns')).records;
    const unreachable = [
      ...zone.filter((record) => !(record.name === 'example.net' && record.type === 'MX')),
      { name: 'example.net', type: 'MX', ttl: 300, value: '10 down.example.net.' },
      { name: 'down.example.net', type: 'A', ttl: 300, value: '198.51.100.99' },
    ];
    expect((await student.put('/api/world/dns', { records: unreachable })).status).toBe(200);
    await mailBobAsStudent(student, 'ana.example', 'Subject: queued across a crash\r\n\r\nStill here?');
    const waiting = async (process: ServeProcess) =>
      (await movedTo(student, process.httpBase).json<{ messages: QueueItem[] }>('/api/world/queue')).messages.filter(
        (item) => item.to === 'bob@example.net' && item.state === 'queued' && /down\.example\.net/.test(item.lastReply ?? ''),
      ).length;
    await expect.poll(() => waiting(first), { timeout: 15_000 }).toBe(1);

    expect((await student.put(`/api/progress/${lessons[0]!.id}`, { completed: true, attempts: 3 })).status).toBe(200);
    expect((await instructor.post('/api/classroom/notices', { studentId: null, kind: 'message', lessonId: null, text: 'Before the crash' })).status).toBe(201);
    // The bridge session's transcript is written shortly after its events: wait until it is readable.
    const transcripts = async (process: ServeProcess) => {
      const { sessions } = await movedTo(student, process.httpBase).json<{ sessions: { id: string }[] }>('/api/sessions');
      const counts = await Promise.all(
        sessions.map(async ({ id }) => (await movedTo(student, process.httpBase).json<{ events: unknown[] }>(`/api/sessions/${id}`)).events.length),
      );
      return counts;
    };
    await expect.poll(async () => (await transcripts(first)).some((count) => count > 5), { timeout: 10_000 }).toBe(true);
    const transcriptsBefore = await transcripts(first);
    const mailBefore = (await student.json<{ messages: { subject: string | null }[] }>('/api/messages')).messages.map((message) => message.subject);
    expect(mailBefore).toContain('queued across a crash');

    first.child.kill('SIGKILL');
    await first.exited();
    const second = await serve(dataDir, database.url!);

    // The instructor signs in with the password; the student's sign-in still works.
    expect(second.stdout()).not.toMatch(/setup secret/);
    const again = new Actor(second.httpBase);
    expect((await again.post('/api/instructor/login', { password: PASSWORD })).status).toBe(200);
    const roster = await again.json<{ students: { student: { displayName: string }; completed: string[] }[] }>('/api/classroom/roster');
    expect(roster.students).toEqual([expect.objectContaining({ student: expect.objectContaining({ displayName: 'Ana' }), completed: [lessons[0]!.id] })]);
    const studentAgain = movedTo(student, second.httpBase);
    const me = await studentAgain.json<{ notices: { text: string }[]; progress: { lessonId: string; attempts: number }[] }>('/api/me');
    expect(me.notices.map((notice) => notice.text)).toEqual(['Before the crash']);
    expect(me.progress).toEqual([expect.objectContaining({ lessonId: lessons[0]!.id, attempts: 3 })]);
    expect((await studentAgain.json<{ messages: { subject: string | null }[] }>('/api/messages')).messages.map((message) => message.subject)).toEqual(mailBefore);
    expect(await transcripts(second)).toEqual(transcriptsBefore);
    expect((await studentAgain.json<{ records: DnsRecord[] }>('/api/world/dns')).records).toEqual(expect.arrayContaining([expect.objectContaining({ value: '10 down.example.net.' })]));
    expect(await waiting(second)).toBe(1);

    // Her zone back as it was: the new process delivers the relay the first one queued.
    expect((await studentAgain.post('/api/world/reset')).status).toBe(200);
    await expect
      .poll(async () => (await studentAgain.json<{ messages: { subject: string | null }[] }>('/api/messages?mailbox=bob@example.net')).messages.map((message) => message.subject), {
        timeout: 30_000,
        interval: 200,
      })
      .toContain('queued across a crash');
  });
});
