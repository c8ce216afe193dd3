/**
 * Which mode a lesson can run in. The live sandbox serves every learner with one
 * configuration, so a lesson that changes the server's setup runs in the simulator, which
 * takes a configuration per session.
 */
import type { Lesson } from '../../../protocol/lessons/index.ts';
import type { LabMode } from '../session/view-types.ts';

/** True when the lesson changes anything in the server's setup. */
export function hasServerSetup(lesson: Pick<Lesson, 'server'>): boolean {
  const { behaviours, ...rest } = lesson.server;
  const defined = (value: object): boolean => Object.values(value).some((entry) => entry !== undefined);
  return defined(rest) || (behaviours !== undefined && defined(behaviours));
}

/** The mode the lesson must run in, or null when either works. */
export function requiredMode(lesson: Pick<Lesson, 'mode' | 'server'>): LabMode | null {
  if (lesson.mode === 'simulated' || hasServerSetup(lesson)) return 'simulated';
  if (lesson.mode === 'live') return 'live';
  return null;
}

/** Why the lesson keeps the learner in its mode, in one or two sentences. */
export function modeNotice(lesson: Pick<Lesson, 'mode' | 'server' | 'target'>): string {
  if (lesson.mode === 'live' && lesson.target !== undefined) {
    // The lab world's lessons: the page's simulated relay has no MX for the learner to play against, and checks nothing.
    return `This lesson runs in Live mode only: you talk to the lab's mail server ${lesson.target}, which only the lab server runs, with its DNS and its SPF, DKIM and DMARC checks. Start it with npm start and open this page from it; Simulated mode cannot run this lesson.`;
  }
  if (lesson.mode === 'live') return 'This lesson needs the real server: it runs in Live mode.';
  if (hasServerSetup(lesson)) {
    return "This lesson's server setup runs in Simulated mode: the live sandbox cannot change its settings for one learner. You stay in Simulated mode for this lesson.";
  }
  return 'This lesson runs in Simulated mode.';
}
