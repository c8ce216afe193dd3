/** What the classroom hands out; JSON-ready (dates are ISO 8601 strings) like the mailbox types. */

export type { LessonProgressJson, LiveSessionJson, NoticeJson, RosterEntry, StudentJson } from '../../protocol/wire/classroom-contract.ts';
import type { StudentJson } from '../../protocol/wire/classroom-contract.ts';

/**
 * Who is making a request: a signed-in instructor, a student, both (an instructor trying the
 * student view in the same browser), or neither.
 */
export interface Identity {
  readonly instructor: boolean;
  readonly student: StudentJson | null;
}

/** A caller who is neither: anyone outside classroom mode, an anonymous visitor in it. */
export const NOBODY: Identity = { instructor: false, student: null };

/** The namespace of the instructor's own console and mailbox (and of mail from outside SMTP clients). */
export const INSTRUCTOR_NAMESPACE = 'instructor';

/** The instructor's class address is `instructor@<class domain>`. */
export const INSTRUCTOR_HANDLE = 'instructor';

/** The namespace of everything a student owns: live sessions, captured mail. */
export function studentNamespace(studentId: string): string {
  return `student:${studentId}`;
}
