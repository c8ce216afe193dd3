/** Words for roster rows: the lesson a student is on, their progress, their SMTP session. */
import type { CatalogLesson, RosterEntry } from '../../../protocol/wire/classroom-contract.ts';

/** "3. EHLO and HELO", or "Not started". */
export function lessonName(lessons: readonly CatalogLesson[], lessonId: string | null): string {
  if (lessonId === null) return 'Not started';
  const index = lessons.findIndex((lesson) => lesson.id === lessonId);
  const lesson = lessons[index];
  return lesson === undefined ? lessonId : `${index + 1}. ${lesson.title}`;
}

/** The state of the student's newest live session in words, or why there is none. */
export function sessionText(entry: RosterEntry): string {
  const session = entry.sessions.at(-1);
  if (session !== undefined) return session.label;
  return entry.online ? 'No live session' : '—';
}

/** "Online", "Online in 2 tabs", "Offline". */
export function onlineText(entry: RosterEntry): string {
  if (!entry.online) return 'Offline';
  return entry.connections > 2 ? `Online (${entry.connections} connections)` : 'Online';
}

/** How many lessons of the course the student finished. */
export function doneCount(lessons: readonly CatalogLesson[], entry: RosterEntry): number {
  const known = new Set(lessons.map((lesson) => lesson.id));
  return entry.completed.filter((id) => known.has(id)).length;
}
