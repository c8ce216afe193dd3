/**
 * The classroom's part of the WebSocket contract; contract.ts merges these messages into its
 * unions (so `parseClientMessage`/`parseServerMessage` know them) and the version stays one.
 *
 * Students receive `class.notice` (a message or hint from the instructor) and `class.settings`
 * (the open lessons changed). The instructor's connection receives `class.student` whenever a
 * roster row changes (join, progress, online, session state) and `class.student.removed`; it may
 * `watch` a student, which sends `watch.snapshot` (the student's live sessions with their
 * events so far) and then every session message of that student wrapped in `watch.message`.
 */
import { z } from 'zod';

/** Close code for the connections of a student the instructor removed. */
export const CLOSE_REMOVED_FROM_CLASS = 4001;

/** A student as the class sees them. */
export const studentSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** The local part of the class address. */
  handle: z.string(),
  /** `<handle>@<class domain>`: classmates can send mail here. */
  address: z.string(),
  /** ISO 8601, like every time in the API. */
  joinedAt: z.string(),
  /** The lesson the student last reported working on. */
  currentLesson: z.string().nullable(),
});

/** One student's record of one lesson. */
export const lessonProgressSchema = z.object({
  lessonId: z.string(),
  /** When the lesson was first completed; null while not (yet) completed. */
  completedAt: z.string().nullable(),
  /** True while the completion came with the solution (false when not completed). */
  completedWithSolution: z.boolean(),
  attempts: z.number().int(),
  hintsUsed: z.number().int(),
  updatedAt: z.string(),
});

/** A message or hint from the instructor, to everyone (`studentId` null) or one student. */
export const noticeSchema = z.object({
  id: z.number().int(),
  studentId: z.string().nullable(),
  kind: z.enum(['message', 'hint']),
  /** The lesson a hint is about, if any. */
  lessonId: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
});

/** A live SMTP session of a student, as the dashboard shows it. */
export const liveSessionSchema = z.object({
  sessionId: z.string(),
  target: z.string(),
  startedAt: z.string(),
  /** Dotted state path of the session model, e.g. "identified.idle". */
  state: z.string(),
  /** The state in words, e.g. "Identified: ready for a mail transaction". */
  label: z.string(),
});

/** One row of the instructor's roster. */
export const rosterEntrySchema = z.object({
  student: studentSchema,
  /** At least one WebSocket connection open. */
  online: z.boolean(),
  connections: z.number().int(),
  /** Ids of the lessons completed. */
  completed: z.array(z.string()).readonly(),
  sessions: z.array(liveSessionSchema).readonly(),
});

export const classroomClientSchemas = {
  /** Instructor only: follow a student's live sessions. */
  watch: z.strictObject({ type: z.literal('watch'), studentId: z.string() }),
  unwatch: z.strictObject({ type: z.literal('unwatch'), studentId: z.string() }),
};

export type ClassroomClientMessage = z.infer<(typeof classroomClientSchemas)[keyof typeof classroomClientSchemas]>;

/**
 * The server messages of the classroom. `watch.message.message` and the events in
 * `watch.snapshot` are the bridge's own session messages and events (contract.ts), checked
 * loosely here (contract.ts imports this file, not the other way round): parse the inner
 * message with parseServerMessage.
 */
export const classroomServerSchemas = {
  'class.notice': z.object({ type: z.literal('class.notice'), notice: noticeSchema }),
  'class.settings': z.object({ type: z.literal('class.settings'), openLessons: z.array(z.string()).readonly().nullable() }),
  'class.student': z.object({ type: z.literal('class.student'), entry: rosterEntrySchema }),
  'class.student.removed': z.object({ type: z.literal('class.student.removed'), studentId: z.string() }),
  'watch.snapshot': z.object({
    type: z.literal('watch.snapshot'),
    studentId: z.string(),
    /** Each live session with its last events (bounded), and how many earlier ones were left out. */
    sessions: z
      .array(liveSessionSchema.extend({ events: z.array(z.looseObject({ type: z.string() })).readonly(), omittedEvents: z.number().int().nonnegative() }))
      .readonly(),
  }),
  'watch.message': z.object({
    type: z.literal('watch.message'),
    studentId: z.string(),
    message: z.looseObject({ type: z.string(), sessionId: z.string() }),
  }),
};

export type StudentJson = z.infer<typeof studentSchema>;
export type LessonProgressJson = z.infer<typeof lessonProgressSchema>;
export type NoticeJson = z.infer<typeof noticeSchema>;
export type LiveSessionJson = z.infer<typeof liveSessionSchema>;
export type RosterEntry = z.infer<typeof rosterEntrySchema>;
export type ClassroomServerMessage = z.infer<(typeof classroomServerSchemas)[keyof typeof classroomServerSchemas]>;
