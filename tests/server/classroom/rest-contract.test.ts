/** The classroom's REST answers, from the real server, are exactly the contract's shapes (nothing missing, nothing extra). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { RunningApp } from '../../../server/app/start-app.ts';
import * as contract from '../../../protocol/wire/classroom-contract.ts';
import { Actor, instructorOf, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let student: Actor & { id: string };
let overview: contract.ClassOverview;

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  student = await studentOf(app, instructor, 'Ana');
  overview = contract.classOverviewSchema.parse(await instructor.json('/api/classroom/overview'));
});
afterAll(() => app.close('test finished'));

/** The answer's JSON, checked to equal what the schema makes of it: a field the contract lacks would be stripped and differ. */
async function answerOf(response: Response, status: number, schema: z.ZodType): Promise<void> {
  expect(response.status).toBe(status);
  const body: unknown = await response.json();
  expect(schema.parse(body)).toEqual(body);
}

describe('the classroom REST contract', () => {
  it('holds for who-am-I, the student view and a progress report', async () => {
    await answerOf(await new Actor(app.urls.http).get('/api/classroom'), 200, contract.classroomModeSchema);
    await answerOf(await student.get('/api/classroom'), 200, contract.classroomModeSchema);
    await answerOf(await student.get('/api/me'), 200, contract.studentMeSchema);
    const lessonId = overview.lessons[0]?.id ?? '';
    await answerOf(await student.put(`/api/progress/${lessonId}`, { completed: true, hintsUsed: 1 }), 200, contract.lessonProgressReplySchema);
    await answerOf(await student.get('/api/progress'), 200, contract.progressListSchema);
  });

  it('holds for the instructor dashboard', async () => {
    expect(contract.classOverviewSchema.parse(overview)).toEqual(overview);
    await answerOf(await instructor.get('/api/classroom/overview'), 200, contract.classOverviewSchema);
    await answerOf(await instructor.get('/api/classroom/roster'), 200, contract.rosterSchema);
    await answerOf(await instructor.get('/api/classroom/progress'), 200, contract.progressGridSchema);
    await answerOf(await instructor.put('/api/classroom/lessons', { openLessons: null }), 200, contract.openLessonsReplySchema);
    await answerOf(await instructor.get('/api/classroom/behaviours'), 200, contract.behavioursReplySchema);
    await answerOf(await instructor.put('/api/classroom/behaviours', { greylist: false }), 200, contract.behavioursReplySchema);
    await answerOf(await instructor.post('/api/classroom/notices', { text: 'Hello', studentId: student.id }), 201, contract.noticeReplySchema);
    await answerOf(await instructor.get('/api/classroom/notices'), 200, contract.noticesSchema);
    await answerOf(await instructor.post('/api/classroom/join-code'), 200, contract.joinInfoSchema);
    await answerOf(await instructor.delete(`/api/classroom/students/${student.id}`), 200, contract.removedSchema);
    await answerOf(await instructor.post('/api/instructor/logout'), 200, contract.signedInSchema);
  });
});
