import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { ClassroomApi } from '../../../web/src/classroom/classroom-api.ts';
import AuthForm from '../../../web/src/instructor/AuthForm.svelte';
import BehavioursControl from '../../../web/src/instructor/BehavioursControl.svelte';
import { activeBehaviours, sizeText } from '../../../web/src/instructor/behaviour-text.ts';
import JoinCard from '../../../web/src/instructor/JoinCard.svelte';
import LessonsControl from '../../../web/src/instructor/LessonsControl.svelte';
import NoticeForm from '../../../web/src/instructor/NoticeForm.svelte';
import { openLessonsText } from '../../../web/src/instructor/open-lessons-text.ts';
import ProgressGrid from '../../../web/src/instructor/ProgressGrid.svelte';
import RemoveDialog from '../../../web/src/instructor/RemoveDialog.svelte';
import RosterTable from '../../../web/src/instructor/RosterTable.svelte';
import { FakeClassServer } from './fake-server.ts';
import { BEHAVIOURS, entry, LESSONS, LIMITS } from './fixtures.ts';

const session = { sessionId: 's1', target: 'sandbox', startedAt: '2026-11-27T10:01:00.000Z', state: 'identified.idle', label: 'Identified: ready for a mail transaction' };

describe('RosterTable', () => {
  it('shows each student with online status, current lesson, progress and SMTP session state', async () => {
    const onwatch = vi.fn();
    const onremove = vi.fn();
    const ana = entry('Ana', { completed: ['client-and-server'], currentLesson: 'the-greeting', sessions: [session] });
    const bo = entry('Bo', { online: false, connections: 0 });
    render(RosterTable, { roster: [ana, bo], lessons: LESSONS, watchedId: 'ana', onwatch, onremove });
    const table = screen.getByRole('table', { name: 'Roster' });
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim());
    expect(cells(rows[0]!).slice(0, 5)).toEqual(['Ana ana@class.smtp-lab.test', 'Online', '2. The greeting', '1 / 3', 'Identified: ready for a mail transaction']);
    expect(cells(rows[1]!).slice(0, 5)).toEqual(['Bo bo@class.smtp-lab.test', 'Offline', 'Not started', '0 / 3', '—']);
    expect(rows[0]?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: "Watch Ana's console" }).getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: "Watch Bo's console" }));
    expect(onwatch).toHaveBeenCalledWith('bo');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Bo' }));
    expect(onremove).toHaveBeenCalledWith(bo);
  });

  it('says what to do while nobody has joined', () => {
    render(RosterTable, { roster: [], lessons: LESSONS, watchedId: null, onwatch: vi.fn(), onremove: vi.fn() });
    expect(screen.queryByRole('table')).toBeNull();
    expect(document.body.textContent).toContain('No students yet');
  });
});

describe('ProgressGrid', () => {
  it('marks each lesson done (with hints), done with the solution, being worked on, or not started, and counts finishers', () => {
    const ana = entry('Ana', { completed: ['client-and-server'], currentLesson: 'the-greeting' });
    const bo = entry('Bo', { completed: ['client-and-server', 'the-greeting'] });
    const progress = {
      lessons: LESSONS,
      students: [
        { student: ana.student, progress: [{ lessonId: 'client-and-server', completedAt: 'x', completedWithSolution: false, attempts: 1, hintsUsed: 2, updatedAt: 'x' }] },
        { student: bo.student, progress: [{ lessonId: 'the-greeting', completedAt: 'x', completedWithSolution: true, attempts: 1, hintsUsed: 0, updatedAt: 'x' }] },
      ],
    };
    render(ProgressGrid, { lessons: LESSONS, roster: [ana, bo], progress, openLessons: ['client-and-server', 'the-greeting'] });
    const table = screen.getByRole('table', { name: 'Progress grid' });
    const body = within(table).getAllByRole('row').slice(1, 3);
    expect(within(body[0]!).getAllByRole('cell').map((cell) => cell.getAttribute('aria-label') ?? cell.textContent)).toEqual([
      'Ana, Client and server: done, 2 hints',
      'Ana, The greeting: working on it',
      'Ana, EHLO and HELO: not started',
      '1',
    ]);
    const boCells = within(body[1]!).getAllByRole('cell');
    expect(boCells[0]?.getAttribute('data-kind')).toBe('done');
    expect(boCells[1]?.getAttribute('data-kind')).toBe('solution');
    expect(boCells[1]?.getAttribute('aria-label')).toBe('Bo, The greeting: done with the solution');
    expect([boCells[0]?.textContent?.trim(), boCells[1]?.textContent?.trim()]).toEqual(['✓', '◐']);
    expect(document.querySelector('.legend')?.textContent).toContain('◐ done with the solution');
    const footer = within(table).getAllByRole('row').at(-1)!;
    expect(within(footer).getAllByRole('cell').slice(0, 3).map((cell) => cell.textContent)).toEqual(['2', '1', '0']);
    expect(table.querySelector('th[data-open="false"]')?.getAttribute('title')).toBe('EHLO and HELO');
  });
});

describe('LessonsControl', () => {
  it('shows the lessons open now and applies a new selection', async () => {
    const onapply = vi.fn(async () => ({ ok: true }));
    render(LessonsControl, { lessons: LESSONS, open: ['client-and-server'], onapply });
    expect(screen.getByRole('status').textContent).toBe('Open now: lesson 1');
    const apply = screen.getByRole('button', { name: 'Open the selected lessons' });
    expect(apply).toHaveProperty('disabled', true);
    await fireEvent.click(screen.getByRole('checkbox', { name: /The greeting/ }));
    await fireEvent.click(apply);
    expect(onapply).toHaveBeenCalledWith(['client-and-server', 'the-greeting']);
    await fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    await fireEvent.click(apply);
    expect(onapply).toHaveBeenLastCalledWith(null);
  });

  it('words the open lessons', () => {
    const many = Array.from({ length: 8 }, (_, index) => ({ id: `l${index + 1}`, title: `L${index + 1}`, order: index + 1 }));
    expect(openLessonsText(many, null)).toBe('all 8 lessons');
    expect(openLessonsText(many, [])).toBe('no lessons');
    expect(openLessonsText(many, ['l1', 'l2', 'l3', 'l5', 'l7', 'l8'])).toBe('lessons 1–3, 5 and 7–8');
    expect(openLessonsText(many, ['l4'])).toBe('lesson 4');
  });
});

describe('BehavioursControl', () => {
  it('lists what is in force and applies changes', async () => {
    const onapply = vi.fn(async () => ({ ok: true }));
    const view = render(BehavioursControl, { behaviours: BEHAVIOURS, limits: LIMITS, onapply });
    expect(screen.getByRole('status', { name: 'Behaviours in force' }).textContent).toContain('none');
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Require AUTH before MAIL FROM' }));
    await fireEvent.change(screen.getByRole('spinbutton', { name: /421 after/ }), { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply to the class' }));
    expect(onapply).toHaveBeenCalledWith({ ...BEHAVIOURS, requireAuth: true, closeAfterCommands: 5 });
    await view.rerender({ behaviours: { ...BEHAVIOURS, requireAuth: true, closeAfterCommands: 5 }, limits: LIMITS, onapply });
    const active = within(screen.getByRole('status', { name: 'Behaviours in force' })).getAllByRole('listitem');
    expect(active.map((item) => item.textContent)).toEqual([
      'AUTH required: MAIL FROM before AUTH gets 530.',
      '421 and the connection closes after 5 commands.',
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Turn all off' }));
    expect(onapply).toHaveBeenLastCalledWith({ requireAuth: false, greylist: false, closeAfterCommands: 0, replyDelayMs: 0, maxMessageSize: LIMITS.maxMessageSize.max });
  });

  it('words sizes and the active behaviours', () => {
    expect(sizeText(10 * 1024 * 1024)).toBe('10 MB');
    expect(sizeText(20_480)).toBe('20 KB');
    expect(sizeText(1500)).toBe('1500 bytes');
    expect(activeBehaviours({ ...BEHAVIOURS, maxMessageSize: 20_480, greylist: true, replyDelayMs: 800 }, LIMITS)).toEqual([
      'SIZE limit 20 KB: bigger messages get 552.',
      'Greylisting: the first RCPT TO for each sender and recipient pair gets 451; the same RCPT again passes (AUTH skips it).',
      'Slow replies: every reply waits 800 ms.',
    ]);
  });
});

describe('NoticeForm', () => {
  it('sends a hint to one student and lists what was sent', async () => {
    const onsend = vi.fn(async () => ({ ok: true }));
    const roster = [entry('Ana'), entry('Bo')];
    const sent = [{ id: 1, studentId: null, kind: 'message' as const, lessonId: null, text: 'Welcome!', createdAt: '2026-11-27T10:00:00.000Z' }];
    render(NoticeForm, { roster, lessons: LESSONS, sent, onsend });
    await fireEvent.change(screen.getByRole('combobox', { name: 'To' }), { target: { value: 'bo' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Hint' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'About lesson' }), { target: { value: 'the-greeting' } });
    await fireEvent.input(screen.getByRole('textbox', { name: 'Hint' }), { target: { value: 'Look at the 220 line.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onsend).toHaveBeenCalledWith({ text: 'Look at the 220 line.', kind: 'hint', studentId: 'bo', lessonId: 'the-greeting' });
    await vi.waitFor(() => expect(screen.getByText('Sent to Bo.')).toBeTruthy());
    expect(document.body.textContent).toContain('Message to everyone');
  });
});

describe('RemoveDialog', () => {
  it('asks first, focuses Cancel, and removes with or without purging', async () => {
    const onconfirm = vi.fn(async () => ({ ok: true }));
    const oncancel = vi.fn();
    render(RemoveDialog, { entry: entry('Bo'), onconfirm, oncancel });
    expect(screen.getByRole('alertdialog', { name: 'Remove Bo from the class?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /Also delete/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Bo' }));
    expect(onconfirm).toHaveBeenCalledWith(true);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(oncancel).toHaveBeenCalled();
  });
});

describe('AuthForm', () => {
  it('sets the password up with the one-time secret', async () => {
    const server = new FakeClassServer().on('POST /api/instructor/setup', { status: 201, body: { signedIn: true } });
    const ondone = vi.fn();
    render(AuthForm, { mode: 'setup', api: new ClassroomApi(server.fetch), ondone });
    await fireEvent.input(screen.getByLabelText('Setup secret'), { target: { value: ' s3cret ' } });
    await fireEvent.input(screen.getByLabelText(/^New password$/), { target: { value: 'correct horse battery' } });
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'correct horse batter' } });
    await fireEvent.click(screen.getByRole('button', { name: /Set the password/ }));
    expect(screen.getByRole('alert').textContent).toBe('The two passwords are not the same.');
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'correct horse battery' } });
    await fireEvent.click(screen.getByRole('button', { name: /Set the password/ }));
    await vi.waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(server.made('POST /api/instructor/setup')[0]?.body).toEqual({ secret: 's3cret', password: 'correct horse battery' });
  });

  it("signs in, showing the server's refusal", async () => {
    const server = new FakeClassServer().on('POST /api/instructor/login', { status: 401, body: { error: { code: 'unauthorized', message: 'That password is not right.' } } });
    render(AuthForm, { mode: 'signin', api: new ClassroomApi(server.fetch), ondone: vi.fn() });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'guess guess guess' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That password is not right.'));
  });
});

describe('JoinCard', () => {
  it('shows the code and link large, and rotates the code only after asking', async () => {
    const onrotate = vi.fn(async () => undefined);
    const onproject = vi.fn();
    render(JoinCard, { code: 'K7QX2M', link: 'http://192.168.1.20:8025/join/K7QX2M', onrotate, onproject });
    expect(screen.getByLabelText('Class code K 7 Q X 2 M').textContent).toBe('K7QX2M');
    expect(screen.getByRole('link').getAttribute('href')).toBe('http://192.168.1.20:8025/join/K7QX2M');
    await fireEvent.click(screen.getByRole('button', { name: 'New code…' }));
    expect(onrotate).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, new code' }));
    expect(onrotate).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Show on the projector' }));
    expect(onproject).toHaveBeenCalled();
  });
});
