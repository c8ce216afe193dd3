/** What the dashboard's "Lab world" card says about the class's starting lab world. */
import type { ClassWorld } from '../../../protocol/wire/class-world-contract.ts';
import type { EditorWording } from '../world/editor-wording.ts';

/** Where students start from. */
export function startingWorldLine(world: ClassWorld): string {
  if (!world.custom || world.changedAt === null) return 'Students start from the default lab world.';
  const when = new Date(world.changedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `Students start from your own starting zone (${world.records.length} records, set ${when}).`;
}

/** Who a change of starting zone does not reach. */
export function ownZonesLine(world: ClassWorld): string {
  if (world.students === 0) return 'No student has joined yet: everyone who joins starts from this zone.';
  if (world.studentsWithOwnZone === 0) return `No student has edited their own zone: all ${world.students} use the starting zone.`;
  const who = world.studentsWithOwnZone === 1 ? '1 student has' : `${world.studentsWithOwnZone} students have`;
  return `${who} edited their own zone and keep${world.studentsWithOwnZone === 1 ? 's' : ''} it: a new starting zone does not replace their edits (push it to replace them).`;
}

/** The question before "Push to all students": whose edits it replaces. */
export function pushQuestion(world: ClassWorld): string {
  const who = `${world.studentsWithOwnZone} ${world.studentsWithOwnZone === 1 ? 'student' : 'students'}`;
  return `Replace the own zones of ${who} with the starting zone? Their edits are lost.`;
}

/** The DNS editor's words when it edits the class's starting zone. */
export const STARTING_ZONE_WORDING: EditorWording = {
  title: 'The class\'s starting zone',
  intro: 'The DNS every student starts from, and returns to when they reset their world. Saving does not change the zone of a student who already edited their own.',
  resetButton: 'Back to the default world…',
  resetQuestion: 'Make the built-in default world the class\'s starting zone again? This starting zone is lost; students who edited keep their own.',
  resetConfirm: 'Use the default world',
  resetDone: 'The class starts from the default lab world again.',
  saved: (records) => `Saved: students without edits of their own now start from these ${records} records.`,
};
