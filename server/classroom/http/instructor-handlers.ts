/**
 * The instructor's API: the class overview and join code, roster, progress grid and CSV,
 * open lessons, class-wide server behaviours, notices, students' transcripts (read-only) and
 * removing a student. Every route of these is declared `access: 'instructor'` (api-routes.ts).
 */
import {
  noticeDraftSchema,
  openLessonsChangeSchema,
  type BehaviourLimits,
  type BehavioursReply,
  type ClassOverview,
  type JoinInfo,
  type NoticeReply,
  type Notices,
  type ProgressGrid,
  type Removed,
  type Roster,
} from '../../../protocol/wire/classroom-contract.ts';
import type { ApiContext, ApiHandler } from '../../http/api-route.ts';
import { parseEventPage, parsePage, parseSessionId } from '../../http/api-params.ts';
import { contentDisposition, sendBytes, sendError, sendJson } from '../../http/respond.ts';
import type { SessionStore } from '../../storage/session-store.ts';
import { MAX_CLOSE_AFTER_COMMANDS, MAX_REPLY_DELAY_MS, MIN_CLASS_MESSAGE_SIZE } from '../class-behaviours.ts';
import type { ClassService } from '../class-service.ts';
import { INSTRUCTOR_HANDLE, studentNamespace, type StudentJson } from '../classroom-types.ts';
import { describeIssues } from '../issues-text.ts';
import type { LiveHub } from '../live-hub.ts';
import { progressCsv } from '../progress-csv.ts';
import { bodyOrFail } from './request-body.ts';

export interface InstructorHandlerDeps {
  readonly service: ClassService;
  readonly hub: LiveHub;
  readonly transcripts: Pick<SessionStore, 'list' | 'get' | 'eventPage'>;
  /** Deletes a namespace's captured mail and transcripts (removing a student with `?purge=1`). */
  readonly purgeNamespace: (namespace: string) => Promise<void>;
  /** The server's own SIZE limit, the ceiling of the class setting. */
  readonly maxMessageSize: number;
  /** Every URL the web app answers at (the start banner's), for the dashboard's "how students reach you". */
  readonly webUrls: () => readonly string[];
}

export type InstructorHandlers = Readonly<
  Record<
    | 'overview'
    | 'rotateJoinCode'
    | 'roster'
    | 'progress'
    | 'progressCsv'
    | 'setOpenLessons'
    | 'behaviours'
    | 'changeBehaviours'
    | 'notices'
    | 'sendNotice'
    | 'studentSessions'
    | 'studentSession'
    | 'removeStudent',
    ApiHandler
  >
>;

export function instructorHandlers(deps: InstructorHandlerDeps): InstructorHandlers {
  const { service, hub, transcripts } = deps;
  const joinInfo = (joinCode: string): JoinInfo => ({ joinCode, joinPath: `/join/${joinCode}` });
  /** The student of `:id`, or null after answering 404. */
  const studentOf = async ({ res, params }: ApiContext): Promise<StudentJson | null> => {
    const student = await service.students.byId(params.id ?? '');
    if (student === null) sendError(res, 404, 'not_found', `There is no student ${JSON.stringify((params.id ?? '').slice(0, 40))} in the class.`);
    return student;
  };
  return {
    overview: async ({ res }) =>
      sendJson(res, 200, {
        ...joinInfo(await service.joinCode()),
        classDomain: service.classDomain,
        instructorAddress: `${INSTRUCTOR_HANDLE}@${service.classDomain}`,
        lessons: service.catalog,
        openLessons: await service.openLessons(),
        behaviours: await service.behaviours(),
        behaviourLimits: behaviourLimits(deps.maxMessageSize),
        webUrls: deps.webUrls(),
      } satisfies ClassOverview),
    rotateJoinCode: async ({ res }) => {
      sendJson(res, 200, joinInfo(await service.rotateJoinCode()));
    },
    roster: async ({ res }) => sendJson(res, 200, { students: await hub.roster() } satisfies Roster),
    progress: async ({ res }) => {
      const [students, progress] = await Promise.all([service.students.active(), service.progress.byStudent()]);
      sendJson(res, 200, {
        lessons: service.catalog,
        students: students.map((student) => ({ student, progress: progress.get(student.id) ?? [] })),
      } satisfies ProgressGrid);
    },
    progressCsv: async ({ res }) => {
      const [students, progress] = await Promise.all([service.students.active(), service.progress.byStudent()]);
      const csv = progressCsv(service.catalog, students, progress);
      const date = new Date().toISOString().slice(0, 10);
      sendBytes(res, 200, 'text/csv; charset=utf-8', Buffer.from(csv, 'utf8'), {
        'Content-Disposition': contentDisposition('attachment', `smtp-lab-progress-${date}.csv`),
        'Cache-Control': 'no-store',
      });
    },
    setOpenLessons: async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const parsed = openLessonsChangeSchema.safeParse(read.value);
      if (!parsed.success) return sendError(res, 400, 'bad_request', describeIssues(parsed.error.issues));
      const result = await service.setOpenLessons(parsed.data.openLessons);
      if (!result.ok) return sendError(res, 400, 'bad_request', result.message);
      sendJson(res, 200, { openLessons: result.value });
    },
    behaviours: async ({ res }) =>
      sendJson(res, 200, { behaviours: await service.behaviours(), limits: behaviourLimits(deps.maxMessageSize) } satisfies BehavioursReply),
    changeBehaviours: async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const result = await service.changeBehaviours(read.value);
      if (!result.ok) return sendError(res, 400, 'bad_request', result.message);
      sendJson(res, 200, { behaviours: result.value, limits: behaviourLimits(deps.maxMessageSize) } satisfies BehavioursReply);
    },
    notices: async ({ res }) => sendJson(res, 200, { notices: await service.progress.allNotices() } satisfies Notices),
    sendNotice: async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const parsed = noticeDraftSchema.safeParse(read.value);
      if (!parsed.success) return sendError(res, 400, 'bad_request', describeIssues(parsed.error.issues));
      const { studentId } = parsed.data;
      if (studentId !== null && (await service.students.byId(studentId)) === null) {
        return sendError(res, 404, 'not_found', `There is no student ${JSON.stringify(studentId.slice(0, 40))} in the class.`);
      }
      sendJson(res, 201, { notice: await service.addNotice(parsed.data) } satisfies NoticeReply);
    },
    studentSessions: async (context) => {
      const student = await studentOf(context);
      if (student === null) return;
      const page = parsePage(context.query);
      if (!page.ok) return sendError(context.res, 400, 'bad_request', page.message);
      sendJson(context.res, 200, { ...(await transcripts.list(studentNamespace(student.id), page.value)), ...page.value });
    },
    studentSession: async (context) => {
      const student = await studentOf(context);
      if (student === null) return;
      const id = parseSessionId(context.params.sessionId ?? '');
      if (!id.ok) return sendError(context.res, 400, 'bad_request', id.message);
      const page = parseEventPage(context.query);
      if (!page.ok) return sendError(context.res, 400, 'bad_request', page.message);
      const namespace = studentNamespace(student.id);
      const session = await transcripts.get(namespace, id.value);
      const events = await transcripts.eventPage(namespace, id.value, page.value);
      if (session === null || events === null) return sendError(context.res, 404, 'not_found', `There is no session ${id.value} of this student.`);
      sendJson(context.res, 200, { session, ...events });
    },
    removeStudent: async (context) => {
      const student = await studentOf(context);
      if (student === null) return;
      const purge = context.query.get('purge') === '1';
      await service.remove(student.id, purge);
      if (purge) await deps.purgeNamespace(studentNamespace(student.id));
      sendJson(context.res, 200, { removed: student.id, purged: purge } satisfies Removed);
    },
  };
}

function behaviourLimits(maxMessageSize: number): BehaviourLimits {
  return {
    maxMessageSize: { min: MIN_CLASS_MESSAGE_SIZE, max: maxMessageSize },
    closeAfterCommands: { min: 0, max: MAX_CLOSE_AFTER_COMMANDS },
    replyDelayMs: { min: 0, max: MAX_REPLY_DELAY_MS },
  };
}
