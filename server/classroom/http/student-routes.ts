/** A student's own view: who they are, the open lessons, their progress and the instructor's notices. */
import { z } from 'zod';
import { sendJson } from '../../http/respond.ts';
import type { ClassService } from '../class-service.ts';
import { fail, type ClassroomRoute } from './classroom-context.ts';
import { describeIssues } from '../issues-text.ts';
import { bodyOrFail } from './request-body.ts';

const MAX_COUNT = 1_000_000;

/** What the web app reports for a lesson; absent fields leave the record as it is. */
const progressReportSchema = z.strictObject({
  completed: z.boolean().optional(),
  /** With `completed`: the completion came with the solution. */
  withSolution: z.boolean().optional(),
  attempts: z.number().int().min(0).max(MAX_COUNT).optional(),
  hintsUsed: z.number().int().min(0).max(MAX_COUNT).optional(),
});

export function studentRoutes(service: ClassService): ClassroomRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/api/me',
      access: 'student',
      handle: ({ res, identity }) => {
        const student = identity.student!;
        sendJson(res, 200, {
          student,
          classDomain: service.classDomain,
          openLessons: service.openLessons(),
          progress: service.progress.ofStudent(student.id),
          notices: service.progress.noticesFor(student.id),
        });
      },
    },
    {
      method: 'GET',
      pattern: '/api/progress',
      access: 'student',
      handle: ({ res, identity }) => sendJson(res, 200, { progress: service.progress.ofStudent(identity.student!.id) }),
    },
    {
      method: 'PUT',
      pattern: '/api/progress/:lessonId',
      access: 'student',
      handle: async ({ req, res, params, identity }) => {
        const lessonId = params.lessonId ?? '';
        if (!service.catalog.some((lesson) => lesson.id === lessonId)) {
          return fail(res, 404, 'not_found', `There is no lesson ${JSON.stringify(lessonId.slice(0, 80))}.`);
        }
        if (!service.isLessonOpen(lessonId)) {
          return fail(res, 409, 'lesson_closed', 'Your instructor has not opened this lesson yet.');
        }
        const read = await bodyOrFail(req, res);
        if (read === null) return;
        const report = progressReportSchema.safeParse(read.value);
        if (!report.success) return fail(res, 400, 'bad_request', describeIssues(report.error.issues));
        sendJson(res, 200, { progress: service.recordProgress(identity.student!.id, lessonId, report.data) });
      },
    },
  ];
}
