import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassService } from '../../../server/classroom/class-service.ts';
import { CLASSROOM_SCHEMA_VERSION, migrateClassroom } from '../../../server/classroom/classroom-migrations.ts';
import { INSTRUCTOR_NAMESPACE, studentNamespace } from '../../../server/classroom/classroom-types.ts';
import { STUDENT_COOKIE } from '../../../server/classroom/cookies.ts';
import { openPostgres } from '../../../server/storage/sql/open-postgres.ts';
import { describeEachEngine, freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';
import { classFixture, joinClass, openClass, type ClassFixture } from './class-fixture.ts';

describeEachEngine('the class service', (current) => {
  let service: ClassService;
  beforeEach(async () => {
    service = await openClass(current.db);
  });
  const join = (name: string) => joinClass(service, name);

  describe('joining', () => {
    it('needs the class code and gives a token, a unique name and a class address', async () => {
      expect(await service.join('WRONG1', 'Ana')).toMatchObject({ ok: false, reason: 'wrong_code' });
      expect(await service.join(await service.joinCode(), '\u0007')).toMatchObject({ ok: false, reason: 'bad_name' });
      const ana = await join('Ana María');
      expect(ana.student).toMatchObject({ displayName: 'Ana María', handle: 'ana.maria', address: 'ana.maria@class.example.test', currentLesson: null });
      const again = await join('ana maría');
      expect(again.student).toMatchObject({ displayName: 'ana maría (2)', handle: 'ana.maria2' });
      expect(again.token).not.toBe(ana.token);
      expect((await service.studentByToken(ana.token))?.id).toBe(ana.student.id);
      expect(await service.identify({ headers: { cookie: `other=1; ${STUDENT_COOKIE}=${again.token}` } })).toEqual({ instructor: false, student: again.student });
    });

    it('with a rotated code refuses the old one and keeps the students already in', async () => {
      const ana = await join('Ana');
      const old = await service.joinCode();
      const code = await service.rotateJoinCode();
      expect(code).not.toBe(old);
      expect(await service.join(old, 'Bo')).toMatchObject({ ok: false, reason: 'wrong_code' });
      expect(await service.studentByToken(ana.token)).not.toBeNull();
    });

    it('keeps the join code a second service (another process) found', async () => {
      const other = await openClass(current.db);
      expect(await other.joinCode()).toBe(await service.joinCode());
    });
  });

  describe('namespaces and class addresses', () => {
    it('give each student their own namespace, the instructor theirs, and nobody else one', async () => {
      const ana = await join('Ana');
      expect(service.namespaceOf({ instructor: false, student: ana.student })).toBe(studentNamespace(ana.student.id));
      expect(service.namespaceOf({ instructor: true, student: null })).toBe(INSTRUCTOR_NAMESPACE);
      expect(service.namespaceOf({ instructor: false, student: null })).toBeNull();
      expect(await service.namespaceOfAddress('ANA@class.example.test')).toBe(studentNamespace(ana.student.id));
      expect(await service.namespaceOfAddress('instructor@Class.Example.Test')).toBe(INSTRUCTOR_NAMESPACE);
      expect(await service.namespaceOfAddress('zed@class.example.test')).toBeNull();
      expect(await service.namespaceOfAddress('ana@example.com')).toBeUndefined();
      expect(service.isClassAddress('zed@CLASS.example.test')).toBe(true);
      expect(service.isClassAddress('ana@example.com')).toBe(false);
    });
  });

  describe('removing a student', () => {
    it('revokes the token at once and frees the name but not the address', async () => {
      const ana = await join('Ana');
      expect(await service.remove(ana.student.id, false)).toBe(true);
      expect(await service.studentByToken(ana.token)).toBeNull();
      expect(await service.namespaceOfAddress('ana@class.example.test')).toBeNull();
      expect(await service.remove(ana.student.id, false)).toBe(false);
      expect((await join('Ana')).student).toMatchObject({ displayName: 'Ana', handle: 'ana2' });
    });

    it('with purge also deletes the progress and the notices to them', async () => {
      const ana = await join('Ana');
      await service.recordProgress(ana.student.id, 'the-greeting', { completed: true });
      await service.addNotice({ studentId: ana.student.id, kind: 'hint', lessonId: null, text: 'Look up' });
      await service.remove(ana.student.id, true);
      expect(await service.progress.ofStudent(ana.student.id)).toEqual([]);
      expect(await service.progress.allNotices()).toEqual([]);
    });
  });

  describe('progress', () => {
    it('merges reports: a completion stays, counters never go down, the lesson becomes the current one', async () => {
      const ana = await join('Ana');
      await service.recordProgress(ana.student.id, 'the-greeting', { attempts: 2, hintsUsed: 1 });
      const done = await service.recordProgress(ana.student.id, 'the-greeting', { completed: true, attempts: 3 });
      expect(done).toMatchObject({ lessonId: 'the-greeting', attempts: 3, hintsUsed: 1 });
      expect(done.completedAt).not.toBeNull();
      const stale = await service.recordProgress(ana.student.id, 'the-greeting', { completed: false, attempts: 1, hintsUsed: 0 });
      expect(stale).toMatchObject({ completedAt: done.completedAt, attempts: 3, hintsUsed: 1 });
      expect((await service.students.byId(ana.student.id))?.currentLesson).toBe('the-greeting');
      expect([...(await service.progress.byStudent()).keys()]).toEqual([ana.student.id]);
    });

    it('keeps "completed with the solution" apart: set by the first completion, cleared for good by one of their own', async () => {
      const ana = await join('Ana');
      const report = (lessonId: string, body: Parameters<ClassService['recordProgress']>[2]) => service.recordProgress(ana.student.id, lessonId, body);
      expect(await report('the-greeting', { completed: false, withSolution: true })).toMatchObject({ completedAt: null, completedWithSolution: false });
      const first = await report('the-greeting', { completed: true, withSolution: true });
      expect(first).toMatchObject({ completedWithSolution: true });
      // A report without a completion (a hint, a reopened lesson) changes nothing.
      expect(await report('the-greeting', { hintsUsed: 2 })).toMatchObject({ completedWithSolution: true, hintsUsed: 2 });
      const own = await report('the-greeting', { completed: true, withSolution: false });
      expect(own).toMatchObject({ completedAt: first.completedAt, completedWithSolution: false });
      expect(await report('the-greeting', { completed: true, withSolution: true })).toMatchObject({ completedWithSolution: false });
      expect(await report('client-and-server', { completed: true })).toMatchObject({ completedWithSolution: false });
    });
  });

  describe('notices', () => {
    it('reach their audience, oldest first, with increasing ids', async () => {
      const ana = await join('Ana');
      const bo = await join('Bo');
      const hint = await service.addNotice({ studentId: ana.student.id, kind: 'hint', lessonId: 'the-greeting', text: 'Look at the 250' });
      const all = await service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Hello all' });
      expect(all.id).toBeGreaterThan(hint.id);
      expect(hint).toMatchObject({ studentId: ana.student.id, kind: 'hint', lessonId: 'the-greeting' });
      expect((await service.progress.noticesFor(ana.student.id)).map((notice) => notice.text)).toEqual(['Look at the 250', 'Hello all']);
      expect((await service.progress.noticesFor(bo.student.id)).map((notice) => notice.text)).toEqual(['Hello all']);
      expect(await service.progress.allNotices()).toEqual([hint, all]);
    });
  });

  describe('class settings', () => {
    it('open lessons must exist and are kept in course order', async () => {
      expect(await service.openLessons()).toBeNull();
      expect(await service.setOpenLessons(['nope'])).toMatchObject({ ok: false });
      expect(await service.setOpenLessons(['ehlo-and-helo', 'client-and-server'])).toEqual({ ok: true, value: ['client-and-server', 'ehlo-and-helo'] });
      expect(await service.isLessonOpen('the-greeting')).toBe(false);
      expect(await service.isLessonOpen('ehlo-and-helo')).toBe(true);
    });

    it('behaviours accept partial, checked changes', async () => {
      expect(await service.behaviours()).toEqual({ requireAuth: false, greylist: false, closeAfterCommands: 0, replyDelayMs: 0, maxMessageSize: 10 * 1024 * 1024 });
      expect(await service.changeBehaviours({ maxMessageSize: 20 * 1024 * 1024 })).toMatchObject({ ok: false });
      expect(await service.changeBehaviours({ replyDelayMs: -1 })).toMatchObject({ ok: false });
      expect(await service.changeBehaviours({ teleport: true })).toMatchObject({ ok: false });
      expect(await service.changeBehaviours({ requireAuth: true, maxMessageSize: 2048 })).toMatchObject({
        ok: true,
        value: { requireAuth: true, maxMessageSize: 2048, greylist: false },
      });
    });
  });

  describe('the instructor account', () => {
    it('is set up once with the setup secret, and the database never holds the password', async () => {
      const { auth } = service;
      const secret = (await auth.issueSetupSecret())!;
      expect(await auth.setUp('not-the-secret', 'a long enough password')).toBe('wrong_secret');
      expect(await auth.setUp(secret, 'a long enough password')).toBe('ok');
      expect(await auth.setUp(secret, 'another password here')).toBe('already_set_up');
      expect(await auth.issueSetupSecret()).toBeNull();
      expect(await auth.signIn('another password here')).toBeNull();
      const token = await auth.signIn('a long enough password');
      expect(await auth.isSignedIn(token)).toBe(true);
      await auth.signOut(token);
      expect(await auth.isSignedIn(token)).toBe(false);
      const dump = JSON.stringify(await current.db.all('SELECT * FROM class_settings'));
      expect(dump).not.toContain('a long enough password');
      expect(dump).not.toContain(secret);
    });

    it('a new start replaces an unused setup secret', async () => {
      const { auth } = service;
      const first = (await auth.issueSetupSecret())!;
      const second = (await auth.issueSetupSecret())!;
      expect(await auth.setUp(first, 'a long enough password')).toBe('wrong_secret');
      expect(await auth.setUp(second, 'a long enough password')).toBe('ok');
    });

    it('lets only one of two setups racing with the same secret succeed', async () => {
      const secret = (await service.auth.issueSetupSecret())!;
      const other = await openClass(current.db);
      const results = await Promise.all([service.auth.setUp(secret, 'a long enough password'), other.auth.setUp(secret, 'another long password')]);
      expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    });
  });

  describe('a second service on the same database (a restart, or another process)', () => {
    it('sees the class, its students, progress, notices and settings', async () => {
      const ana = await join('Ana');
      const code = await service.joinCode();
      await service.recordProgress(ana.student.id, 'client-and-server', { completed: true });
      await service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Welcome!' });
      await service.setOpenLessons(['client-and-server']);
      await service.changeBehaviours({ greylist: true });
      const secret = (await service.auth.issueSetupSecret())!;
      await service.auth.setUp(secret, 'a long enough password');
      const signIn = await service.auth.startSession();

      const other = await openClass(current.db);
      expect(await other.joinCode()).toBe(code);
      expect(await other.studentByToken(ana.token)).toEqual({ ...ana.student, currentLesson: 'client-and-server' });
      expect(await other.progress.ofStudent(ana.student.id)).toHaveLength(1);
      expect((await other.progress.noticesFor(ana.student.id)).map((notice) => notice.text)).toEqual(['Welcome!']);
      expect(await other.openLessons()).toEqual(['client-and-server']);
      expect((await other.behaviours()).greylist).toBe(true);
      expect(await other.auth.isSignedIn(signIn)).toBe(true);
      expect(await other.auth.isSetUp()).toBe(true);
    });
  });
});

describe.skipIf(postgresAdminUrl() === null)('joins in two processes on one PostgreSQL database', () => {
  it('give the same name to nobody twice: a join that loses the race looks again instead of failing', async () => {
    const fresh = await freshDatabase('postgres');
    const second = await openPostgres(fresh.url!);
    try {
      const [a, b] = await Promise.all([openClass(fresh.db), openClass(second)]);
      const code = await a.joinCode();
      const joins = await Promise.all([a, b, a, b, a, b].map((service) => service.join(code, 'Ana')));
      const students = joins.map((result) => {
        if (!result.ok) throw new Error(result.message);
        return result.student;
      });
      expect(new Set(students.map((student) => student.displayName)).size).toBe(6);
      expect(new Set(students.map((student) => student.handle)).size).toBe(6);
      expect((await a.students.active()).map((student) => student.displayName).sort()).toEqual(['Ana', 'Ana (2)', 'Ana (3)', 'Ana (4)', 'Ana (5)', 'Ana (6)']);
    } finally {
      await second.close();
      await fresh.drop();
    }
  });
});

describe('the SQLite file', () => {
  let fixture: ClassFixture;
  afterEach(() => fixture.db.close());

  it('keeps the class over a restart', async () => {
    fixture = await classFixture();
    const ana = await joinClass(fixture.service, 'Ana');
    await fixture.service.recordProgress(ana.student.id, 'client-and-server', { completed: true });
    const code = await fixture.service.joinCode();
    fixture = await fixture.reopen();
    expect(await fixture.service.joinCode()).toBe(code);
    expect(await fixture.service.studentByToken(ana.token)).toEqual({ ...ana.student, currentLesson: 'client-and-server' });
    expect(await fixture.service.progress.ofStudent(ana.student.id)).toHaveLength(1);
  });

  it('reads completions stored before "with the solution" existed as the student\'s own', async () => {
    fixture = await classFixture();
    const { raw, service } = fixture;
    const ana = await joinClass(service, 'Ana');
    // A database as version 1 left it: no column, version 1, a completed lesson.
    raw.exec("ALTER TABLE progress DROP COLUMN completed_with_solution; DROP TABLE attempt_buckets; UPDATE component_versions SET version = 1 WHERE component = 'classroom'");
    raw
      .prepare('INSERT INTO progress (student_id, lesson_id, completed_at, attempts, hints_used, updated_at) VALUES (?, ?, ?, 1, 0, ?)')
      .run(ana.student.id, 'the-greeting', 1_700_000_000_000, 1_700_000_000_000);
    migrateClassroom(raw);
    // A fresh connection: the old one's prepared statements knew the table without the column.
    fixture = await fixture.reopen();
    expect(await fixture.service.progress.ofStudent(ana.student.id)).toEqual([
      expect.objectContaining({ lessonId: 'the-greeting', completedAt: new Date(1_700_000_000_000).toISOString(), completedWithSolution: false }),
    ]);
  });

  it('migrating twice changes nothing', async () => {
    fixture = await classFixture();
    migrateClassroom(fixture.raw);
    expect(fixture.raw.prepare("SELECT version FROM component_versions WHERE component = 'classroom'").get()).toEqual({ version: CLASSROOM_SCHEMA_VERSION });
  });
});
