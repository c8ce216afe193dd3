import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ClassStrip from '../../../web/src/classroom/ClassStrip.svelte';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import JoinPage from '../../../web/src/classroom/JoinPage.svelte';
import NoticeToasts from '../../../web/src/classroom/NoticeToasts.svelte';
import RemovedScreen from '../../../web/src/classroom/RemovedScreen.svelte';
import type { NoticeJson } from '../../../protocol/wire/classroom-contract.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import LessonList from '../../../web/src/lessons/LessonList.svelte';
import { CLASS_DOMAIN, FakeClassServer, meOf, student } from './fake-server.ts';

const ana = student('Ana');
const info = { mode: 'classroom' as const, classDomain: CLASS_DOMAIN, instructorSetUp: true, you: { instructor: false, student: null } };
const notice = (id: number, text: string, extra: Partial<NoticeJson> = {}): NoticeJson => ({
  id,
  studentId: null,
  kind: 'message',
  lessonId: null,
  text,
  createdAt: '2026-11-27T10:05:00.000Z',
  ...extra,
});

describe('JoinPage', () => {
  it('joins with the code from the link and a name, keeps nothing in storage, and hands over the student', async () => {
    const server = new FakeClassServer()
      .on('POST /api/class/join', { status: 201, body: { student: ana, openLessons: null } })
      .on('GET /api/me', { status: 200, body: meOf(ana) });
    const onjoined = vi.fn();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    render(JoinPage, { api: new ClassroomApi(server.fetch), info, code: 'K7QX2M', onjoined });
    expect(screen.getByRole('heading', { name: 'Join the class' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Class code' })).toHaveProperty('value', 'K7QX2M');
    await fireEvent.input(screen.getByRole('textbox', { name: /Your name/ }), { target: { value: '  Ana ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Join the class' }));
    await vi.waitFor(() => expect(onjoined).toHaveBeenCalledWith(meOf(ana)));
    expect(server.made('POST /api/class/join')[0]?.body).toEqual({ code: 'K7QX2M', displayName: 'Ana' });
    // The HttpOnly cookie is the only credential: nothing a script could read is written.
    expect(setItem).not.toHaveBeenCalled();
    setItem.mockRestore();
  });

  it("shows the server's refusal and stays on the form", async () => {
    const server = new FakeClassServer().on('POST /api/class/join', {
      status: 403,
      body: { error: { code: 'wrong_join_code', message: 'That class code is not right. Check it with your instructor.' } },
    });
    const onjoined = vi.fn();
    render(JoinPage, { api: new ClassroomApi(server.fetch), info, code: '', note: 'Slow down: too many requests; try again in 2 s.', onjoined });
    expect(screen.getByRole('status').textContent).toContain('Slow down');
    await fireEvent.input(screen.getByRole('textbox', { name: 'Class code' }), { target: { value: 'WRONG1' } });
    await fireEvent.input(screen.getByRole('textbox', { name: /Your name/ }), { target: { value: 'Bo' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Join the class' }));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That class code is not right. Check it with your instructor.'));
    expect(onjoined).not.toHaveBeenCalled();
  });
});

describe('the class strip, toasts and removal', () => {
  it('shows the class address and lists the notices on demand', async () => {
    const notices = [notice(2, 'Hint: try EHLO first.', { kind: 'hint', studentId: 'ana' }), notice(1, 'Welcome, everyone!')];
    render(ClassStrip, { student: ana, notices, connected: true });
    const strip = screen.getByRole('region', { name: 'Your class' });
    expect(strip.textContent).toContain(`Your class address: ${ana.address}`);
    expect(strip.textContent).toContain('Connected to the class');
    const toggle = screen.getByRole('button', { name: /Notices from your instructor/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const list = screen.getByRole('region', { name: 'Notices from your instructor' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => [item.textContent?.split(' · ')[0]?.trim(), item.querySelector('p')?.textContent])).toEqual([
      ['Hint for you', 'Hint: try EHLO first.'],
      ['Message to the class', 'Welcome, everyone!'],
    ]);
    expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-27T10:05:00.000Z');
  });

  it('announces new notices politely and lets the student dismiss them', async () => {
    const ondismiss = vi.fn();
    render(NoticeToasts, { toasts: [notice(3, 'Ten minutes left.')], ondismiss });
    const region = screen.getByRole('region', { name: 'New from your instructor' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toContain('Message to the class from your instructor');
    expect(region.textContent).toContain('Ten minutes left.');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(ondismiss).toHaveBeenCalledWith(3);
  });

  it('says clearly that the student was removed', () => {
    render(RemovedScreen, { reason: 'The instructor removed you from the class.' });
    const dialog = screen.getByRole('alertdialog', { name: 'You are no longer in this class' });
    expect(dialog.textContent).toContain('The instructor removed you from the class.');
    expect(screen.getByRole('link', { name: 'Join again' }).getAttribute('href')).toBe('/');
  });

  it('lists lessons the instructor has not opened as locked', async () => {
    const { lessons } = loadCourse();
    const first = lessons[0]!;
    render(LessonList, { lessons: lessons.slice(0, 3), statusOf: () => 'not-started', current: first.id, onopen: vi.fn(), isOpen: (id: string) => id === first.id });
    const buttons = within(screen.getByRole('list', { name: 'Lessons' })).getAllByRole('button');
    expect(buttons.map((button) => (button as HTMLButtonElement).disabled)).toEqual([false, true, true]);
    expect(buttons[1]?.textContent).toContain('not opened by your instructor yet');
  });
});
