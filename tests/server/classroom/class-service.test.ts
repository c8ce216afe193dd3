import { afterEach, describe, expect, it } from 'vitest';
import { CLASSROOM_SCHEMA_VERSION, migrateClassroom } from '../../../server/classroom/classroom-migrations.ts';
import { INSTRUCTOR_NAMESPACE, studentNamespace } from '../../../server/classroom/classroom-types.ts';
import { STUDENT_COOKIE } from '../../../server/classroom/cookies.ts';
import { classFixture, type ClassFixture } from './class-fixture.ts';

let fixture: ClassFixture;
afterEach(() => fixture.db.close());

function join(name: string) {
  const result = fixture.service.join(fixture.service.joinCode().toLowerCase(), name);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('joining', () => {
  it('needs the class code and gives a token, a unique name and a class address', () => {
    fixture = classFixture();
    const { service } = fixture;
    expect(service.join('WRONG1', 'Ana')).toMatchObject({ ok: false, reason: 'wrong_code' });
    expect(service.join(service.joinCode(), '\u0007')).toMatchObject({ ok: false, reason: 'bad_name' });
    const ana = join('Ana María');
    expect(ana.student).toMatchObject({ displayName: 'Ana María', handle: 'ana.maria', address: 'ana.maria@class.example.test', currentLesson: null });
    const again = join('ana maría');
    expect(again.student).toMatchObject({ displayName: 'ana maría (2)', handle: 'ana.maria2' });
    expect(again.token).not.toBe(ana.token);
    expect(service.studentByToken(ana.token)?.id).toBe(ana.student.id);
    expect(service.identify({ headers: { cookie: `other=1; ${STUDENT_COOKIE}=${again.token}` } })).toEqual({ instructor: false, student: again.student });
  });

  it('with a rotated code refuses the old one and keeps the students already in', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    const old = service.joinCode();
    const code = service.rotateJoinCode();
    expect(code).not.toBe(old);
    expect(service.join(old, 'Bo')).toMatchObject({ ok: false, reason: 'wrong_code' });
    expect(service.studentByToken(ana.token)).not.toBeNull();
  });
});

describe('namespaces and class addresses', () => {
  it('give each student their own namespace, the instructor theirs, and nobody else one', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    expect(service.namespaceOf({ instructor: false, student: ana.student })).toBe(studentNamespace(ana.student.id));
    expect(service.namespaceOf({ instructor: true, student: null })).toBe(INSTRUCTOR_NAMESPACE);
    expect(service.namespaceOf({ instructor: false, student: null })).toBeNull();
    expect(service.namespaceOfAddress('ANA@class.example.test')).toBe(studentNamespace(ana.student.id));
    expect(service.namespaceOfAddress('instructor@Class.Example.Test')).toBe(INSTRUCTOR_NAMESPACE);
    expect(service.namespaceOfAddress('zed@class.example.test')).toBeNull();
    expect(service.namespaceOfAddress('ana@example.com')).toBeUndefined();
  });
});

describe('removing a student', () => {
  it('revokes the token at once and frees the name but not the address', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    expect(service.remove(ana.student.id, false)).toBe(true);
    expect(service.studentByToken(ana.token)).toBeNull();
    expect(service.namespaceOfAddress('ana@class.example.test')).toBeNull();
    expect(service.remove(ana.student.id, false)).toBe(false);
    expect(join('Ana').student).toMatchObject({ displayName: 'Ana', handle: 'ana2' });
  });

  it('with purge also deletes the progress', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    service.recordProgress(ana.student.id, 'the-greeting', { completed: true });
    service.remove(ana.student.id, true);
    expect(service.progress.ofStudent(ana.student.id)).toEqual([]);
  });
});

describe('progress', () => {
  it('merges reports: a completion stays, counters never go down, the lesson becomes the current one', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    service.recordProgress(ana.student.id, 'the-greeting', { attempts: 2, hintsUsed: 1 });
    const done = service.recordProgress(ana.student.id, 'the-greeting', { completed: true, attempts: 3 });
    expect(done).toMatchObject({ lessonId: 'the-greeting', attempts: 3, hintsUsed: 1 });
    expect(done.completedAt).not.toBeNull();
    const stale = service.recordProgress(ana.student.id, 'the-greeting', { completed: false, attempts: 1, hintsUsed: 0 });
    expect(stale).toMatchObject({ completedAt: done.completedAt, attempts: 3, hintsUsed: 1 });
    expect(service.students.byId(ana.student.id)?.currentLesson).toBe('the-greeting');
  });

  it('keeps "completed with the solution" apart: set by the first completion, cleared for good by one of their own', () => {
    fixture = classFixture();
    const { service } = fixture;
    const ana = join('Ana');
    expect(service.recordProgress(ana.student.id, 'the-greeting', { completed: false, withSolution: true })).toMatchObject({ completedAt: null, completedWithSolution: false });
    const first = service.recordProgress(ana.student.id, 'the-greeting', { completed: true, withSolution: true });
    expect(first).toMatchObject({ completedWithSolution: true });
    // A report without a completion (a hint, a reopened lesson) changes nothing.
    expect(service.recordProgress(ana.student.id, 'the-greeting', { hintsUsed: 2 })).toMatchObject({ completedWithSolution: true, hintsUsed: 2 });
    const own = service.recordProgress(ana.student.id, 'the-greeting', { completed: true, withSolution: false });
    expect(own).toMatchObject({ completedAt: first.completedAt, completedWithSolution: false });
    expect(service.recordProgress(ana.student.id, 'the-greeting', { completed: true, withSolution: true })).toMatchObject({ completedWithSolution: false });
    expect(service.recordProgress(ana.student.id, 'client-and-server', { completed: true })).toMatchObject({ completedWithSolution: false });
  });

  it('reads completions stored before "with the solution" existed as the student\'s own', () => {
    fixture = classFixture();
    const { db, service } = fixture;
    const ana = join('Ana');
    // A database as version 1 left it: no column, version 1, a completed lesson.
    db.exec("ALTER TABLE progress DROP COLUMN completed_with_solution; UPDATE component_versions SET version = 1 WHERE component = 'classroom'");
    db.prepare('INSERT INTO progress (student_id, lesson_id, completed_at, attempts, hints_used, updated_at) VALUES (?, ?, ?, 1, 0, ?)').run(ana.student.id, 'the-greeting', 1_700_000_000_000, 1_700_000_000_000);
    migrateClassroom(db);
    expect(service.progress.ofStudent(ana.student.id)).toEqual([expect.objectContaining({ lessonId: 'the-greeting', completedAt: new Date(1_700_000_000_000).toISOString(), completedWithSolution: false })]);
  });
});

describe('class settings', () => {
  it('open lessons must exist and are kept in course order', () => {
    fixture = classFixture();
    const { service } = fixture;
    expect(service.openLessons()).toBeNull();
    expect(service.setOpenLessons(['nope'])).toMatchObject({ ok: false });
    expect(service.setOpenLessons(['ehlo-and-helo', 'client-and-server'])).toEqual({ ok: true, value: ['client-and-server', 'ehlo-and-helo'] });
    expect(service.isLessonOpen('the-greeting')).toBe(false);
    expect(service.isLessonOpen('ehlo-and-helo')).toBe(true);
  });

  it('behaviours accept partial, checked changes', () => {
    fixture = classFixture();
    const { service } = fixture;
    expect(service.behaviours()).toEqual({ requireAuth: false, greylist: false, closeAfterCommands: 0, replyDelayMs: 0, maxMessageSize: 10 * 1024 * 1024 });
    expect(service.changeBehaviours({ maxMessageSize: 20 * 1024 * 1024 })).toMatchObject({ ok: false });
    expect(service.changeBehaviours({ replyDelayMs: -1 })).toMatchObject({ ok: false });
    expect(service.changeBehaviours({ teleport: true })).toMatchObject({ ok: false });
    expect(service.changeBehaviours({ requireAuth: true, maxMessageSize: 2048 })).toMatchObject({ ok: true, value: { requireAuth: true, maxMessageSize: 2048, greylist: false } });
  });
});

describe('the instructor account', () => {
  it('is set up once with the setup secret, and the database never holds the password', async () => {
    fixture = classFixture();
    const { auth } = fixture.service;
    const secret = auth.issueSetupSecret()!;
    expect(await auth.setUp('not-the-secret', 'a long enough password')).toBe('wrong_secret');
    expect(await auth.setUp(secret, 'a long enough password')).toBe('ok');
    expect(await auth.setUp(secret, 'another password here')).toBe('already_set_up');
    expect(auth.issueSetupSecret()).toBeNull();
    expect(await auth.signIn('another password here')).toBeNull();
    const token = await auth.signIn('a long enough password');
    expect(auth.isSignedIn(token)).toBe(true);
    auth.signOut(token);
    expect(auth.isSignedIn(token)).toBe(false);
    const dump = JSON.stringify(fixture.db.prepare('SELECT * FROM class_settings').all());
    expect(dump).not.toContain('a long enough password');
    expect(dump).not.toContain(secret);
  });

  it('a new start replaces an unused setup secret', async () => {
    fixture = classFixture();
    const { auth } = fixture.service;
    const first = auth.issueSetupSecret()!;
    const second = auth.issueSetupSecret()!;
    expect(await auth.setUp(first, 'a long enough password')).toBe('wrong_secret');
    expect(await auth.setUp(second, 'a long enough password')).toBe('ok');
  });
});

describe('a restart', () => {
  it('keeps the class, its students, progress, notices and settings', async () => {
    fixture = classFixture();
    const ana = join('Ana');
    const code = fixture.service.joinCode();
    fixture.service.recordProgress(ana.student.id, 'client-and-server', { completed: true });
    fixture.service.addNotice({ studentId: null, kind: 'message', lessonId: null, text: 'Welcome!' });
    fixture.service.setOpenLessons(['client-and-server']);
    fixture.service.changeBehaviours({ greylist: true });
    const secret = fixture.service.auth.issueSetupSecret()!;
    await fixture.service.auth.setUp(secret, 'a long enough password');
    const signIn = fixture.service.auth.startSession();

    fixture = fixture.reopen();
    const { service } = fixture;
    expect(service.joinCode()).toBe(code);
    expect(service.studentByToken(ana.token)).toEqual({ ...ana.student, currentLesson: 'client-and-server' });
    expect(service.progress.ofStudent(ana.student.id)).toHaveLength(1);
    expect(service.progress.noticesFor(ana.student.id).map((notice) => notice.text)).toEqual(['Welcome!']);
    expect(service.openLessons()).toEqual(['client-and-server']);
    expect(service.behaviours().greylist).toBe(true);
    expect(service.auth.isSignedIn(signIn)).toBe(true);
    expect(service.auth.isSetUp).toBe(true);
  });

  it('migrating twice changes nothing', () => {
    fixture = classFixture();
    migrateClassroom(fixture.db);
    expect(fixture.db.prepare("SELECT version FROM component_versions WHERE component = 'classroom'").get()).toEqual({ version: CLASSROOM_SCHEMA_VERSION });
  });
});
