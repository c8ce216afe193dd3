/**
 * Mounts the page this browser should see (see page-route.ts): the learner app right away in
 * the usual case; the join page, the learner app in classroom mode, or the instructor's
 * dashboard on a classroom server. The classroom pages are loaded only when needed.
 */
import { mount, unmount } from 'svelte';
import App from '../App.svelte';
import type { StudentMe } from '../../../protocol/wire/classroom-contract.ts';
import { ClassroomApi } from './classroom-api.ts';
import { forgetLegacyClassToken, resolvePage } from './page-route.ts';

/** Decides and mounts the page into `target`. */
export async function startPage(target: HTMLElement): Promise<void> {
  forgetLegacyClassToken(localStorageOrNull());
  const api = new ClassroomApi();
  const route = await resolvePage(window.location.pathname, api);
  switch (route.kind) {
    case 'solo':
      mount(App, { target });
      return;
    case 'student':
      await mountStudent(target, api, route.me);
      return;
    case 'join': {
      const { default: JoinPage } = await import('./JoinPage.svelte');
      const page = mount(JoinPage, {
        target,
        props: {
          api,
          info: route.info,
          code: route.code,
          note: route.note,
          onjoined: (me: StudentMe) => {
            void unmount(page);
            void mountStudent(target, api, me);
          },
        },
      });
      return;
    }
    case 'instructor': {
      const { default: InstructorApp } = await import('../instructor/InstructorApp.svelte');
      mount(InstructorApp, { target, props: { api, info: route.info } });
      return;
    }
  }
}

async function mountStudent(target: HTMLElement, api: ClassroomApi, me: StudentMe): Promise<void> {
  // The join link has done its job; a reload of "/" resumes the student by cookie.
  if (window.location.pathname !== '/') history.replaceState(null, '', `/${window.location.hash}`);
  // Like the live console, the class connection and its message checks load only when needed.
  const { StudentClassroom } = await import('./student-classroom.svelte.ts');
  const { default: StudentPage } = await import('./StudentPage.svelte');
  const classroom = new StudentClassroom(api, me);
  classroom.connect();
  mount(StudentPage, { target, props: { classroom } });
}

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
