import { describe, expect, it } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { forgetLegacyClassToken, isInstructorPath, joinCodeOf, LEGACY_CLASS_TOKEN_KEY, resolvePage } from '../../../web/src/classroom/page-route.ts';
import { CLASS_DOMAIN, FakeClassServer, meOf, student } from './fake-server.ts';

const ana = student('Ana');
const info = (you: { instructor: boolean; student: ReturnType<typeof student> | null }) => ({
  status: 200,
  body: { mode: 'classroom', classDomain: CLASS_DOMAIN, instructorSetUp: true, you },
});

function memoryStorage(entries: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe('paths', () => {
  it.each([
    ['/join/K7QX2M', 'K7QX2M'],
    ['/join/K7QX2M/', 'K7QX2M'],
    ['/join/ab%20cd', 'ab cd'],
    ['/join/%E0', ''],
    ['/', ''],
    ['/join/a/b', ''],
  ])('reads the join code of %s as "%s"', (path, code) => {
    expect(joinCodeOf(path)).toBe(code);
  });

  it.each([
    ['/instructor', true],
    ['/instructor/', true],
    ['/instructors', false],
  ])('recognises %s as the instructor page: %s', (path, instructor) => {
    expect(isInstructorPath(path)).toBe(instructor);
  });
});

describe('a class token left by an earlier version', () => {
  it('is deleted, and the rest of storage is kept', () => {
    const storage = memoryStorage({ [LEGACY_CLASS_TOKEN_KEY]: 'tok-123', 'smtp-lab.progress': '{}' });
    forgetLegacyClassToken(storage);
    expect(storage.getItem(LEGACY_CLASS_TOKEN_KEY)).toBeNull();
    expect(storage.getItem('smtp-lab.progress')).toBe('{}');
    expect(() => forgetLegacyClassToken(null)).not.toThrow();
  });
});

describe('resolvePage', () => {
  it('is the plain learner app when the server runs no class (404) or is a static host (HTML)', async () => {
    const none = new FakeClassServer();
    expect(await resolvePage('/', new ClassroomApi(none.fetch))).toEqual({ kind: 'solo' });
    const html: ConstructorParameters<typeof ClassroomApi>[0] = async () => new Response('<!doctype html>', { status: 200 });
    expect(await resolvePage('/join/ABC', new ClassroomApi(html))).toEqual({ kind: 'solo' });
    expect(await resolvePage('/instructor', new ClassroomApi(none.fetch))).toEqual({ kind: 'instructor', info: null });
  });

  it("is the plain learner app when smtp-lab serve answers that it runs no class", async () => {
    const solo = new FakeClassServer().on('GET /api/classroom', { status: 200, body: { mode: 'solo' } });
    expect(await resolvePage('/', new ClassroomApi(solo.fetch))).toEqual({ kind: 'solo' });
    expect(await resolvePage('/instructor', new ClassroomApi(solo.fetch))).toEqual({ kind: 'instructor', info: null });
  });

  it('sends a browser that is not in the class to the join page, with the code from the link', async () => {
    const server = new FakeClassServer().on('GET /api/classroom', info({ instructor: false, student: null }));
    const route = await resolvePage('/join/K7QX2M', new ClassroomApi(server.fetch));
    expect(route).toMatchObject({ kind: 'join', code: 'K7QX2M', note: null, info: { classDomain: CLASS_DOMAIN } });
  });

  it('resumes a student by cookie', async () => {
    const server = new FakeClassServer()
      .on('GET /api/classroom', info({ instructor: false, student: ana }))
      .on('GET /api/me', { status: 200, body: meOf(ana) });
    expect(await resolvePage('/', new ClassroomApi(server.fetch))).toEqual({ kind: 'student', me: meOf(ana) });
  });

  it('sends a browser without the cookie to the join page, whatever its storage holds', async () => {
    const server = new FakeClassServer().on('GET /api/classroom', info({ instructor: false, student: null }));
    expect(await resolvePage('/', new ClassroomApi(server.fetch))).toEqual({ kind: 'join', code: '', info: info({ instructor: false, student: null }).body, note: null });
    expect(server.made('POST /api/class/resume')).toEqual([]);
  });

  it("says why on the join page when the class knows the browser but /api/me refuses", async () => {
    const server = new FakeClassServer()
      .on('GET /api/classroom', info({ instructor: false, student: ana }))
      .on('GET /api/me', { status: 429, body: { error: { code: 'rate_limited', message: 'Slow down: too many requests; try again in 2 s.' } } });
    expect(await resolvePage('/', new ClassroomApi(server.fetch))).toMatchObject({ kind: 'join', note: 'Slow down: too many requests; try again in 2 s.' });
  });

  it('gives /instructor the dashboard page whoever asks', async () => {
    const server = new FakeClassServer().on('GET /api/classroom', info({ instructor: false, student: ana }));
    expect(await resolvePage('/instructor', new ClassroomApi(server.fetch))).toMatchObject({ kind: 'instructor', info: { you: { student: ana } } });
  });
});
