/** Words for a notice: who it is for and when it came. */
import type { NoticeJson } from '../../../protocol/wire/classroom-contract.ts';

/** "Hint for you", "Message to the class"… */
export function noticeHeading(notice: Pick<NoticeJson, 'kind' | 'studentId'>): string {
  const what = notice.kind === 'hint' ? 'Hint' : 'Message';
  return notice.studentId === null ? `${what} to the class` : `${what} for you`;
}

/** The time of day, e.g. "14:05". */
export function noticeTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
