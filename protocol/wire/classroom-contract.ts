/**
 * The classroom's wire shapes: its REST API's request and response bodies (the server types
 * its answers with them, the browser parses them), and its part of the WebSocket contract;
 * contract.ts merges these messages into its unions (so `parseClientMessage`/
 * `parseServerMessage` know them) and the version stays one.
 *
 * Students receive `class.notice` (a message or hint from the instructor) and `class.settings`
 * (the open lessons changed). The instructor's connection receives `class.student` whenever a
 * roster row changes (join, progress, online, session state) and `class.student.removed`; it may
 * `watch` a student, which sends `watch.snapshot` (the student's live sessions with their
 * events so far) and then every session message of that student wrapped in `watch.message`.
 */
import { z } from 'zod';
import { classBehavioursSchema } from '../sandbox-config-schema.ts';

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

// ── REST API bodies (server/classroom/http/*-handlers.ts answer with them) ──────────────────

/** `null` means every lesson is open. */
export const openLessonsSchema = z.array(z.string()).readonly().nullable();

/** A lesson of the course as the class lists it. */
export const catalogLessonSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** The folder's number prefix. */
  order: z.number().int(),
});


const rangeSchema = z.object({ min: z.number(), max: z.number() });

/** What the instructor may set each behaviour to. */
export const behaviourLimitsSchema = z.object({
  maxMessageSize: rangeSchema,
  closeAfterCommands: rangeSchema,
  replyDelayMs: rangeSchema,
});

/** GET /api/classroom on a server that runs no class (every page load asks). */
export const soloInfoSchema = z.object({ mode: z.literal('solo') });

/** GET /api/classroom: anyone may ask. */
export const classroomInfoSchema = z.object({
  mode: z.literal('classroom'),
  classDomain: z.string(),
  instructorSetUp: z.boolean(),
  you: z.object({ instructor: z.boolean(), student: studentSchema.nullable() }),
});

export const classroomModeSchema = z.discriminatedUnion('mode', [soloInfoSchema, classroomInfoSchema]);

/** POST /api/class/join. */
export const joinedSchema = z.object({ student: studentSchema, openLessons: openLessonsSchema });

/** GET /api/me: the student's own view. */
export const studentMeSchema = z.object({
  student: studentSchema,
  classDomain: z.string(),
  openLessons: openLessonsSchema,
  progress: z.array(lessonProgressSchema).readonly(),
  notices: z.array(noticeSchema).readonly(),
});

/** PUT /api/progress/:lessonId: what the web app reports for a lesson; absent fields leave the record as it is. */
export const progressReportSchema = z.strictObject({
  /** true marks the lesson completed (a completion is never taken back). */
  completed: z.boolean().optional(),
  /**
   * With `completed`: whether this completion came with the solution. The first completion
   * sets the flag; a later one of the student's own clears it, and nothing sets it again.
   */
  withSolution: z.boolean().optional(),
  attempts: z.number().int().min(0).max(1_000_000).optional(),
  hintsUsed: z.number().int().min(0).max(1_000_000).optional(),
});

/** PUT /api/progress/:lessonId answers with the lesson's record. */
export const lessonProgressReplySchema = z.object({ progress: lessonProgressSchema });

/** GET /api/progress. */
export const progressListSchema = z.object({ progress: z.array(lessonProgressSchema).readonly() });

/** The instructor's setup, sign-in and sign-out. */
export const signedInSchema = z.object({ signedIn: z.boolean() });

/** POST /api/classroom/join-code, and part of the overview. */
export const joinInfoSchema = z.object({ joinCode: z.string(), joinPath: z.string() });

/** GET /api/classroom/overview. */
export const classOverviewSchema = joinInfoSchema.extend({
  classDomain: z.string(),
  instructorAddress: z.string(),
  lessons: z.array(catalogLessonSchema).readonly(),
  openLessons: openLessonsSchema,
  behaviours: classBehavioursSchema,
  behaviourLimits: behaviourLimitsSchema,
  /** Every URL the web app answers at (what the server printed at start), loopback ones included. */
  webUrls: z.array(z.string()).readonly(),
});

/** GET /api/classroom/roster. */
export const rosterSchema = z.object({ students: z.array(rosterEntrySchema).readonly() });

/** GET /api/classroom/progress. */
export const progressGridSchema = z.object({
  lessons: z.array(catalogLessonSchema).readonly(),
  students: z.array(z.object({ student: studentSchema, progress: z.array(lessonProgressSchema).readonly() })).readonly(),
});

/** PUT /api/classroom/lessons: the body, and the answer. */
export const openLessonsChangeSchema = z.strictObject({ openLessons: z.array(z.string()).max(1000).nullable() });
export const openLessonsReplySchema = z.object({ openLessons: openLessonsSchema });

/** GET and PUT /api/classroom/behaviours. */
export const behavioursReplySchema = z.object({ behaviours: classBehavioursSchema, limits: behaviourLimitsSchema });

/** The longest notice text. */
export const MAX_NOTICE_LENGTH = 2000;

/** POST /api/classroom/notices: to everyone (`studentId` null) or one student. */
export const noticeDraftSchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_NOTICE_LENGTH),
  kind: z.enum(['message', 'hint']).default('message'),
  studentId: z.string().nullable().default(null),
  lessonId: z.string().nullable().default(null),
});

export const noticesSchema = z.object({ notices: z.array(noticeSchema).readonly() });
export const noticeReplySchema = z.object({ notice: noticeSchema });

/** DELETE /api/classroom/students/:id. */
export const removedSchema = z.object({ removed: z.string(), purged: z.boolean() });

// ── WebSocket messages ──────────────────────────────────────────────────────────────────────

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

export type OpenLessons = z.infer<typeof openLessonsSchema>;
export type CatalogLesson = z.infer<typeof catalogLessonSchema>;
export type BehaviourLimits = z.infer<typeof behaviourLimitsSchema>;
export type SoloInfo = z.infer<typeof soloInfoSchema>;
export type ClassroomInfo = z.infer<typeof classroomInfoSchema>;
export type Joined = z.infer<typeof joinedSchema>;
export type StudentMe = z.infer<typeof studentMeSchema>;
export type ProgressReport = z.infer<typeof progressReportSchema>;
export type LessonProgressReply = z.infer<typeof lessonProgressReplySchema>;
export type ProgressList = z.infer<typeof progressListSchema>;
export type SignedIn = z.infer<typeof signedInSchema>;
export type JoinInfo = z.infer<typeof joinInfoSchema>;
export type ClassOverview = z.infer<typeof classOverviewSchema>;
export type Roster = z.infer<typeof rosterSchema>;
export type ProgressGrid = z.infer<typeof progressGridSchema>;
export type BehavioursReply = z.infer<typeof behavioursReplySchema>;
/** A notice as the instructor writes it (every field given). */
export type NoticeDraft = z.output<typeof noticeDraftSchema>;
export type Notices = z.infer<typeof noticesSchema>;
export type NoticeReply = z.infer<typeof noticeReplySchema>;
export type Removed = z.infer<typeof removedSchema>;
