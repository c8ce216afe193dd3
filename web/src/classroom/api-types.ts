/**
 * The JSON the classroom's REST API answers with (server/classroom/http/*-routes.ts), as the
 * browser reads it. Times are ISO 8601 strings.
 */

import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';
import type { LessonProgressJson, LiveSessionJson, NoticeJson, RosterEntry, StudentJson } from '../../../protocol/wire/classroom-contract.ts';

// The shapes the WebSocket contract shares with the REST API.
/** A student as the class sees them. */
export type ClassStudent = StudentJson;
/** One student's record of one lesson, as the server keeps it. */
export type ServerLessonProgress = LessonProgressJson;
/** A message or hint from the instructor, to everyone (`studentId` null) or one student. */
export type ClassNotice = NoticeJson;
/** A live SMTP session of a student. */
export type LiveSessionInfo = LiveSessionJson;
/** One row of the instructor's roster. */
export type { RosterEntry };

/** `null` means every lesson is open. */
export type OpenLessons = readonly string[] | null;

/** GET /api/classroom on a server that runs no class (every page load asks). */
export interface SoloInfo {
  readonly mode: 'solo';
}

/** GET /api/classroom: anyone may ask. */
export interface ClassroomInfo {
  readonly mode: 'classroom';
  readonly classDomain: string;
  readonly instructorSetUp: boolean;
  readonly you: { readonly instructor: boolean; readonly student: ClassStudent | null };
}

/** GET /api/me: the student's own view. */
export interface StudentMe {
  readonly student: ClassStudent;
  readonly classDomain: string;
  readonly openLessons: OpenLessons;
  readonly progress: readonly ServerLessonProgress[];
  readonly notices: readonly ClassNotice[];
}

export interface CatalogLesson {
  readonly id: string;
  readonly title: string;
  readonly order: number;
}

/** The class-wide server behaviours for live sessions (their schema is in protocol/sandbox-config-schema.ts). */
export type { ClassBehaviours };

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface BehaviourLimits {
  readonly maxMessageSize: Range;
  readonly closeAfterCommands: Range;
  readonly replyDelayMs: Range;
}

/** GET /api/classroom/overview. */
export interface ClassOverview {
  readonly joinCode: string;
  readonly joinPath: string;
  readonly classDomain: string;
  readonly instructorAddress: string;
  readonly lessons: readonly CatalogLesson[];
  readonly openLessons: OpenLessons;
  readonly behaviours: ClassBehaviours;
  readonly behaviourLimits: BehaviourLimits;
  /** Every URL the web app answers at (what the server printed at start), loopback ones included. */
  readonly webUrls: readonly string[];
}

/** GET /api/classroom/progress. */
export interface ProgressGrid {
  readonly lessons: readonly CatalogLesson[];
  readonly students: readonly { readonly student: ClassStudent; readonly progress: readonly ServerLessonProgress[] }[];
}
