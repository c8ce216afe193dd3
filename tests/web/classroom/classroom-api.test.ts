/** The browser's classroom client checks each answer against the contract before a page uses it. */
import { describe, expect, it } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import { FakeClassServer, meOf, student } from './fake-server.ts';

describe('ClassroomApi', () => {
  it('hands over an answer of the contract\'s shape', async () => {
    const me = meOf(student('Ana'));
    const api = new ClassroomApi(new FakeClassServer().on('GET /api/me', { status: 200, body: me }).fetch);
    expect(await api.me()).toEqual({ ok: true, value: me });
  });

  it('refuses an answer of another shape with a reason, instead of handing it to the page', async () => {
    const nobody = { ...meOf(student('Ana')), student: null };
    const api = new ClassroomApi(new FakeClassServer().on('GET /api/me', { status: 200, body: nobody }).fetch);
    expect(await api.me()).toEqual({
      ok: false,
      status: 200,
      code: 'unexpected_answer',
      message: "The class server's answer to GET /api/me is not what this page expects (a newer or older server?); reload the page.",
    });
  });

  it('reads the server\'s error body, and says the status when there is none', async () => {
    const server = new FakeClassServer()
      .on('GET /api/me', { status: 429, body: { error: { code: 'rate_limited', message: 'Slow down.' } } })
      .on('GET /api/classroom/roster', { status: 502, body: 'Bad Gateway' });
    const api = new ClassroomApi(server.fetch);
    expect(await api.me()).toEqual({ ok: false, status: 429, code: 'rate_limited', message: 'Slow down.' });
    expect(await api.roster()).toEqual({ ok: false, status: 502, code: 'http', message: 'The class server answered HTTP 502.' });
  });
});
