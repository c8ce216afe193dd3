/** The dashboard learns from the overview where students can open the app: the URLs the server printed. */
import { describe, expect, it } from 'vitest';
import { instructorOf, startClassroom } from './classroom-app.ts';

describe('GET /api/classroom/overview', () => {
  it('lists every URL the web app answers at, as the start banner does', async () => {
    const app = await startClassroom();
    try {
      const instructor = await instructorOf(app);
      const { webUrls } = await instructor.json<{ webUrls: string[] }>('/api/classroom/overview');
      expect(webUrls).toEqual(app.urls.web);
      expect(webUrls).toContain(`http://127.0.0.1:${app.ports.http}/`);
    } finally {
      await app.close('test finished');
    }
  });
});
