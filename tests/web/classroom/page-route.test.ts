import { describe, expect, it } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { CLASS_TOKEN_KEY, isInstructorPath, joinCodeOf, resolvePage } from '../../../web/src/classroom/page-route.ts';
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
  it('reads the join code from /join/CODE and recognises /instructor', () => {
    expect(joinCodeOf('/join/K7QX2M')).toBe('K7QX2M');
    expect(joinCodeOf('/join/K7QX2M/')).toBe('K7QX2M');
    expect(joinCodeOf('/join/ab%20cd')).toBe('ab cd');
    expect(joinCodeOf('/join/%E0')).toBe('');
    expect(joinCodeOf('/')).toBe('');
    expect(joinCodeOf('/join/a/b')).toBe('');
    expect(isInstructorPath('/instructor')).toBe(true);
    expect(isInstructorPath('/instructor/')).toBe(true);
    expect(isInstructorPath('/instructors')).toBe(false);
  });
});

describe('resolvePage', () => {
  it('is the plain learner app when the server runs no class (404) or is a static host (HTML)', async () => {
    const none = new FakeClassServer();
    expect(await resolvePage('/', new ClassroomApi(none.fetch), null)).toEqual({ kind: 'solo' });
    const html: ConstructorParameters<typeof ClassroomApi>[0] = async () => new Response('<!doctype html>', { status: 200 });
    expect(await resolvePage('/join/ABC', new ClassroomApi(html), null)).toEqual({ kind: 'solo' });
    expect(await resolvePage('/instructor', new ClassroomApi(none.fetch), null)).toEqual({ kind: 'instructor', info: null });
  });

  it('sends a browser that is not in the class to the join page, with the code from the link', async () => {
    const server = new FakeClassServer().on('GET /api/classroom', info({ instructor: false, student: null }));
    const route = await resolvePage('/join/K7QX2M', new ClassroomApi(server.fetch), memoryStorage());
    expect(route).toMatchObject({ kind: 'join', code: 'K7QX2M', note: null, info: { classDomain: CLASS_DOMAIN } });
  });

  it('resumes a student by cookie', async () => {
    const server = new FakeClassServer()
      .on('GET /api/classroom', info({ instructor: false, student: ana }))
      .on('GET /api/me', { status: 200, body: meOf(ana) });
    expect(await resolvePage('/', new ClassroomApi(server.fetch), null)).toEqual({ kind: 'student', me: meOf(ana) });
  });

  it('resumes a student whose cookie is gone with the token this browser kept', async () => {
    const server = new FakeClassServer()
      .on('GET /api/classroom', info({ instructor: false, student: null }))
      .on('POST /api/class/resume', { status: 200, body: { student: ana, openLessons: null } })
      .on('GET /api/me', { status: 200, body: meOf(ana) });
    const route = await resolvePage('/', new ClassroomApi(server.fetch), memoryStorage({ [CLASS_TOKEN_KEY]: 'tok-123' }));
    expect(route).toEqual({ kind: 'student', me: meOf(ana) });
    expect(server.made('POST /api/class/resume')[0]?.body).toEqual({ token: 'tok-123' });
  });

  it('forgets a token the server refuses and says why on the join page', async () => {
    const storage = memoryStorage({ [CLASS_TOKEN_KEY]: 'old' });
    const server = new FakeClassServer()
      .on('GET /api/classroom', info({ instructor: false, student: null }))
      .on('POST /api/class/resume', { status: 401, body: { error: { code: 'unauthorized', message: 'This browser is no longer in the class; join again with the class code.' } } });
    const route = await resolvePage('/', new ClassroomApi(server.fetch), storage);
    expect(route).toMatchObject({ kind: 'join', code: '', note: 'This browser is no longer in the class; join again with the class code.' });
    expect(storage.getItem(CLASS_TOKEN_KEY)).toBeNull();
  });

  it('gives /instructor the dashboard page whoever asks', async () => {
    const server = new FakeClassServer().on('GET /api/classroom', info({ instructor: false, student: ana }));
    expect(await resolvePage('/instructor', new ClassroomApi(server.fetch), null)).toMatchObject({ kind: 'instructor', info: { you: { student: ana } } });
  });
});
