/**
 * The lesson panel's notice when a lesson written for smtp-server runs on another server: what
 * it says (before and after the goal check is known) and the button that switches back.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { CourseController } from '../../../web/src/lessons/course-controller.svelte.ts';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import LessonView from '../../../web/src/lessons/LessonView.svelte';
import { emptyProgress } from '../../../web/src/lessons/progress.ts';
import { LabSession } from '../../../web/src/session/lab-session.svelte.ts';
import { restingLessonProps } from './resting-lesson-props.ts';

const course = loadCourse();
const lessonIn = (folder: string) => {
  const lesson = course.lessons.find((candidate) => candidate.folder === folder);
  if (lesson === undefined) throw new Error(`no lesson ${folder}`);
  return lesson;
};

const disposables: { dispose(): void }[] = [];
afterEach(() => {
  for (const item of disposables.splice(0)) item.dispose();
});

function setup(picked: PersonalityName): { lab: LabSession; controller: CourseController; saved: string[] } {
  const saved: string[] = [];
  const lab = new LabSession({ personalityMemory: { load: () => picked, save: (name) => saved.push(name) } });
  const store = { load: () => Promise.resolve(emptyProgress()), save: () => Promise.resolve() };
  const controller = new CourseController(course, lab, store);
  disposables.push(controller, lab);
  return { lab, controller, saved };
}

function viewProps(folder: string, otherServer: PersonalityName | null, onswitchserver: () => void) {
  return { ...restingLessonProps(lessonIn(folder), 11, course.lessons.length), otherServer, onswitchserver };
}

describe('CourseController.personalityMismatch', () => {
  it('names the pick for a lesson without its own server; "Switch" picks smtp-server and starts afresh', () => {
    const { lab, controller, saved } = setup('postfix');
    controller.open(lessonIn('11-auth-plain-and-login').id);
    expect(lab.personality).toBe('postfix');
    expect(controller.personalityMismatch).toBe('postfix');
    const before = lab.liveView;

    controller.useLessonsServer();
    expect(lab.personality).toBe('smtp-server');
    expect(saved).toEqual(['smtp-server']);
    expect(controller.personalityMismatch).toBeNull();
    expect(controller.result).toBeNull();
    expect(lab.liveView).not.toBe(before);
  });

  it('says nothing for a lesson that sets its own server, nor in live mode (the real smtp-server)', () => {
    const { lab, controller } = setup('exim');
    controller.open(lessonIn('22-servers-differ').id);
    expect(controller.personalityMismatch).toBeNull();
    controller.open(lessonIn('03-ehlo-and-helo').id);
    expect(controller.personalityMismatch).toBe('exim');
    lab.setMode('live');
    expect(controller.personalityMismatch).toBeNull();
  });
});

describe('LessonView with another server', () => {
  it('says which server, then that the goal needs smtp-server, and switches on the button', async () => {
    const onswitch = vi.fn();
    render(LessonView, viewProps('11-auth-plain-and-login', 'postfix', onswitch));
    const notice = screen.getByRole('note', { name: "This lesson's server" });
    expect(notice.textContent).toContain('This lesson was written for smtp-server; you are talking to Postfix. Some replies will differ from the text.');
    await vi.waitFor(() => expect(notice.textContent).toContain('does not meet them on Postfix. Switch to smtp-server to complete this lesson.'), { timeout: 5000, interval: 10 });
    await fireEvent.click(screen.getByRole('button', { name: 'Switch to smtp-server' }));
    expect(onswitch).toHaveBeenCalledTimes(1);
  });

  it('says the goal can still be met when the solution meets it there', async () => {
    render(LessonView, viewProps('01-client-and-server', 'gmail', () => undefined));
    const notice = screen.getByRole('note', { name: "This lesson's server" });
    await vi.waitFor(() => expect(notice.textContent).toContain('The goal can still be met here'), { timeout: 5000, interval: 10 });
  });

  it('shows no notice on the server the lesson was written for', () => {
    render(LessonView, viewProps('11-auth-plain-and-login', null, () => undefined));
    expect(screen.queryByRole('note', { name: "This lesson's server" })).toBeNull();
  });
});
