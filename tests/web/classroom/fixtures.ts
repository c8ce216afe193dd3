/** Roster rows and lessons for the dashboard's component tests. */
import type { BehaviourLimits, CatalogLesson, RosterEntry } from '../../../protocol/wire/classroom-contract.ts';
import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';
import { student } from './fake-server.ts';

export const LESSONS: CatalogLesson[] = [
  { id: 'client-and-server', title: 'Client and server', order: 1 },
  { id: 'the-greeting', title: 'The greeting', order: 2 },
  { id: 'ehlo-and-helo', title: 'EHLO and HELO', order: 3 },
];

export function entry(name: string, extra: Partial<RosterEntry> & { currentLesson?: string | null } = {}): RosterEntry {
  const { currentLesson = null, ...rest } = extra;
  return { student: { ...student(name), currentLesson }, online: true, connections: 2, completed: [], sessions: [], ...rest };
}

export const BEHAVIOURS: ClassBehaviours = { requireAuth: false, greylist: false, closeAfterCommands: 0, replyDelayMs: 0, maxMessageSize: 10 * 1024 * 1024 };
export const LIMITS: BehaviourLimits = {
  maxMessageSize: { min: 1024, max: 10 * 1024 * 1024 },
  closeAfterCommands: { min: 0, max: 1000 },
  replyDelayMs: { min: 0, max: 10_000 },
};
