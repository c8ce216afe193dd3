/**
 * The class events every process hears: what changed, never the changed thing itself. A
 * payload is ids and at most a small summary; a reader fetches the rest from the tables, so
 * an event can travel in one PostgreSQL NOTIFY (under 8000 bytes) and a lost one is made good
 * by reloading. Presence is the exception: who is connected, and their live SMTP sessions,
 * exist only in the process that holds the sockets, so that process sends it whole.
 */
import { z } from 'zod';
import { liveSessionSchema } from '../../protocol/wire/classroom-contract.ts';

/** Ids are short (a student id is 12 characters, a session id a UUID); the bounds keep every event small. */
const id = z.string().min(1).max(100);
/** "student:<id>", "instructor", "default". */
const namespace = z.string().min(1).max(120);

export const classEventSchema = z.discriminatedUnion('type', [
  /** Joined, renamed, current lesson changed: the roster row is read again (StudentStore.byId). */
  z.strictObject({ type: z.literal('student.changed'), studentId: id }),
  /** Removed from the class: their connections close wherever they are. */
  z.strictObject({ type: z.literal('student.removed'), studentId: id }),
  /**
   * A process's connections and live sessions of one student, and whether a dashboard there
   * watches them, sent by that process whenever they change (0 connections, no sessions, not
   * watched: the process has nothing of the student). `omittedSessions` counts sessions left
   * out to fit the size limit. A student watched in another process has their transcripts
   * announced (transcript.recorded); nobody else's are.
   */
  z.strictObject({
    type: z.literal('student.presence'),
    process: id,
    studentId: id,
    connections: z.number().int().nonnegative(),
    sessions: z.array(liveSessionSchema).readonly(),
    omittedSessions: z.number().int().nonnegative(),
    watched: z.boolean(),
  }),
  /** A process lost events (it resynced): every other process sends its presence again. */
  z.strictObject({ type: z.literal('presence.requested'), process: id }),
  /** A notice stored; `studentId` is its audience (null: everyone), so a process with nobody to tell need not read it. */
  z.strictObject({ type: z.literal('notice.added'), noticeId: z.number().int().positive(), studentId: id.nullable() }),
  /** A student's report for a lesson merged (ProgressStore.ofStudent has the record). */
  z.strictObject({ type: z.literal('progress.recorded'), studentId: id, lessonId: z.string().min(1).max(200) }),
  /** The open lessons changed (ClassService.openLessons). */
  z.strictObject({ type: z.literal('lessons.changed') }),
  /** The class's server behaviours changed (ClassService.behaviours): every sandbox follows. */
  z.strictObject({ type: z.literal('behaviours.changed') }),
  /** A session's transcript has events up to `seq` (SessionStore): watchers read those after the last they saw. */
  z.strictObject({ type: z.literal('transcript.recorded'), namespace, sessionId: id, seq: z.number().int().positive() }),
  /** A namespace's lab DNS zone was written (or the class's starting zone, "*starting-zone"): ZoneStore reads it again. */
  z.strictObject({ type: z.literal('zone.changed'), namespace }),
  /** A message landed in a mailbox (captured, class mail, a lab MX's delivery): MessageStore.summary(namespace, messageId). */
  z.strictObject({ type: z.literal('mail.delivered'), namespace, messageId: z.number().int().positive() }),
]);

export type ClassEvent = z.infer<typeof classEventSchema>;
export type ClassEventType = ClassEvent['type'];
export type PresenceEvent = Extract<ClassEvent, { type: 'student.presence' }>;
