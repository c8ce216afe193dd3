/**
 * The instructor's API: the class overview and join code, roster, progress grid and CSV,
 * open lessons, class-wide server behaviours, notices, students' transcripts (read-only) and
 * removing a student. Every route is declared `access: 'instructor'`.
 */
import { z } from 'zod';
import { parseEventPage, parsePage, parseSessionId } from '../../http/api-params.ts';
import { contentDisposition, sendBytes, sendJson } from '../../http/respond.ts';
import type { SessionStore } from '../../storage/session-store.ts';
import { MAX_CLOSE_AFTER_COMMANDS, MAX_REPLY_DELAY_MS, MIN_CLASS_MESSAGE_SIZE } from '../class-behaviours.ts';
import type { ClassService } from '../class-service.ts';
import { INSTRUCTOR_HANDLE, studentNamespace, type Student } from '../classroom-types.ts';
import { describeIssues } from '../issues-text.ts';
import type { LiveHub } from '../live-hub.ts';
import { progressCsv } from '../progress-csv.ts';
import { fail, type ClassroomContext, type ClassroomRoute } from './classroom-context.ts';
import { bodyOrFail } from './request-body.ts';

export const MAX_NOTICE_LENGTH = 2000;

export interface InstructorRouteDeps {
  readonly service: ClassService;
  readonly hub: LiveHub;
  readonly transcripts: Pick<SessionStore, 'list' | 'get' | 'eventPage'>;
  /** Deletes a namespace's captured mail and transcripts (removing a student with `?purge=1`). */
  readonly purgeNamespace: (namespace: string) => void;
  /** The server's own SIZE limit, the ceiling of the class setting. */
  readonly maxMessageSize: number;
  /** Every URL the web app answers at (the start banner's), for the dashboard's "how students reach you". */
  readonly webUrls: () => readonly string[];
}

const noticeSchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_NOTICE_LENGTH),
  kind: z.enum(['message', 'hint']).default('message'),
  studentId: z.string().nullable().default(null),
  lessonId: z.string().nullable().default(null),
});

const openLessonsSchema = z.strictObject({ openLessons: z.array(z.string()).max(1000).nullable() });

export function instructorRoutes(deps: InstructorRouteDeps): ClassroomRoute[] {
  const { service, hub, transcripts } = deps;
  const joinInfo = () => ({ joinCode: service.joinCode(), joinPath: `/join/${service.joinCode()}` });
  /** The student of `:id`, or null after answering 404. */
  const studentOf = ({ res, params }: ClassroomContext): Student | null => {
    const student = service.students.byId(params.id ?? '');
    if (student === null) fail(res, 404, 'not_found', `There is no student ${JSON.stringify((params.id ?? '').slice(0, 40))} in the class.`);
    return student;
  };
  const route = (method: ClassroomRoute['method'], pattern: string, handle: ClassroomRoute['handle']): ClassroomRoute => ({
    method,
    pattern,
    access: 'instructor',
    handle,
  });

  return [
    route('GET', '/api/classroom/overview', ({ res }) =>
      sendJson(res, 200, {
        ...joinInfo(),
        classDomain: service.classDomain,
        instructorAddress: `${INSTRUCTOR_HANDLE}@${service.classDomain}`,
        lessons: service.catalog,
        openLessons: service.openLessons(),
        behaviours: service.behaviours(),
        behaviourLimits: behaviourLimits(deps.maxMessageSize),
        webUrls: deps.webUrls(),
      }),
    ),
    route('POST', '/api/classroom/join-code', ({ res }) => {
      service.rotateJoinCode();
      sendJson(res, 200, joinInfo());
    }),
    route('GET', '/api/classroom/roster', ({ res }) => sendJson(res, 200, { students: hub.roster() })),
    route('GET', '/api/classroom/progress', ({ res }) => {
      const progress = service.progress.byStudent();
      sendJson(res, 200, {
        lessons: service.catalog,
        students: service.students.active().map((student) => ({ student, progress: progress.get(student.id) ?? [] })),
      });
    }),
    route('GET', '/api/classroom/progress.csv', ({ res }) => {
      const csv = progressCsv(service.catalog, service.students.active(), service.progress.byStudent());
      const date = new Date().toISOString().slice(0, 10);
      sendBytes(res, 200, 'text/csv; charset=utf-8', Buffer.from(csv, 'utf8'), {
        'Content-Disposition': contentDisposition('attachment', `smtp-lab-progress-${date}.csv`),
        'Cache-Control': 'no-store',
      });
    }),
    route('PUT', '/api/classroom/lessons', async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const parsed = openLessonsSchema.safeParse(read.value);
      if (!parsed.success) return fail(res, 400, 'bad_request', describeIssues(parsed.error.issues));
      const result = service.setOpenLessons(parsed.data.openLessons);
      if (!result.ok) return fail(res, 400, 'bad_request', result.message);
      sendJson(res, 200, { openLessons: result.value });
    }),
    route('GET', '/api/classroom/behaviours', ({ res }) =>
      sendJson(res, 200, { behaviours: service.behaviours(), limits: behaviourLimits(deps.maxMessageSize) }),
    ),
    route('PUT', '/api/classroom/behaviours', async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const result = service.changeBehaviours(read.value);
      if (!result.ok) return fail(res, 400, 'bad_request', result.message);
      sendJson(res, 200, { behaviours: result.value, limits: behaviourLimits(deps.maxMessageSize) });
    }),
    route('GET', '/api/classroom/notices', ({ res }) => sendJson(res, 200, { notices: service.progress.allNotices() })),
    route('POST', '/api/classroom/notices', async ({ req, res }) => {
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const parsed = noticeSchema.safeParse(read.value);
      if (!parsed.success) return fail(res, 400, 'bad_request', describeIssues(parsed.error.issues));
      const { studentId } = parsed.data;
      if (studentId !== null && service.students.byId(studentId) === null) {
        return fail(res, 404, 'not_found', `There is no student ${JSON.stringify(studentId.slice(0, 40))} in the class.`);
      }
      sendJson(res, 201, { notice: service.addNotice(parsed.data) });
    }),
    route('GET', '/api/classroom/students/:id/sessions', (context) => {
      const student = studentOf(context);
      if (student === null) return;
      const page = parsePage(context.query);
      if (!page.ok) return fail(context.res, 400, 'bad_request', page.message);
      sendJson(context.res, 200, { ...transcripts.list(studentNamespace(student.id), page.value), ...page.value });
    }),
    route('GET', '/api/classroom/students/:id/sessions/:sessionId', (context) => {
      const student = studentOf(context);
      if (student === null) return;
      const id = parseSessionId(context.params.sessionId ?? '');
      if (!id.ok) return fail(context.res, 400, 'bad_request', id.message);
      const page = parseEventPage(context.query);
      if (!page.ok) return fail(context.res, 400, 'bad_request', page.message);
      const namespace = studentNamespace(student.id);
      const session = transcripts.get(namespace, id.value);
      const events = transcripts.eventPage(namespace, id.value, page.value);
      if (session === null || events === null) return fail(context.res, 404, 'not_found', `There is no session ${id.value} of this student.`);
      sendJson(context.res, 200, { session, ...events });
    }),
    route('DELETE', '/api/classroom/students/:id', (context) => {
      const student = studentOf(context);
      if (student === null) return;
      const purge = context.query.get('purge') === '1';
      service.remove(student.id, purge);
      if (purge) deps.purgeNamespace(studentNamespace(student.id));
      sendJson(context.res, 200, { removed: student.id, purged: purge });
    }),
  ];
}

function behaviourLimits(maxMessageSize: number) {
  return {
    maxMessageSize: { min: MIN_CLASS_MESSAGE_SIZE, max: maxMessageSize },
    closeAfterCommands: { min: 0, max: MAX_CLOSE_AFTER_COMMANDS },
    replyDelayMs: { min: 0, max: MAX_REPLY_DELAY_MS },
  };
}
