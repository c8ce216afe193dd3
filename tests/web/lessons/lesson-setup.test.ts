import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../web/src/lessons/course-data.ts';
import { modeNotice, requiredMode } from '../../../web/src/lessons/lesson-setup.ts';

describe('lesson mode notices', () => {
  it('says plainly that each lab-world lesson (a lab MX target) runs only in Live mode, with npm start', () => {
    const labWorld = loadCourse().lessons.filter((lesson) => lesson.target !== undefined);
    expect(labWorld.length).toBeGreaterThanOrEqual(7);
    for (const lesson of labWorld) {
      expect(requiredMode(lesson)).toBe('live');
      expect(modeNotice(lesson)).toBe(
        `This lesson runs in Live mode only: you talk to the lab's mail server ${lesson.target}, which only the lab server runs, with its DNS and its SPF, DKIM and DMARC checks. Start it with npm start and open this page from it; Simulated mode cannot run this lesson.`,
      );
    }
  });
});
