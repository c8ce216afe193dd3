/** A student's own view: who they are, the open lessons, their progress and the instructor's notices. */
import { progressReportSchema, type LessonProgressReply, type ProgressList, type StudentMe } from '../../../protocol/wire/classroom-contract.ts';
import type { ApiHandler } from '../../http/api-route.ts';
import { sendError, sendJson } from '../../http/respond.ts';
import type { ClassService } from '../class-service.ts';
import { describeIssues } from '../issues-text.ts';
import { bodyOrFail } from './request-body.ts';

export type StudentHandlers = Readonly<Record<'me' | 'progress' | 'reportProgress', ApiHandler>>;

/** Handlers of `student` routes: the access check has made sure `identity.student` is set. */
export function studentHandlers(service: ClassService): StudentHandlers {
  return {
    me: async ({ res, identity }) => {
      const student = identity.student!;
      const [openLessons, progress, notices] = await Promise.all([
        service.openLessons(),
        service.progress.ofStudent(student.id),
        service.progress.noticesFor(student.id),
      ]);
      sendJson(res, 200, { student, classDomain: service.classDomain, openLessons, progress, notices } satisfies StudentMe);
    },
    progress: async ({ res, identity }) => sendJson(res, 200, { progress: await service.progress.ofStudent(identity.student!.id) } satisfies ProgressList),
    reportProgress: async ({ req, res, params, identity }) => {
      const lessonId = params.lessonId ?? '';
      if (!service.catalog.some((lesson) => lesson.id === lessonId)) {
        return sendError(res, 404, 'not_found', `There is no lesson ${JSON.stringify(lessonId.slice(0, 80))}.`);
      }
      if (!(await service.isLessonOpen(lessonId))) {
        return sendError(res, 409, 'lesson_closed', 'Your instructor has not opened this lesson yet.');
      }
      const read = await bodyOrFail(req, res);
      if (read === null) return;
      const report = progressReportSchema.safeParse(read.value);
      if (!report.success) return sendError(res, 400, 'bad_request', describeIssues(report.error.issues));
      sendJson(res, 200, { progress: await service.recordProgress(identity.student!.id, lessonId, report.data) } satisfies LessonProgressReply);
    },
  };
}
