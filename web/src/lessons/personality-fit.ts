/**
 * Lessons that set no `server.personality` were written for smtp-server but run on the
 * learner's pick. Their goal checks read the replies the server really gave, so on another
 * server they still check honestly; what changes is whether the goal can be met there (Postfix
 * has no AUTH, refuses mail for domains it does not serve, has none of the sandbox's teaching
 * refusals). We find out by playing the lesson's own solution against the simulator answering
 * like the learner's pick, as `tests/lessons` plays it against smtp-server.
 */
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { mergeServerConfig, playLessonScript, type Lesson } from '../../../protocol/lessons/index.ts';
import { createSimulatedTransport, PERSONALITIES } from '../../../protocol/simulator/index.ts';
import { serverName, withPersonality } from '../session/personality-choice.ts';

/** The server lessons without their own personality were written for. */
export const LESSONS_WRITTEN_FOR: PersonalityName = 'smtp-server';

/**
 * The personality the learner talks to instead of the one the lesson was written for, or null
 * when they match (or the lesson picks its own server, which then always applies).
 */
export function personalityMismatch(lesson: Pick<Lesson, 'server'>, picked: PersonalityName): PersonalityName | null {
  if (lesson.server.personality !== undefined || picked === LESSONS_WRITTEN_FOR) return null;
  return picked;
}

/** True when the lesson's solution meets its goal against the simulator answering like `personality`. */
export async function solutionMeetsGoalOn(lesson: Lesson, personality: PersonalityName): Promise<boolean> {
  const config = withPersonality(mergeServerConfig(lesson.server), personality);
  const onServer = { ...lesson, server: { ...lesson.server, personality } };
  const play = await playLessonScript(onServer, lesson.solution.connections, createSimulatedTransport({ config }));
  return play.passed;
}

/**
 * The notice, in the learner's words. `goalMet` is whether the lesson's solution meets the goal
 * on this server (null while that is being found out).
 */
export function personalityNoticeText(personality: PersonalityName, goalMet: boolean | null): string {
  const picked = shortName(personality);
  const written = shortName(LESSONS_WRITTEN_FOR);
  const opening = `This lesson was written for ${written}; you are talking to ${picked}. Some replies will differ from the text.`;
  if (goalMet === null) return opening;
  if (goalMet) return `${opening} The goal can still be met here: the lesson's own solution meets it on ${picked}.`;
  return `${opening} The goal checks look for ${written}'s replies: the lesson's own solution does not meet them on ${picked}. Switch to ${written} to complete this lesson.`;
}

/** The server's name without its version: "Postfix 3.7" → "Postfix". */
export function shortName(personality: PersonalityName): string {
  return serverName(PERSONALITIES[personality]).replace(/\s[\d.]+$/, '');
}
