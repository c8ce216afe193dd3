/**
 * "Completed with the solution" through the real classroom server: a student's reports, the
 * instructor's progress grid API and the CSV.
 */
import { describe, expect, it } from 'vitest';
import { instructorOf, startClassroom, studentOf } from './classroom-app.ts';

describe('completed with the solution, in a class', () => {
  it('is kept apart from a completion of the student\'s own in the grid and the CSV, until the student does it alone', async () => {
    const app = await startClassroom();
    try {
      const instructor = await instructorOf(app);
      const ana = await studentOf(app, instructor, 'Ana');
      expect((await ana.put('/api/progress/client-and-server', { completed: true, withSolution: false })).status).toBe(200);
      expect((await ana.put('/api/progress/the-greeting', { completed: true, withSolution: true, hintsUsed: 1 })).status).toBe(200);
      expect((await ana.put('/api/progress/the-greeting', { completed: true, withSolution: 'yes' })).status).toBe(400);

      type Grid = { students: { student: { id: string }; progress: { lessonId: string; completedWithSolution: boolean }[] }[] };
      const grid = await instructor.json<Grid>('/api/classroom/progress');
      const records = grid.students.find((row) => row.student.id === ana.id)?.progress ?? [];
      expect(Object.fromEntries(records.map((record) => [record.lessonId, record.completedWithSolution]))).toEqual({ 'client-and-server': false, 'the-greeting': true });

      const csv = async (): Promise<string[]> => (await (await instructor.get('/api/classroom/progress.csv')).text()).replace(/^\uFEFF/, '').split('\r\n');
      let lines = await csv();
      expect(lines[0]).toMatch(/^Name,Class address,Joined,Current lesson,Lessons completed,With the solution,Attempts,Hints used,01 Client and server,02 The greeting,/);
      expect(lines[1]).toMatch(/^Ana,ana@class\.smtp-lab\.test,[^,]+,the-greeting,2,1,0,1,completed,completed with the solution,,/);

      // Done again without the solution: now the student's own.
      expect((await ana.put('/api/progress/the-greeting', { completed: true, withSolution: false })).status).toBe(200);
      lines = await csv();
      expect(lines[1]).toMatch(/^Ana,ana@class\.smtp-lab\.test,[^,]+,the-greeting,2,0,0,1,completed,completed,,/);
    } finally {
      await app.close('test finished');
    }
  });
});
